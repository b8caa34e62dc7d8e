"""Accounts in the browser: sign-up, login with a fresh session id, logout that revokes it."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bacstudy import models
from bacstudy.db.session import engine_for
from tests.web_helpers import PASSWORD, csrf_token, sign_up


def login_sessions(app: Flask) -> list[str]:
    with Session(engine_for(app)) as session:
        return list(session.scalars(select(models.LoginSession.id)))


def test_sign_up_logs_in_and_hashes_the_password(app: Flask, client) -> None:
    sign_up(client)
    home = client.get("/").get_data(as_text=True)
    assert "Your decks" in home and "Log out" in home
    with Session(engine_for(app)) as session:
        user = session.scalars(select(models.User)).one()
        assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


def test_sign_up_refuses_a_taken_name_and_mismatched_passwords(client) -> None:
    sign_up(client)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    taken = client.post(
        "/signup",
        data={
            "username": "ana",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    assert taken.status_code == 400 and b"The username &#39;ana&#39; is taken." in taken.data
    differ = client.post(
        "/signup",
        data={
            "username": "bo-b",
            "password": PASSWORD,
            "confirm": "something else",
            "csrf_token": csrf_token(client),
        },
    )
    assert differ.status_code == 400 and b"The passwords differ." in differ.data


def test_login_issues_a_new_session_id_and_logout_revokes_it(app: Flask, client) -> None:
    sign_up(client)
    first = login_sessions(app)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert login_sessions(app) == []
    response = client.post(
        "/login", data={"username": "ana", "password": PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    second = login_sessions(app)
    assert len(second) == 1 and second != first
    stolen_cookie = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    # Replaying the cookie from before the logout no longer signs anyone in.
    client.set_cookie("session", stolen_cookie)
    assert client.get("/settings").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_answer(client) -> None:
    sign_up(client)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    for username, password in (("ana", "wrong password"), ("nobody", PASSWORD)):
        response = client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        )
        assert response.status_code == 400
        assert b"Unknown username or wrong password." in response.data


def test_login_follows_only_local_next_links(client) -> None:
    sign_up(client)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    for target, expected in (
        ("/browse", "/browse"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
    ):
        response = client.post(
            f"/login?next={target}",
            data={"username": "ana", "password": PASSWORD, "csrf_token": csrf_token(client)},
        )
        assert response.headers["Location"] == expected
        client.post("/logout", data={"csrf_token": csrf_token(client)})


def test_forms_without_a_csrf_token_are_refused(app: Flask, client) -> None:
    response = client.post(
        "/signup", data={"username": "ana", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 400
    with Session(engine_for(app)) as session:
        assert session.scalar(select(func.count(models.User.id))) == 0
    sign_up(client)
    api = client.post(
        "/api/study/sample/answer",
        json={"token": "x", "rating": 3},
        headers={"Accept": "application/json"},
    )
    assert api.status_code == 400
    assert "CSRF" in api.get_json()["error"]["message"]


def test_pages_need_a_login(client) -> None:
    page = client.get("/study/sample")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=")
    api = client.get("/api/study/sample/next", headers={"Accept": "application/json"})
    assert api.status_code == 401 and api.get_json()["error"]["message"] == "Log in first."


def test_password_guessing_is_locked_per_username(app: Flask, client) -> None:
    sign_up(client)
    client.post("/logout", data={"csrf_token": csrf_token(client)})

    def attempt(username: str, password: str) -> int:
        return client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        ).status_code

    assert [attempt("ana", f"guess {i}") for i in range(10)] == [400] * 10
    locked = client.post(
        "/login", data={"username": "ana", "password": PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert locked.status_code == 429
    assert b"Too many failed logins; try again in 15 minute(s)." in locked.data
    assert attempt("someone-else", "guess") == 400  # other names are not locked
    with Session(engine_for(app)) as session:
        for failure in session.scalars(select(models.LoginFailure)):
            failure.at -= timedelta(minutes=16)
        session.commit()
    assert attempt("ana", PASSWORD) == 302
    with Session(engine_for(app)) as session:  # old failures are cleared as new ones come
        assert session.scalar(select(func.count(models.LoginFailure.id))) <= 1
