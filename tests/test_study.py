"""The study service on a real database: queue order, limits, answers, undo, bury, suspend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bacstudy import errors, models
from bacstudy.db.session import engine_for
from bacstudy.decks.parse import load_decks
from bacstudy.decks.sync import sync_decks
from bacstudy.study import answering, queue, scheduling, set_aside

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def session(app: Flask, deck_source: Path) -> Iterator[Session]:
    with Session(engine_for(app), expire_on_commit=False) as session:
        sync_decks(session, load_decks(deck_source.parent), T0)
        session.commit()
        yield session


def race_answers(app: Flask, user_id: int, tokens: list[str], now: datetime) -> list[str]:
    """Answer each token from its own thread and session, all released at the same moment."""
    import threading

    barrier = threading.Barrier(len(tokens))
    outcomes: list[str] = []

    def race(token: str, rating: int) -> None:
        with Session(engine_for(app)) as own:
            racer = own.get(models.User, user_id)
            barrier.wait()
            try:
                answering.answer(own, racer, token, rating, now, 1000)
                own.commit()
                outcomes.append("applied")
            except errors.DomainError:
                own.rollback()
                outcomes.append("refused")

    threads = [
        threading.Thread(target=race, args=(token, 3 if i == 0 else 1))
        for i, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def make_user(session: Session, name: str = "ana", **settings: object) -> models.User:
    user = models.User(username=name, password_hash="x", created_at=T0, **settings)
    session.add(user)
    session.commit()
    return user


def scope(
    session: Session, user: models.User, now: datetime = T0, tag: str | None = None
) -> queue.StudyScope:
    deck = session.scalars(select(models.Deck)).one()
    return queue.StudyScope(user=user, deck=deck, now=now, tag=tag)


def key(card: models.Card) -> tuple[str, str, int]:
    return card.note.slug, card.template, card.ordinal


def show_and_answer(
    session: Session, user: models.User, now: datetime, rating: int, *, fuzz: bool = False
) -> tuple[models.Card, models.ReviewLog]:
    card = queue.next_card(session, scope(session, user, now))
    assert card is not None
    scheduler = scheduling.make_scheduler(user.study_settings, fuzz=fuzz)
    shown = answering.present(session, user, card, now, scheduler)
    log = answering.answer(session, user, shown.token, rating, now + timedelta(seconds=5), 5000)
    session.commit()
    return card, log


def test_new_cards_come_in_deck_order_up_to_the_daily_limit(session: Session) -> None:
    user = make_user(session, new_per_day=3)
    counts = queue.queue_counts(session, scope(session, user))
    assert counts == queue.QueueCounts(new=3, learning=0, review=0)
    first = queue.next_card(session, scope(session, user))
    assert first is not None and key(first) == ("receptor", "basic", 0)
    seen = []
    for _ in range(3):
        card, log = show_and_answer(session, user, T0, 4)  # Easy: straight to review
        seen.append(key(card))
        assert log.kind == "new"
    assert seen == [("receptor", "basic", 0), ("max-dose", "basic", 0), ("max-dose", "reversed", 0)]
    assert queue.queue_counts(session, scope(session, user)).new == 0
    assert queue.next_card(session, scope(session, user, T0 + timedelta(hours=1))) is None
    # The next study day brings three more.
    tomorrow = T0 + timedelta(days=1)
    assert queue.queue_counts(session, scope(session, user, tomorrow)).new == 3


def test_learning_first_then_reviews_then_new(session: Session) -> None:
    user = make_user(session)
    again, _ = show_and_answer(session, user, T0, 1)  # learning, due in 1 minute
    easy, _ = show_and_answer(session, user, T0, 4)  # review, due in days
    later = T0 + timedelta(minutes=2)
    assert key(queue.next_card(session, scope(session, user, later))) == key(again)
    review_day = session.get(models.CardState, (user.id, easy.id)).due + timedelta(hours=1)
    show_and_answer(session, user, review_day, 3)  # clears the learning card
    card = queue.next_card(session, scope(session, user, review_day))
    assert key(card) == key(easy)
    counts = queue.queue_counts(session, scope(session, user, review_day))
    assert counts.review == 1 and counts.learning == 0


def test_learning_cards_are_shown_ahead_when_nothing_else_is_left(session: Session) -> None:
    user = make_user(session, new_per_day=1)
    again, _ = show_and_answer(session, user, T0, 1)
    assert queue.queue_counts(session, scope(session, user)).total == 0
    assert key(queue.next_card(session, scope(session, user))) == key(again)


def test_a_topic_limits_the_queue_to_its_tag(session: Session) -> None:
    user = make_user(session)
    dosing = scope(session, user, tag="dosing")
    assert queue.queue_counts(session, dosing).new == 2
    assert key(queue.next_card(session, dosing)) == ("max-dose", "basic", 0)


def test_shown_intervals_are_the_ones_applied_with_fuzz_on(session: Session) -> None:
    user = make_user(session)
    fuzzy = scheduling.make_scheduler(user.study_settings, fuzz=True)
    card, _ = show_and_answer(session, user, T0, 4)
    now = T0
    for _ in range(4):
        now = session.get(models.CardState, (user.id, card.id)).due + timedelta(hours=2)
        shown = answering.present(session, user, card, now, fuzzy)
        answered_at = now + timedelta(seconds=12)
        answering.answer(session, user, shown.token, 3, answered_at, 12000)
        session.commit()
        state = session.get(models.CardState, (user.id, card.id))
        session.refresh(state)
        assert state.due - answered_at == timedelta(seconds=shown.intervals["3"])
        assert state.last_review == answered_at


def test_an_answer_counts_once(session: Session) -> None:
    user = make_user(session)
    card = queue.next_card(session, scope(session, user))
    shown = answering.present(
        session, user, card, T0, scheduling.make_scheduler(user.study_settings, fuzz=False)
    )
    session.commit()
    answering.answer(session, user, shown.token, 3, T0, 900)
    session.commit()
    with pytest.raises(errors.AlreadyAnswered):
        answering.answer(session, user, shown.token, 3, T0, 900)
    session.rollback()
    logs = session.scalars(select(models.ReviewLog)).all()
    assert len(logs) == 1


def test_a_second_tab_cannot_answer_the_same_card_again(session: Session) -> None:
    user = make_user(session)
    scheduler = scheduling.make_scheduler(user.study_settings, fuzz=False)
    card = queue.next_card(session, scope(session, user))
    tab_a = answering.present(session, user, card, T0, scheduler)
    tab_b = answering.present(session, user, card, T0, scheduler)
    session.commit()
    answering.answer(session, user, tab_a.token, 3, T0, 1000)
    session.commit()
    before = session.get(models.CardState, (user.id, card.id))
    with pytest.raises(errors.CardChanged, match="another tab"):
        answering.answer(session, user, tab_b.token, 1, T0, 1000)
    session.rollback()
    after = session.get(models.CardState, (user.id, card.id))
    session.refresh(after)
    assert (after.version, after.state, after.step) == (before.version, before.state, before.step)
    assert len(session.scalars(select(models.ReviewLog)).all()) == 1


def test_one_student_cannot_answer_anothers_card(session: Session) -> None:
    ana, bo = make_user(session, "ana"), make_user(session, "bob")
    card = queue.next_card(session, scope(session, ana))
    shown = answering.present(
        session, ana, card, T0, scheduling.make_scheduler(ana.study_settings, fuzz=False)
    )
    session.commit()
    with pytest.raises(errors.NotFound):
        answering.answer(session, bo, shown.token, 3, T0, 1000)
    session.rollback()
    assert session.scalars(select(models.CardState)).all() == []
    with pytest.raises(errors.NotFound):
        answering.answer(session, ana, "made-up-token", 3, T0, 1000)


def test_undo_restores_exactly_the_state_before(session: Session) -> None:
    user = make_user(session)
    card, _ = show_and_answer(session, user, T0, 3)
    state = session.get(models.CardState, (user.id, card.id))
    snapshot = state.memory
    version = state.version
    later = state.due + timedelta(minutes=1)
    card_again, _ = show_and_answer(session, user, later, 3)
    assert card_again.id == card.id
    undone = answering.undo_last(session, user)
    session.commit()
    session.refresh(state)
    assert undone.id == card.id
    assert state.memory == snapshot and state.version == version + 2
    # Undoing the first answer makes the card new again.
    answering.undo_last(session, user)
    session.commit()
    assert session.get(models.CardState, (user.id, card.id)) is None
    assert session.scalars(select(models.ReviewLog)).all() == []
    with pytest.raises(errors.NothingToUndo):
        answering.undo_last(session, user)


def test_bury_hides_until_the_next_study_day_and_suspend_until_lifted(session: Session) -> None:
    user = make_user(session, timezone="Europe/Berlin")
    first = queue.next_card(session, scope(session, user))
    until = set_aside.bury(session, user, first.id, T0)
    session.commit()
    assert until == datetime(2026, 11, 3, 3, 0, tzinfo=UTC)  # 04:00 in Berlin
    assert key(queue.next_card(session, scope(session, user))) != key(first)
    assert key(queue.next_card(session, scope(session, user, until))) == key(first)
    set_aside.set_suspended(session, user, first.id, True)
    session.commit()
    assert key(queue.next_card(session, scope(session, user, until))) != key(first)
    set_aside.set_suspended(session, user, first.id, False)
    session.commit()
    assert key(queue.next_card(session, scope(session, user, until))) == key(first)
    with pytest.raises(errors.NotFound):
        set_aside.bury(session, user, 999999, T0)


def test_replaying_the_log_reproduces_every_stored_state(session: Session) -> None:
    user = make_user(session)
    now = T0
    for rating in (3, 1, 3, 3, 4, 2, 3, 3, 1, 3, 4, 3):
        show_and_answer(session, user, now, rating, fuzz=True)
        now += timedelta(days=1)
    exact = scheduling.make_scheduler(user.study_settings, fuzz=False)
    logs = session.scalars(
        select(models.ReviewLog)
        .where(models.ReviewLog.user_id == user.id)
        .order_by(models.ReviewLog.id)
    ).all()
    states = session.scalars(select(models.CardState)).all()
    assert states
    for state in states:
        answers = [
            scheduling.LoggedAnswer(
                rating=log.rating,
                answered_at=log.reviewed_at,
                interval=scheduling.MemoryState.from_json(log.state_after).due - log.reviewed_at,
            )
            for log in logs
            if log.card_id == state.card_id
        ]
        assert scheduling.replay(exact, state.card_id, answers) == state.memory


def test_racing_answers_to_one_card_apply_once(app: Flask, session: Session) -> None:
    """Two requests answering the same shown card at the same moment: one wins, one is refused."""
    user = make_user(session)
    card = queue.next_card(session, scope(session, user))
    scheduler = scheduling.make_scheduler(user.study_settings, fuzz=False)
    shown = answering.present(session, user, card, T0, scheduler)
    session.commit()
    assert race_answers(app, user.id, [shown.token, shown.token], T0) == ["applied", "refused"]
    session.expire_all()
    assert len(session.scalars(select(models.ReviewLog)).all()) == 1
    assert session.get(models.CardState, (user.id, card.id)).version == 1


def test_two_tabs_racing_on_a_studied_card_apply_once(app: Flask, session: Session) -> None:
    """Two presentations of one reviewed card answered at the same moment: the version guard
    lets exactly one through, however the two requests interleave."""
    user = make_user(session)
    card, _ = show_and_answer(session, user, T0, 4)
    scheduler = scheduling.make_scheduler(user.study_settings, fuzz=False)
    now = T0 + timedelta(days=30)
    for _round in range(5):
        shown = [answering.present(session, user, card, now, scheduler) for _ in range(2)]
        session.commit()
        tokens = [presentation.token for presentation in shown]
        assert race_answers(app, user.id, tokens, now) == ["applied", "refused"]
        now += timedelta(days=60)
    session.expire_all()
    logs = session.scalars(select(models.ReviewLog).where(models.ReviewLog.card_id == card.id))
    assert len(logs.all()) == 6  # the first answer and one per round
