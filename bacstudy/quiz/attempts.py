"""Quiz attempts: start, answer, flag, submit, score, retake and retest.

Takes the session and the time; the caller commits. Quiz answers never touch
FSRS state; the one bridge to the study queue is :func:`bring_missed_forward`,
an explicit action the student asks for, recorded in ``queue_actions``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bacstudy.decks.source import Hotspot
from bacstudy.errors import InvalidQuizInput, NotFound, QuizRefused
from bacstudy.models import (
    Card,
    Deck,
    Note,
    QueueAction,
    Quiz,
    QuizQuestion,
    Scene,
    Symbol,
    Tag,
    User,
)
from bacstudy.quiz import generate
from bacstudy.study.states import read_state, write_state

MODES = ("tutor", "exam")
# What a stored question keeps of the question it was made from, as it was asked.
COPIED_QUESTION_FIELDS = (
    "type",
    "prompt",
    "topic",
    "note_id",
    "card_id",
    "symbol_slug",
    "scene_slug",
    "explanation",
)
MIN_QUESTIONS, MAX_QUESTIONS = 5, 100
MAX_TIME_LIMIT_MINUTES = 300


@dataclass(frozen=True)
class QuizSettings:
    mode: str
    count: int
    tags: tuple[str, ...] = ()
    time_limit_minutes: int | None = None
    seed: int | None = None

    def validated(self) -> QuizSettings:
        if self.mode not in MODES:
            raise InvalidQuizInput(f"The mode must be tutor or exam, not {self.mode!r}.")
        if not MIN_QUESTIONS <= self.count <= MAX_QUESTIONS:
            raise InvalidQuizInput(f"Choose {MIN_QUESTIONS} to {MAX_QUESTIONS} questions.")
        limit = self.time_limit_minutes
        if limit is not None and not 1 <= limit <= MAX_TIME_LIMIT_MINUTES:
            raise InvalidQuizInput(f"A time limit is 1 to {MAX_TIME_LIMIT_MINUTES} minutes.")
        if limit is not None and self.mode != "exam":
            raise InvalidQuizInput("Only exam mode has a time limit.")
        return self


def _material(
    session: Session, deck: Deck, tags: tuple[str, ...]
) -> tuple[list[generate.Fact], list[generate.SymbolFact]]:
    """The deck's live facts and scene symbols, limited to ``tags`` when given."""
    notes = session.scalars(
        select(Note)
        .where(Note.deck_id == deck.id, Note.retired_at.is_(None))
        .order_by(Note.position)
        .options(
            selectinload(Note.tags),
            selectinload(Note.cards),
            selectinload(Note.symbols).selectinload(Symbol.scene),
        )
    ).all()
    wanted = set(tags)
    facts: list[generate.Fact] = []
    symbol_notes: dict[int, Note] = {}
    linked_symbols: set[int] = set()
    for note in notes:
        note_tags = tuple(tag.name for tag in note.tags)
        if note.type == "symbol":
            symbol_notes[note.symbols[0].id] = note
            continue
        if wanted and not wanted & set(note_tags):
            continue
        linked_symbols.update(symbol.id for symbol in note.symbols)
        card_ids = {
            (card.template, card.ordinal): card.id for card in note.cards if card.retired_at is None
        }
        facts += generate.facts_from_note(
            note.id,
            note.type,
            note.fields,
            note_tags,
            tuple(note.wrong_answers),
            disputed=bool(note.disagreement),
            explanation=note.explanation,
            sources=tuple(note.sources),
            card_ids=card_ids,
        )
    symbols = []
    for symbol in session.scalars(
        select(Symbol)
        .join(Symbol.scene)
        .where(Scene.deck_id == deck.id, Symbol.retired_at.is_(None), Scene.retired_at.is_(None))
        .options(selectinload(Symbol.scene))
        .order_by(Scene.position, Symbol.position)
    ):
        if wanted and "mnemonic" not in wanted and symbol.id not in linked_symbols:
            continue
        own = symbol_notes.get(symbol.id)
        card = next((c for c in own.cards if c.template == "symbol-meaning"), None) if own else None
        symbols.append(_symbol_fact(symbol, card.id if card else None))
    return facts, symbols


def _symbol_fact(symbol: Symbol, card_id: int | None = None) -> generate.SymbolFact:
    return generate.SymbolFact(
        symbol_id=symbol.id,
        slug=symbol.slug,
        label=symbol.label,
        meaning=symbol.meaning,
        hotspot=Hotspot.from_json(symbol.hotspot),
        scene_slug=symbol.scene.slug,
        card_id=card_id,
    )


