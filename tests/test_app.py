"""The app factory, its configuration, the database plumbing and the error pages."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from bacstudy import create_app, models
from bacstudy.db.session import engine_for


def test_secret_key_is_generated_once_private_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BACSTUDY_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path / "a")})
    key_file = tmp_path / "a" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) == 64
    again = create_app({"INSTANCE_PATH": str(tmp_path / "a")})
    assert again.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    other = create_app({"INSTANCE_PATH": str(tmp_path / "b")})
    assert other.config["SECRET_KEY"] != first.config["SECRET_KEY"]
    for app in (first, again, other):
        engine_for(app).dispose()


def test_configuration_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACSTUDY_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("BACSTUDY_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("BACSTUDY_DECKS_PATH", str(tmp_path / "decks"))
    app = create_app()
    assert app.instance_path == str((tmp_path / "inst").resolve())
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["DECKS_PATH"] == str(tmp_path / "decks")
    assert (
        app.config["DATABASE_URL"] == f"sqlite:///{(tmp_path / 'inst').resolve()}/bacstudy.sqlite3"
    )
    assert not (tmp_path / "inst" / "secret_key").exists()
    monkeypatch.setenv("BACSTUDY_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    overridden = create_app({"SECRET_KEY": "explicit"})
    assert overridden.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'elsewhere.db'}"
    assert overridden.config["SECRET_KEY"] == "explicit"
    for each in (app, overridden):
        engine_for(each).dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    with engine_for(app).connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine_for(app).dispose()


def test_timestamps_come_back_aware_utc_and_naive_ones_are_refused(app: Flask) -> None:
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    with Session(engine_for(app)) as session:
        session.add(models.User(username="ana", password_hash="x", created_at=moment))
        session.commit()
    with Session(engine_for(app)) as session:
        user = session.scalars(select(models.User)).one()
        assert user.created_at == moment
        assert user.created_at.tzinfo is UTC
        session.add(
            models.User(username="bo-b", password_hash="x", created_at=datetime(2026, 3, 1, 9, 30))
        )
        with pytest.raises(StatementError, match="naive datetime"):
            session.commit()


def test_home_lists_loaded_decks(app: Flask, client, runner, deck_source: Path) -> None:
    empty = client.get("/")
    assert empty.status_code == 200
    assert b"No decks loaded yet" in empty.data
    runner("decks", "sync")
    page = client.get("/")
    assert page.status_code == 200
    assert b"Sample deck" in page.data
    assert b"6 notes" in page.data and b"11 cards" in page.data


def test_unknown_page_is_a_404_page_or_json(client) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert b"Not Found" in page.data and b"Back to your decks" in page.data
    api = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert api.status_code == 404
    assert api.get_json()["error"]["code"] == 404


def test_wrong_method_is_a_405_page(client) -> None:
    assert client.post("/").status_code == 405


def test_unexpected_error_is_a_plain_500_without_traceback(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Internal Server Error" in response.data
    assert b"secret internals" not in response.data and b"Traceback" not in response.data


def test_oversized_requests_are_refused_with_413(app: Flask, client) -> None:
    response = client.post("/login", data={"username": "x" * (9 * 1024 * 1024)})
    assert response.status_code == 413


def test_secure_cookies_can_be_switched_on(tmp_path: Path) -> None:
    plain = create_app({"INSTANCE_PATH": str(tmp_path / "a")})
    secure = create_app({"INSTANCE_PATH": str(tmp_path / "b"), "SECURE_COOKIES": "1"})
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    assert secure.config["SESSION_COOKIE_SECURE"] is True
    for each in (plain, secure):
        engine_for(each).dispose()
