"""The study API and pages through the test client, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bacstudy import models
from bacstudy.db.session import engine_for
from tests.conftest import edit_deck
from tests.web_helpers import csrf_token, post_json, sign_up

NEXT = "/api/study/sample/next"
ANSWER = "/api/study/sample/answer"


@pytest.fixture
def student(app: Flask, client, runner, deck_source: Path):
    assert runner("decks", "sync").exit_code == 0
    sign_up(client)
    return client


def count(app: Flask, model) -> int:
    with Session(engine_for(app)) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_next_card_carries_its_buttons_and_answer_side(student) -> None:
    data = student.get(NEXT).get_json()
    assert data["done"] is False
    assert data["counts"] == {"new": 11, "learning": 0, "review": 0}
    card = data["card"]
    assert card["front_html"] == "Which receptor does baclofen stimulate?"
    assert [(b["rating"], b["label"]) for b in card["buttons"]] == [
        (1, "Again"),
        (2, "Hard"),
        (3, "Good"),
        (4, "Easy"),
    ]
    assert [b["interval"] for b in card["buttons"]][:3] == ["1m", "6m", "10m"]
    back = card["back_html"]
    assert "GABA-B" in back and "The B subtype is G-protein coupled." in back
    assert "scene.svg?highlight=gaba-goose" in back and "Mechanism of Action" in back


def test_answer_returns_the_next_card_and_logs_everything(app: Flask, student) -> None:
    token = student.get(NEXT).get_json()["card"]["token"]
    data = post_json(student, ANSWER, {"token": token, "rating": 3, "duration_ms": 4321}).get_json()
    assert data["card"]["front_html"] == "Maximum daily oral dose"
    with Session(engine_for(app)) as session:
        log = session.scalars(select(models.ReviewLog)).one()
        assert (log.rating, log.duration_ms, log.kind) == (3, 4321, "new")
        assert log.state_before is None and log.state_after["state"] == 1
        state = session.scalars(select(models.CardState)).one()
        assert (state.due - state.last_review).total_seconds() == 600


@pytest.mark.parametrize("rating", [0, 5, "3", True, None, 2.5])
def test_a_rating_outside_one_to_four_is_a_400(app: Flask, student, rating) -> None:
    token = student.get(NEXT).get_json()["card"]["token"]
    response = post_json(student, ANSWER, {"token": token, "rating": rating})
    assert response.status_code == 400
    assert "rating must be 1" in response.get_json()["error"]["message"]
    assert count(app, models.ReviewLog) == 0


def test_malformed_requests_are_400s(student) -> None:
    assert post_json(student, ANSWER, {"rating": 3}).status_code == 400
    assert post_json(student, ANSWER, ["not", "an", "object"]).status_code == 400
    token = student.get(NEXT).get_json()["card"]["token"]
    bad_duration = post_json(student, ANSWER, {"token": token, "rating": 3, "duration_ms": -5})
    assert bad_duration.status_code == 400


def test_a_double_submitted_answer_counts_once(app: Flask, student) -> None:
    token = student.get(NEXT).get_json()["card"]["token"]
    assert post_json(student, ANSWER, {"token": token, "rating": 3}).status_code == 200
    again = post_json(student, ANSWER, {"token": token, "rating": 3})
    assert again.status_code == 409
    assert "already answered" in again.get_json()["error"]["message"]
    assert count(app, models.ReviewLog) == 1


def test_two_tabs_never_double_apply(app: Flask, student) -> None:
    tab_a = student.get(NEXT).get_json()["card"]
    tab_b = student.get(NEXT).get_json()["card"]
    assert tab_a["card_id"] == tab_b["card_id"] and tab_a["token"] != tab_b["token"]
    assert post_json(student, ANSWER, {"token": tab_a["token"], "rating": 4}).status_code == 200
    late = post_json(student, ANSWER, {"token": tab_b["token"], "rating": 1})
    assert late.status_code == 409 and "another tab" in late.get_json()["error"]["message"]
    with Session(engine_for(app)) as session:
        assert session.scalars(select(models.ReviewLog.rating)).all() == [4]


def test_another_students_card_cannot_be_answered(app: Flask, student, client) -> None:
    token = student.get(NEXT).get_json()["card"]["token"]
    other = app.test_client()
    sign_up(other, "bob")
    response = post_json(other, ANSWER, {"token": token, "rating": 3})
    assert response.status_code == 404
    assert post_json(other, "/api/study/sample/bury", {"token": token}).status_code == 404
    assert count(app, models.ReviewLog) == 0 and count(app, models.CardFlags) == 0
    assert post_json(student, ANSWER, {"token": token, "rating": 3}).status_code == 200


def test_unknown_deck_and_card_ids_are_404s(student) -> None:
    assert student.get("/api/study/nope/next").status_code == 404
    assert student.get("/study/nope").status_code == 404
    assert post_json(student, "/api/cards/999999/my-note", {"text": "x"}).status_code == 404
    assert post_json(student, ANSWER, {"token": "never-issued", "rating": 3}).status_code == 404


def test_undo_bury_and_suspend(app: Flask, student) -> None:
    first = student.get(NEXT).get_json()["card"]
    post_json(student, ANSWER, {"token": first["token"], "rating": 3})
    undone = post_json(student, "/api/study/sample/undo", {}).get_json()
    assert undone["card"]["card_id"] == first["card_id"]
    assert count(app, models.ReviewLog) == 0 and count(app, models.CardState) == 0
    assert post_json(student, "/api/study/sample/undo", {}).status_code == 409

    buried = post_json(student, "/api/study/sample/bury", {"token": undone["card"]["token"]})
    after_bury = buried.get_json()
    assert after_bury["card"]["card_id"] != first["card_id"]
    assert after_bury["counts"]["new"] == 10
    suspended = post_json(
        student, "/api/study/sample/suspend", {"token": after_bury["card"]["token"]}
    ).get_json()
    assert suspended["counts"]["new"] == 9
    with Session(engine_for(app)) as session:
        flags = session.scalars(select(models.CardFlags)).all()
        assert sorted((f.suspended, f.buried_until is not None) for f in flags) == [
            (False, True),
            (True, False),
        ]


def test_study_one_topic(student) -> None:
    data = student.get(NEXT + "?tag=dosing").get_json()
    assert data["counts"]["new"] == 2
    assert data["card"]["front_html"] == "Maximum daily oral dose"
    assert student.get("/study/sample?tag=dosing").status_code == 200


def test_personal_note_is_shown_and_survives_a_deck_update(
    app: Flask, student, runner, deck_source: Path
) -> None:
    card = student.get(NEXT).get_json()["card"]
    saved = post_json(
        student, f"/api/cards/{card['card_id']}/my-note", {"text": "Goose wears a B badge <b>!</b>"}
    )
    assert saved.status_code == 200
    edit_deck(deck_source, "    back: GABA-B\n", "    back: The GABA-B receptor\n")
    assert runner("decks", "sync").exit_code == 0
    back = student.get(NEXT).get_json()["card"]["back_html"]
    assert "The GABA-B receptor" in back
    assert "Goose wears a B badge &lt;b&gt;!&lt;/b&gt;" in back
    too_long = post_json(student, f"/api/cards/{card['card_id']}/my-note", {"text": "x" * 5001})
    assert too_long.status_code == 400
    post_json(student, f"/api/cards/{card['card_id']}/my-note", {"text": "  "})
    assert count(app, models.PersonalNote) == 0


def test_home_shows_todays_counts_and_topics(student) -> None:
    home = student.get("/").get_data(as_text=True)
    assert "11 new" in home and "0 learning" in home and "0 due" in home
    assert '<option value="dosing">dosing (2 cards)</option>' in home


def test_settings_save_and_refuse_bad_values(app: Flask, student) -> None:
    form = {
        "new_per_day": "5",
        "reviews_per_day": "100",
        "desired_retention": "0.85",
        "learning_steps": "2m 15m 1h",
        "relearning_steps": "",
        "maximum_interval_days": "365",
        "timezone": "Europe/Berlin",
        "csrf_token": csrf_token(student),
    }
    assert student.post("/settings", data=form).status_code == 302
    with Session(engine_for(app)) as session:
        user = session.scalars(select(models.User)).one()
        assert (
            user.new_per_day,
            user.desired_retention,
            user.learning_steps,
            user.relearning_steps,
            user.timezone,
        ) == (5, 0.85, [2, 15, 60], [], "Europe/Berlin")
    assert student.get(NEXT).get_json()["counts"]["new"] == 5
    page = student.get("/settings").get_data(as_text=True)
    assert 'value="2m 15m 1h"' in page
    for field, value, message in (
        ("desired_retention", "0.5", "between 0.7 and 0.99"),
        ("learning_steps", "10x", "not a step like"),
        ("timezone", "Mars/Olympus", "Not a valid choice"),
        ("new_per_day", "-1", "between 0 and 9999"),
    ):
        response = student.post(
            "/settings", data={**form, field: value, "csrf_token": csrf_token(student)}
        )
        assert response.status_code == 400, field
        assert message in response.get_data(as_text=True), field


def test_browse_searches_shows_state_and_suspends(app: Flask, student) -> None:
    token = student.get(NEXT).get_json()["card"]["token"]
    post_json(student, ANSWER, {"token": token, "rating": 4})
    page = student.get("/browse?deck=sample").get_data(as_text=True)
    assert "11 cards" in page and "Review" in page and "100%" in page
    found = student.get("/browse?deck=sample&q=potassium").get_data(as_text=True)
    assert "2 cards" in found and "GABA-B activation" in found
    dosing = student.get("/browse?deck=sample&tag=dosing").get_data(as_text=True)
    assert "2 cards" in dosing
    with Session(engine_for(app)) as session:
        card_id = session.scalars(select(models.Card.id).order_by(models.Card.id)).first()
    response = student.post(
        f"/browse/cards/{card_id}/suspend",
        data={"suspended": "1", "next": "/browse?deck=sample", "csrf_token": csrf_token(student)},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/browse?deck=sample"
    assert "Unsuspend" in student.get("/browse?deck=sample").get_data(as_text=True)
    assert student.get("/browse?deck=sample&page=x").status_code == 400
    assert student.get("/browse?deck=nope").status_code == 404


def test_scene_explorer_lists_every_symbol_with_its_cards(student) -> None:
    page = student.get("/decks/sample/explore").get_data(as_text=True)
    assert page.count('class="hotspot"') == 3
    assert '"label": "(B) Bee"' in page
    assert "Which receptor does baclofen stimulate? \\u2014 GABA-B" in page
    assert student.get("/decks/nope/explore").status_code == 404