def start_quiz(
    session: Session,
    user: User,
    deck: Deck,
    settings: QuizSettings,
    now: datetime,
    rng: random.Random | None = None,
) -> Quiz:
    settings = settings.validated()
    known = set(session.scalars(select(Tag.name)))
    unknown = sorted(set(settings.tags) - known)
    if unknown:
        raise InvalidQuizInput(f"Unknown topic(s): {', '.join(unknown)}.")
    seed = (
        settings.seed if settings.seed is not None else (rng or random.Random()).randrange(1, 2**31)
    )
    facts, symbols = _material(session, deck, settings.tags)
    questions = generate.generate_quiz(facts, symbols, settings.count, seed)
    if not questions:
        raise QuizRefused("There is nothing to ask about these topics.")
    limit = settings.time_limit_minutes
    quiz = Quiz(
        user_id=user.id,
        deck_id=deck.id,
        mode=settings.mode,
        seed=seed,
        tags=list(settings.tags),
        requested_count=settings.count,
        time_limit_seconds=limit * 60 if limit else None,
        started_at=now,
        deadline=now + timedelta(minutes=limit) if limit else None,
        questions=[
            _row(
                position,
                question,
                [{"id": o.id, "text": o.text} for o in question.options],
                question.correct,
            )
            for position, question in enumerate(questions, start=1)
        ],
    )
    session.add(quiz)
    session.flush()
    return quiz


def _row(
    position: int,
    source: generate.Question | QuizQuestion,
    options: list[dict[str, str]],
    correct: str,
) -> QuizQuestion:
    """A question row from a generated question, or from an earlier row (for a retest)."""
    return QuizQuestion(
        position=position,
        options=options,
        correct=correct,
        sources=list(source.sources),
        flagged=False,
        **{name: getattr(source, name) for name in COPIED_QUESTION_FIELDS},
    )


def get_quiz(session: Session, user: User, quiz_id: int) -> Quiz:
    """The user's quiz, or NotFound (another student's quiz does not exist for them)."""
    quiz = session.scalar(
        select(Quiz)
        .where(Quiz.id == quiz_id, Quiz.user_id == user.id)
        .options(selectinload(Quiz.questions))
    )
    if quiz is None:
        raise NotFound("There is no such quiz.")
    return quiz


def question_at(quiz: Quiz, position: int) -> QuizQuestion:
    if not 1 <= position <= len(quiz.questions):
        raise NotFound(f"This quiz has no question {position}.")
    return quiz.questions[position - 1]


def first_open(quiz: Quiz) -> int:
    """Where to resume: the first unanswered question (the last one when all are answered)."""
    return next((q.position for q in quiz.questions if q.answer is None), len(quiz.questions))


def next_open(quiz: Quiz, after: int) -> int:
    """The next unanswered question after ``after``, wrapping round to the first open one."""
    following = (q.position for q in quiz.questions if q.answer is None and q.position > after)
    return next(following, None) or first_open(quiz)


def scene_of(session: Session, quiz: Quiz, question: QuizQuestion) -> Scene | None:
    """The scene a picture question shows, with its symbols."""
    if question.scene_slug is None:
        return None
    return session.scalar(
        select(Scene)
        .where(
            Scene.deck_id == quiz.deck_id,
            Scene.slug == question.scene_slug,
            Scene.retired_at.is_(None),
        )
        .options(selectinload(Scene.symbols))
    )


def deck_slug(session: Session, quiz: Quiz) -> str:
    slug = session.scalar(select(Deck.slug).where(Deck.id == quiz.deck_id))
    assert slug is not None  # decks are never deleted
    return slug


def time_is_up(quiz: Quiz, now: datetime) -> bool:
    return quiz.deadline is not None and now > quiz.deadline


def answer_question(
    session: Session,
    quiz: Quiz,
    position: int,
    now: datetime,
    *,
    option: str | None = None,
    point: tuple[float, float] | None = None,
) -> QuizQuestion:
    """Record the answer to one question, once; the deadline is checked here, on the server."""
    if quiz.submitted_at is not None:
        raise QuizRefused("This quiz is already submitted.")
    if time_is_up(quiz, now):
        submit(session, quiz, quiz.deadline or now)
        raise QuizRefused("Time is up: answers after the deadline do not count.")
    question = question_at(quiz, position)
    if question.answer is not None:
        raise QuizRefused("This question is already answered; an answer cannot be changed.")
    if question.type == "hotspot":
        if point is None:
            raise InvalidQuizInput("Answer this question by clicking the picture.")
        answer = _symbol_hit(session, quiz, point) or "(nothing)"
    else:
        offered = {entry["id"] for entry in question.options}
        if option not in offered:
            raise InvalidQuizInput("That option was not offered for this question.")
        answer = option
    question.answer, question.answered_at = answer, now
    question.is_correct = answer == question.correct
    session.flush()
    return question


def _symbol_hit(session: Session, quiz: Quiz, point: tuple[float, float]) -> str | None:
    symbols = session.scalars(
        select(Symbol)
        .join(Symbol.scene)
        .where(Scene.deck_id == quiz.deck_id, Symbol.retired_at.is_(None))
        .options(selectinload(Symbol.scene))
    ).all()
    facts = [_symbol_fact(symbol) for symbol in symbols]
    return generate.symbol_at(facts, *point)


def toggle_flag(session: Session, quiz: Quiz, position: int) -> bool:
    if quiz.submitted_at is not None:
        raise QuizRefused("This quiz is already submitted.")
    question = question_at(quiz, position)
    question.flagged = not question.flagged
    session.flush()
    return question.flagged


