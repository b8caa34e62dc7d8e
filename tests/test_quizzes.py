"""Quiz attempts on a real database: deadlines, answers, scoring, retakes, the study bridge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from bacstudy import errors, models
from bacstudy.db.session import engine_for
from bacstudy.decks.parse import load_decks
from bacstudy.decks.sync import sync_decks
from bacstudy.quiz import attempts
from bacstudy.quiz.attempts import QuizSettings
from bacstudy.resources import resource_dir
from tests.conftest import review_state

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """The real baclofen deck: enough facts and symbols for every question type."""
    with Session(engine_for(app), expire_on_commit=False) as session:
        sync_decks(session, load_decks(resource_dir("cards")), T0)
        session.add(models.User(username="ana", password_hash="x", created_at=T0))
        session.commit()
        yield session


def start(session: Session, **settings: object) -> models.Quiz:
    user = session.scalars(select(models.User)).one()
    deck = session.scalars(select(models.Deck)).one()
    values = {"mode": "tutor", "count": 8, "seed": 42, **settings}
    quiz = attempts.start_quiz(session, user, deck, QuizSettings(**values), T0)
    session.commit()
    return quiz


def first_of(quiz: models.Quiz, *types: str) -> models.QuizQuestion:
    return next(q for q in quiz.questions if q.type in types)


def wrong_option(question: models.QuizQuestion) -> str:
    return next(o["id"] for o in question.options if o["id"] != question.correct)


def test_the_same_seed_asks_the_same_questions(session: Session) -> None:
    first, second = start(session), start(session)
    snapshot = [(q.type, q.prompt, q.options, q.correct) for q in first.questions]
    assert snapshot == [(q.type, q.prompt, q.options, q.correct) for q in second.questions]
    assert len(snapshot) == 8
    other = start(session, seed=7)
    assert [q.prompt for q in other.questions] != [q.prompt for q in first.questions]


def test_questions_include_the_scene(session: Session) -> None:
    quiz = start(session, count=20)
    types = {q.type for q in quiz.questions}
    assert types & {"hotspot", "symbol-choice"}
    assert len({(q.note_id, q.prompt) for q in quiz.questions}) == len(quiz.questions)


def test_answers_are_scored_once_and_unanswered_count_wrong(session: Session) -> None:
    quiz = start(session)
    right = first_of(quiz, "choice", "true-false", "symbol-choice")
    wrong = next(q for q in quiz.questions if q.options and q is not right)
    answer = attempts.answer_question
    answer(session, quiz, right.position, T0, option=right.correct)
    assert right.is_correct is True
    with pytest.raises(errors.QuizRefused, match="already answered"):
        answer(session, quiz, right.position, T0, option=right.correct)
    answer(session, quiz, wrong.position, T0, option=wrong_option(wrong))
    assert wrong.is_correct is False
    third = next(q for q in quiz.questions if q.options and q not in (right, wrong))
    with pytest.raises(errors.InvalidQuizInput, match="not offered"):
        answer(session, quiz, third.position, T0, option="z")
    assert third.answer is None
    with pytest.raises(errors.NotFound):
        answer(session, quiz, 99, T0, option="a")
    attempts.submit(session, quiz, T0 + timedelta(minutes=3))
    result = attempts.result_of(quiz)
    assert (result.correct, result.total, result.seconds) == (1, 8, 180)
    assert len(result.missed) == 7
    assert sum(t.total for t in result.topics) == 8


def test_the_deadline_is_enforced_on_the_server(session: Session) -> None:
    quiz = start(session, mode="exam", time_limit_minutes=10)
    assert quiz.deadline == T0 + timedelta(minutes=10)
    question = next(q for q in quiz.questions if q.options)
    late = T0 + timedelta(minutes=10, seconds=1)
    with pytest.raises(errors.QuizRefused, match="Time is up"):
        attempts.answer_question(session, quiz, question.position, late, option=question.correct)
    assert question.answer is None and question.is_correct is False
    assert quiz.submitted_at == quiz.deadline
    with pytest.raises(errors.QuizRefused, match="already submitted"):
        attempts.answer_question(session, quiz, question.position, T0, option=question.correct)


def test_hotspot_questions_are_answered_by_a_point(session: Session) -> None:
    quiz = next(
        q
        for q in (start(session, count=40, seed=seed) for seed in range(1, 40))
        if sum(question.type == "hotspot" for question in q.questions) >= 3
    )
    first, second, third = [q for q in quiz.questions if q.type == "hotspot"][:3]
    symbol = session.scalars(
        select(models.Symbol).where(models.Symbol.slug == first.symbol_slug)
    ).one()
    assert symbol.hotspot["shape"] == "rect"  # every symbol of the baclofen scene
    x, y, width, height = symbol.hotspot["coords"]
    attempts.answer_question(
        session, quiz, first.position, T0, point=(x + width / 2, y + height / 2)
    )
    assert first.is_correct is True and first.answer == symbol.slug
    attempts.answer_question(session, quiz, second.position, T0, point=(1199, 1))
    assert second.is_correct is False and second.answer == "(nothing)"
    with pytest.raises(errors.InvalidQuizInput, match="clicking the picture"):
        attempts.answer_question(session, quiz, third.position, T0, option="a")
    assert third.answer is None


def test_retake_and_retest_missed(session: Session) -> None:
    quiz = start(session)
    choice = next(q for q in quiz.questions if q.options and q.type != "true-false")
    attempts.answer_question(session, quiz, choice.position, T0, option=choice.correct)
    attempts.submit(session, quiz, T0)
    again = attempts.retake(session, quiz, T0)
    assert [q.prompt for q in again.questions] == [q.prompt for q in quiz.questions]
    retest = attempts.retest_missed(session, quiz, T0)
    assert retest.retest_of_id == quiz.id
    assert [q.prompt for q in retest.questions] == [
        q.prompt for q in quiz.questions if q.position != choice.position
    ]
    for old, new in zip(
        [q for q in quiz.questions if q.position != choice.position], retest.questions, strict=True
    ):
        old_right = next((o["text"] for o in old.options if o["id"] == old.correct), old.correct)
        new_right = next((o["text"] for o in new.options if o["id"] == new.correct), new.correct)
        assert old_right == new_right
    with pytest.raises(errors.QuizRefused):
        attempts.retest_missed(session, again, T0)  # not submitted


def test_quiz_answers_leave_fsrs_alone_until_missed_cards_are_brought_forward(
    session: Session,
) -> None:
    user = session.scalars(select(models.User)).one()
    cards = session.scalars(select(models.Card)).all()
    for card in cards:
        session.add(review_state(user.id, card.id, due=T0 + timedelta(days=20), last_review=T0))
    session.commit()
    quiz = start(session)
    for question in quiz.questions:
        if question.options:
            attempts.answer_question(
                session, quiz, question.position, T0, option=wrong_option(question)
            )
    session.commit()
    states = session.scalars(select(models.CardState)).all()
    assert all(state.due == T0 + timedelta(days=20) and state.version == 1 for state in states)
    attempts.submit(session, quiz, T0)
    now = T0 + timedelta(hours=1)
    moved = attempts.bring_missed_forward(session, quiz, now)
    session.commit()
    missed_cards = {q.card_id for q in quiz.questions if not q.is_correct and q.card_id}
    assert moved == len(missed_cards) > 0
    session.expire_all()
    for state in session.scalars(select(models.CardState)):
        expected = now if state.card_id in missed_cards else T0 + timedelta(days=20)
        assert state.due == expected
    actions = session.scalars(select(models.QueueAction)).all()
    assert {a.card_id for a in actions} == missed_cards
    assert all(a.reason == f"missed in quiz {quiz.id}" and a.due_after == now for a in actions)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"count": 4}, "Choose 5 to 100"),
        ({"count": 101}, "Choose 5 to 100"),
        ({"mode": "cram"}, "tutor or exam"),
        ({"time_limit_minutes": 5}, "Only exam mode"),
        ({"tags": ("astrology",)}, "Unknown topic"),
    ],
)
def test_bad_settings_are_refused(session: Session, settings: dict, message: str) -> None:
    with pytest.raises(errors.InvalidQuizInput, match=message):
        start(session, **settings)
