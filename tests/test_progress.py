"""Your data: stats pages, memory map, export and import round trip, deleting an account."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bacstudy import accounts, models
from bacstudy.db import migrate
from bacstudy.db.session import engine_for
from bacstudy.decks.parse import load_decks
from bacstudy.decks.sync import sync_decks
from bacstudy.progress import portability, queries, stats
from bacstudy.study import answering, queue, scheduling, set_aside
from tests.web_helpers import PASSWORD, csrf_token, sign_up

START = datetime.now(UTC) - timedelta(days=40)


def seed_history(
    app: Flask, deck_folder: Path, username: str = "ana", days: int = 40
) -> models.User:
    """A student who studied most days for ``days`` days, ending now (fuzz on, as in the app)."""
    with Session(engine_for(app), expire_on_commit=False) as session:
        if session.scalar(select(func.count(models.Deck.id))) == 0:
            sync_decks(session, load_decks(deck_folder), START)
        user = accounts.create_user(session, username, PASSWORD, START)
        session.commit()
        deck = session.scalars(select(models.Deck)).first()
        fuzzy = scheduling.make_scheduler(user.study_settings, fuzz=True)
        for day in range(days):
            if day % 7 == 3:
                continue  # a day off now and then
            now = START + timedelta(days=day, hours=2)
            for minute in range(0, 40, 4):
                moment = now + timedelta(minutes=minute)
                card = queue.next_card(session, queue.StudyScope(user, deck, moment))
                if card is None:
                    break
                shown = answering.present(session, user, card, moment, fuzzy)
                rating = 1 if (day + minute) % 5 == 0 else 3
                answering.answer(session, user, shown.token, rating, moment, 4000)
                session.commit()
        first_card = session.scalars(select(models.Card.id).order_by(models.Card.id)).first()
        set_aside.set_suspended(session, user, first_card, True)
        set_aside.save_personal_note(session, user, first_card, "my own hook", START)
        session.commit()
        return user


def log_in(client, username: str = "ana") -> None:
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302


def all_stats(app: Flask, username: str, now: datetime) -> dict:
    with Session(engine_for(app)) as session:
        user = session.scalars(select(models.User).where(models.User.username == username)).one()
        deck = session.scalars(select(models.Deck)).one()
        answers = queries.answers(session, user)
        cards = queries.memories(session, user, deck, now)
        calendar = user.study_settings.calendar
        today = calendar.date_of(now)
        return {
            "per_day": stats.reviews_per_day(answers, today, 365, calendar),
            "streak": stats.streak(answers, today, calendar),
            "retention": stats.true_retention(answers, today, calendar),
            "forecast": stats.forecast(cards, today, 30, calendar),
            "states": stats.counts_by_state(cards),
            "recall": stats.average_retrievability(cards),
            "mastery": stats.mastery_by_tag(cards),
        }


def test_stats_page_for_a_new_student_says_what_will_come(
    app: Flask, client, runner, deck_source: Path
) -> None:
    runner("decks", "sync")
    with Session(engine_for(app)) as session:
        accounts.create_user(session, "ana", PASSWORD, START)
        session.commit()
    log_in(client)
    page = client.get("/stats/").get_data(as_text=True)
    assert "No reviews yet" in page and "No reviews in this period." in page
    assert "Nothing is due in the next 30 days." in page
    assert client.get("/stats/?days=7").status_code == 400


def test_stats_page_shows_every_statistic(app: Flask, client, deck_source: Path) -> None:
    seed_history(app, deck_source.parent)
    log_in(client)
    page = client.get("/stats/?days=90").get_data(as_text=True)
    expected = all_stats(app, "ana", datetime.now(UTC))
    assert f"streak {expected['streak']} day" in page
    assert 'aria-labelledby="reviews-title reviews-desc"' in page
    assert 'aria-labelledby="forecast-title forecast-desc"' in page and "heat-" in page
    total = sum(n for _, n in expected["per_day"])
    assert f"{total} in all" in page
    for row in expected["retention"]:
        assert f"<td>{row.period}</td><td>{row.passed}</td><td>{row.failed}</td>" in page
    for name, count in expected["states"].items():
        assert f'<th scope="row">{name}</th><td>{count}</td>' in page
    for mastery in expected["mastery"]:
        assert (
            f"<td>{mastery.cards}</td><td>{mastery.studied}</td><td>{mastery.percent}%</td>" in page
        )


def test_memory_map_colours_symbols_and_links_to_their_cards(
    app: Flask, client, deck_source: Path
) -> None:
    seed_history(app, deck_source.parent)
    log_in(client)
    page = client.get("/stats/sample/memory-map").get_data(as_text=True)
    assert page.count('class="memory-spot"') == 3
    assert 'href="/study/sample?symbol=b-bee"' in page
    assert "recall" in page and "— study its cards" in page
    # Clicking a symbol studies the cards of the notes it encodes, and only those.
    newcomer = app.test_client()
    sign_up(newcomer, "cara")
    queue = newcomer.get("/api/study/sample/next?symbol=receptor-dragonist").get_json()
    with Session(engine_for(app)) as session:
        allowed = set(
            session.scalars(
                select(models.Card.id)
                .join(models.Card.note)
                .join(models.Note.symbols)
                .where(models.Symbol.slug == "receptor-dragonist")
            )
        )
    assert queue["counts"]["new"] == len(allowed) == 4  # the ions cloze (2) + the symbol (2)
    assert queue["card"]["card_id"] in allowed
    assert client.get("/stats/nope/memory-map").status_code == 404


def test_export_then_import_into_a_fresh_instance_gives_identical_states_and_stats(
    app: Flask, client, deck_source: Path, tmp_path: Path
) -> None:
    seed_history(app, deck_source.parent)
    log_in(client)
    exported = client.get("/account/progress.json")
    assert exported.status_code == 200
    document = exported.get_json()
    assert document["format"] == "bacstudy-progress" and len(document["review_log"]) > 100

    from bacstudy import create_app

    other = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
            "INSTANCE_PATH": str(tmp_path / "other"),
            "TESTING": True,
        }
    )
    migrate.upgrade(engine_for(other))
    with Session(engine_for(other)) as session:
        sync_decks(session, load_decks(deck_source.parent), datetime.now(UTC))
        accounts.create_user(session, "ana", PASSWORD, datetime.now(UTC))
        session.commit()
    other_client = other.test_client()
    log_in(other_client)
    response = other_client.post(
        "/account/import",
        data={
            "file": (io.BytesIO(exported.data), "progress.json"),
            "confirm": "replace",
            "csrf_token": csrf_token(other_client),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    again = other_client.get("/account/progress.json").get_json()
    for key in ("settings", "card_states", "review_log", "personal_notes"):
        assert again[key] == document[key], key
    now = datetime.now(UTC)
    assert all_stats(other, "ana", now) == all_stats(app, "ana", now)
    engine_for(other).dispose()


def test_review_log_csv(app: Flask, client, deck_source: Path) -> None:
    seed_history(app, deck_source.parent, days=2)
    log_in(client)
    lines = client.get("/account/review-log.csv").get_data(as_text=True).splitlines()
    assert lines[0] == (
        "reviewed_at,deck,note,template,ordinal,rating,kind,duration_ms,"
        "state_before,state_after,stability_after,difficulty_after,due_after"
    )
    with Session(engine_for(app)) as session:
        assert len(lines) - 1 == session.scalar(select(func.count(models.ReviewLog.id)))
    assert ",sample,receptor,basic,0," in lines[1] and ",new,learning," in lines[1]


def post_import(client, document, confirm: bool = True, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(document).encode()
    data = {"file": (io.BytesIO(body), "progress.json"), "csrf_token": csrf_token(client)}
    if confirm:
        data["confirm"] = "replace"
    return client.post("/account/import", data=data, content_type="multipart/form-data")


def progress_rows(app: Flask) -> dict[str, list]:
    with Session(engine_for(app)) as session:
        return {
            model.__tablename__: sorted(map(repr, session.execute(select(model.__table__)).all()))
            for model in (models.CardState, models.ReviewLog, models.CardFlags, models.PersonalNote)
        }


def test_a_bad_import_changes_nothing(
    app: Flask, client, deck_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_history(app, deck_source.parent, days=3)
    seed_history(app, deck_source.parent, username="bob", days=2)
    log_in(client)
    document = client.get("/account/progress.json").get_json()
    before = progress_rows(app)
    broken = json.loads(json.dumps(document))
    broken["card_states"][0]["note"] = "no-such-note"
    broken["review_log"][0]["rating"] = 7
    broken["personal_notes"][0]["text"] = "nul \x00 inside"
    response = post_import(client, broken)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Nothing was imported." in text
    assert "card_states[0]: unknown card sample/no-such-note" in text
    assert "review_log[0]: rating must be 1 to 4" in text
    assert "personal_notes[0]: text contains a NUL character" in text
    assert post_import(client, {"format": "something else"}).status_code == 400
    assert post_import(client, None, raw=b"{not json").status_code == 400
    assert post_import(client, document, confirm=False).status_code == 400
    monkeypatch.setattr(portability, "MAX_IMPORT_BYTES", 1000)
    assert post_import(client, document).status_code == 413
    assert progress_rows(app) == before


def test_an_import_replaces_only_the_importers_progress(
    app: Flask, client, deck_source: Path
) -> None:
    seed_history(app, deck_source.parent, days=3)
    seed_history(app, deck_source.parent, username="bob", days=2)
    with Session(engine_for(app)) as session:
        bob = session.scalars(select(models.User).where(models.User.username == "bob")).one()
        bobs_logs = session.scalar(
            select(func.count(models.ReviewLog.id)).where(models.ReviewLog.user_id == bob.id)
        )
    log_in(client)
    document = client.get("/account/progress.json").get_json()
    document["review_log"] = document["review_log"][:5]
    assert post_import(client, document).status_code == 302
    with Session(engine_for(app)) as session:
        ana = session.scalars(select(models.User).where(models.User.username == "ana")).one()
        assert (
            session.scalar(
                select(func.count(models.ReviewLog.id)).where(models.ReviewLog.user_id == ana.id)
            )
            == 5
        )
        assert (
            session.scalar(
                select(func.count(models.ReviewLog.id)).where(models.ReviewLog.user_id == bob.id)
            )
            == bobs_logs
        )


def test_deleting_an_account_removes_every_row_of_it(app: Flask, client, deck_source: Path) -> None:
    seed_history(app, deck_source.parent, days=3)
    seed_history(app, deck_source.parent, username="bob", days=2)
    log_in(client)
    quiz = client.post(
        "/quiz/sample/start", data={"mode": "tutor", "count": "5", "csrf_token": csrf_token(client)}
    )
    assert quiz.status_code == 302
    wrong = client.post(
        "/account/delete", data={"password": "nope", "csrf_token": csrf_token(client)}
    )
    assert wrong.status_code == 400
    done = client.post(
        "/account/delete", data={"password": PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert done.status_code == 302
    owned = [table for table in models.Base.metadata.sorted_tables if "user_id" in table.c]
    assert {t.name for t in owned} >= {
        "card_states",
        "review_logs",
        "card_flags",
        "presentations",
        "personal_notes",
        "quizzes",
        "queue_actions",
        "login_sessions",
    }
    with Session(engine_for(app)) as session:
        users = session.scalars(select(models.User.username)).all()
        assert users == ["bob"]
        bob_id = session.scalars(select(models.User.id)).one()
        for table in owned:
            strangers = session.scalar(
                select(func.count()).select_from(table).where(table.c.user_id != bob_id)
            )
            assert strangers == 0, table.name
        assert session.scalar(select(func.count(models.QuizQuestion.id))) == 0
        assert session.scalar(select(func.count(models.ReviewLog.id))) > 0  # bob's are kept
    assert client.get("/stats/").status_code == 302  # logged out