def submit(session: Session, quiz: Quiz, now: datetime) -> None:
    """Close the quiz; questions left unanswered count as wrong."""
    if quiz.submitted_at is not None:
        return
    for question in quiz.questions:
        if question.answer is None:
            question.is_correct = False
    quiz.submitted_at = min(now, quiz.deadline) if quiz.deadline else now
    session.flush()


@dataclass(frozen=True)
class TopicScore:
    topic: str
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


@dataclass(frozen=True)
class QuizResult:
    correct: int
    total: int
    seconds: int
    topics: list[TopicScore]
    missed: list[QuizQuestion]

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def result_of(quiz: Quiz) -> QuizResult:
    by_topic: dict[str, list[bool]] = defaultdict(list)
    for question in quiz.questions:
        by_topic[question.topic].append(bool(question.is_correct))
    end = quiz.submitted_at or quiz.started_at
    return QuizResult(
        correct=sum(1 for q in quiz.questions if q.is_correct),
        total=len(quiz.questions),
        seconds=int((end - quiz.started_at).total_seconds()),
        topics=[
            TopicScore(topic, sum(marks), len(marks)) for topic, marks in sorted(by_topic.items())
        ],
        missed=[q for q in quiz.questions if not q.is_correct],
    )


def history(session: Session, user: User, deck: Deck) -> list[tuple[Quiz, QuizResult]]:
    """The user's submitted quizzes on a deck, oldest first, with their results."""
    quizzes = session.scalars(
        select(Quiz)
        .where(Quiz.user_id == user.id, Quiz.deck_id == deck.id, Quiz.submitted_at.is_not(None))
        .order_by(Quiz.submitted_at)
        .options(selectinload(Quiz.questions))
    ).all()
    return [(quiz, result_of(quiz)) for quiz in quizzes]


def unfinished(session: Session, user: User, deck: Deck) -> list[Quiz]:
    return list(
        session.scalars(
            select(Quiz)
            .where(Quiz.user_id == user.id, Quiz.deck_id == deck.id, Quiz.submitted_at.is_(None))
            .order_by(Quiz.started_at.desc())
            .options(selectinload(Quiz.questions))
        )
    )


def retake(session: Session, quiz: Quiz, now: datetime) -> Quiz:
    """The same quiz again: same deck, topics, size, mode, time limit and seed."""
    limit = quiz.time_limit_seconds // 60 if quiz.time_limit_seconds else None
    settings = QuizSettings(
        mode=quiz.mode,
        count=quiz.requested_count,
        tags=tuple(quiz.tags),
        time_limit_minutes=limit,
        seed=quiz.seed,
    )
    user = session.get(User, quiz.user_id)
    assert user is not None
    return start_quiz(session, user, quiz.deck, settings, now)


def retest_missed(session: Session, quiz: Quiz, now: datetime) -> Quiz:
    """A new quiz of only the questions missed in ``quiz`` (options reshuffled)."""
    missed = [q for q in quiz.questions if not q.is_correct]
    if quiz.submitted_at is None or not missed:
        raise QuizRefused("Only a submitted quiz with missed questions can be retested.")
    rng = random.Random(quiz.seed + len(missed))
    copies = []
    for position, question in enumerate(missed, start=1):
        options = list(question.options)
        if question.type != "true-false":
            rng.shuffle(options)
        ids = [entry["id"] for entry in question.options]
        relabel = {entry["id"]: ids[i] for i, entry in enumerate(options)}
        copies.append(
            _row(
                position,
                question,
                [{"id": relabel[e["id"]], "text": e["text"]} for e in options],
                relabel.get(question.correct, question.correct),
            )
        )
    retest = Quiz(
        user_id=quiz.user_id,
        deck_id=quiz.deck_id,
        mode=quiz.mode,
        seed=quiz.seed,
        tags=quiz.tags,
        requested_count=len(copies),
        time_limit_seconds=None,
        started_at=now,
        retest_of_id=quiz.id,
        questions=copies,
    )
    session.add(retest)
    session.flush()
    return retest


def bring_missed_forward(session: Session, quiz: Quiz, now: datetime) -> int:
    """Make the cards behind missed questions due now in the user's FSRS queue; log each move.

    Cards never studied are already waiting as new cards and are left as they are.
    """
    card_ids = {q.card_id for q in quiz.questions if not q.is_correct and q.card_id}
    moved = 0
    for card_id in sorted(card_ids):
        card = session.get(Card, card_id)
        if card is None or card.retired_at is not None:
            continue
        state = read_state(session, quiz.user_id, card_id)
        if state is None or state.due <= now:
            continue
        # Guarded like an answer, so a concurrent answer is never overwritten.
        if not write_state(
            session, quiz.user_id, card_id, state.version, replace(state.memory, due=now)
        ):
            continue
        session.add(
            QueueAction(
                user_id=quiz.user_id,
                card_id=card_id,
                action="bring-forward",
                reason=f"missed in quiz {quiz.id}",
                at=now,
                due_before=state.due,
                due_after=now,
            )
        )
        moved += 1
    session.flush()
    return moved
