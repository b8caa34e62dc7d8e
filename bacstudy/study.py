"""Studying a deck: the queue, showing a card, answering, undo, bury and suspend.

Every function takes the session and the time and leaves committing to the
caller, so one request is one transaction. Every query is scoped to one user.

Answers are safe to repeat and to race: a card is shown as a *presentation*
with a random token and the intervals its buttons promise; the token can be
answered once (a double click or a retried request is refused, not applied
twice), and only while the card state is the version it was shown at (an
answer from a second tab on an already-answered card is refused, not lost).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import fsrs
from sqlalchemy import Select, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bacstudy import scheduling
from bacstudy.models import (
    Card,
    CardFlags,
    CardState,
    Deck,
    Note,
    PersonalNote,
    Presentation,
    ReviewLog,
    Symbol,
    Tag,
    User,
    note_symbols,
    note_tags,
)
from bacstudy.scheduling import MemoryState, StudySettings

# As in Anki: when nothing else is left, learning cards due within this are shown early.
LEARN_AHEAD = timedelta(minutes=20)
# Unanswered presentations older than this are cleared away.
PRESENTATION_LIFETIME = timedelta(days=1)
KIND_BY_STATE = {
    fsrs.State.Learning.value: "learning",
    fsrs.State.Review.value: "review",
    fsrs.State.Relearning.value: "relearning",
}


class StudyError(Exception):
    """A request the study rules refuse; ``status`` is the HTTP status that fits."""

    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(StudyError):
    status = 404


class AlreadyAnswered(StudyError):
    pass


class CardChanged(StudyError):
    pass


class NothingToUndo(StudyError):
    pass


def settings_of(user: User) -> StudySettings:
    return StudySettings(
        desired_retention=user.desired_retention,
        learning_steps_minutes=tuple(user.learning_steps),
        relearning_steps_minutes=tuple(user.relearning_steps),
        maximum_interval_days=user.maximum_interval_days,
        new_per_day=user.new_per_day,
        reviews_per_day=user.reviews_per_day,
        timezone=user.timezone,
    )


def memory_state(row: CardState | None) -> MemoryState | None:
    if row is None:
        return None
    return MemoryState(
        state=row.state,
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
    )


def _state_row(session: Session, user_id: int, card_id: int) -> CardState | None:
    """The stored state, read fresh: states are changed by guarded UPDATEs, not the ORM."""
    return session.get(CardState, (user_id, card_id), populate_existing=True)


@dataclass(frozen=True)
class QueueCounts:
    """What can be studied now, after the daily limits: Anki's three numbers."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class StudyScope:
    """Whose queue, for which deck (optionally one tag or one scene symbol), at what moment."""

    user: User
    deck: Deck
    now: datetime
    tag: str | None = None
    symbol: str | None = None

    @property
    def settings(self) -> StudySettings:
        return settings_of(self.user)

    @property
    def day(self) -> scheduling.StudyDay:
        return scheduling.study_day(
            self.now, self.settings.timezone, self.settings.day_starts_at_hour
        )


def _live_cards(scope: StudyScope) -> Select:
    """Ids of the deck's live cards (in the tag, if any) that the user has not set aside."""
    set_aside = exists().where(
        CardFlags.user_id == scope.user.id,
        CardFlags.card_id == Card.id,
        or_(CardFlags.suspended.is_(True), CardFlags.buried_until > scope.now),
    )
    query = (
        select(Card.id)
        .join(Card.note)
        .where(
            Note.deck_id == scope.deck.id,
            Card.retired_at.is_(None),
            Note.retired_at.is_(None),
            ~set_aside,
        )
    )
    if scope.tag:
        query = query.where(
            exists().where(
                note_tags.c.note_id == Note.id, note_tags.c.tag_id == Tag.id, Tag.name == scope.tag
            )
        )
    if scope.symbol:
        query = query.where(
            exists().where(
                note_symbols.c.note_id == Note.id,
                note_symbols.c.symbol_id == Symbol.id,
                Symbol.slug == scope.symbol,
            )
        )
    return query


def _remaining_limits(session: Session, scope: StudyScope) -> tuple[int, int]:
    """New cards and reviews still allowed today (one query for both daily counts)."""
    day = scope.day
    done = dict(
        session.execute(
            select(ReviewLog.kind, func.count(ReviewLog.id))
            .where(
                ReviewLog.user_id == scope.user.id,
                ReviewLog.kind.in_(("new", "review")),
                ReviewLog.reviewed_at >= day.start,
                ReviewLog.reviewed_at < day.end,
            )
            .group_by(ReviewLog.kind)
        ).all()
    )
    settings = scope.settings
    return (
        max(0, settings.new_per_day - done.get("new", 0)),
        max(0, settings.reviews_per_day - done.get("review", 0)),
    )


def _states(scope: StudyScope) -> Select:
    return select(CardState).where(
        CardState.user_id == scope.user.id, CardState.card_id.in_(_live_cards(scope))
    )


def _learning(scope: StudyScope, until: datetime) -> Select:
    return (
        _states(scope)
        .where(CardState.state.in_(scheduling.LEARNING_STATES), CardState.due <= until)
        .order_by(CardState.due)
    )


def _reviews(scope: StudyScope) -> Select:
    return (
        _states(scope)
        .where(CardState.state == fsrs.State.Review.value, CardState.due < scope.day.end)
        .order_by(CardState.due)
    )


def _new_cards(scope: StudyScope) -> Select:
    studied = exists().where(CardState.user_id == scope.user.id, CardState.card_id == Card.id)
    return (
        select(Card)
        .join(Card.note)
        .where(Card.id.in_(_live_cards(scope)), ~studied)
        .order_by(Note.position, Card.template, Card.ordinal)
    )


def _count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def queue_counts(session: Session, scope: StudyScope) -> QueueCounts:
    new_left, reviews_left = _remaining_limits(session, scope)
    return QueueCounts(
        new=min(new_left, _count(session, _new_cards(scope))),
        learning=_count(session, _learning(scope, scope.now)),
        review=min(reviews_left, _count(session, _reviews(scope))),
    )


def next_card(session: Session, scope: StudyScope) -> Card | None:
    """Learning cards that are due, then reviews due today, then new cards, within the limits."""
    learning = session.scalars(_learning(scope, scope.now).limit(1)).first()
    if learning is not None:
        return session.get(Card, learning.card_id)
    new_left, reviews_left = _remaining_limits(session, scope)
    if reviews_left:
        review = session.scalars(_reviews(scope).limit(1)).first()
        if review is not None:
            return session.get(Card, review.card_id)
    if new_left:
        new = session.scalars(_new_cards(scope).limit(1)).first()
        if new is not None:
            return new
    ahead = session.scalars(_learning(scope, scope.now + LEARN_AHEAD).limit(1)).first()
    return session.get(Card, ahead.card_id) if ahead is not None else None


def present(
    session: Session, user: User, card: Card, now: datetime, scheduler: fsrs.Scheduler
) -> Presentation:
    """Show ``card``: draw its four intervals (fuzz included) once and keep them."""
    session.execute(
        delete(Presentation).where(
            Presentation.user_id == user.id, Presentation.shown_at < now - PRESENTATION_LIFETIME
        )
    )
    row = _state_row(session, user.id, card.id)
    intervals = scheduling.preview(scheduler, memory_state(row), card.id, now)
    presentation = Presentation(
        token=secrets.token_urlsafe(24),
        user_id=user.id,
        card_id=card.id,
        shown_at=now,
        intervals={str(rating): interval.total_seconds() for rating, interval in intervals.items()},
        state_version=row.version if row else 0,
    )
    session.add(presentation)
    session.flush()
    return presentation


def answer(
    session: Session, user: User, token: str, rating: int, now: datetime, duration_ms: int | None
) -> ReviewLog:
    """Apply ``rating`` to a shown card, exactly as its button promised, once."""
    presentation = session.scalar(
        select(Presentation).where(Presentation.token == token, Presentation.user_id == user.id)
    )
    if presentation is None:
        raise NotFound("This card was not shown to you (or it was shown too long ago).")
    claimed = session.execute(
        update(Presentation)
        .where(Presentation.token == token, Presentation.answered_at.is_(None))
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AlreadyAnswered("This card was already answered; the answer counted once.")
    flags = session.get(CardFlags, (user.id, presentation.card_id))
    if flags is not None and (flags.suspended or (flags.buried_until or now) > now):
        raise CardChanged("This card was suspended or buried meanwhile; nothing was recorded.")
    row = _state_row(session, user.id, presentation.card_id)
    if (row.version if row else 0) != presentation.state_version:
        raise CardChanged("This card was answered in another tab; nothing more was recorded.")

    before = memory_state(row)
    interval = timedelta(seconds=presentation.intervals[str(rating)])
    exact = scheduling.make_scheduler(settings_of(user), fuzz=False)
    after = scheduling.answer(exact, before, presentation.card_id, rating, now, interval)
    _store_state(session, user.id, presentation.card_id, presentation.state_version, after)
    log = ReviewLog(
        user_id=user.id,
        card_id=presentation.card_id,
        rating=rating,
        reviewed_at=now,
        duration_ms=duration_ms,
        kind=KIND_BY_STATE[before.state] if before else "new",
        state_before=before.to_json() if before else None,
        state_after=after.to_json(),
    )
    session.add(log)
    session.flush()
    return log


def _store_state(
    session: Session, user_id: int, card_id: int, expected_version: int, state: MemoryState
) -> None:
    """Write a card state only if it is still at ``expected_version`` (0: not yet stored)."""
    values = {
        "state": state.state,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": state.due,
        "last_review": state.last_review,
    }
    if expected_version == 0:
        try:
            with session.begin_nested():
                session.add(CardState(user_id=user_id, card_id=card_id, version=1, **values))
        except IntegrityError:
            raise CardChanged(
                "This card was answered in another tab; nothing more was recorded."
            ) from None
        return
    updated = session.execute(
        update(CardState)
        .where(
            CardState.user_id == user_id,
            CardState.card_id == card_id,
            CardState.version == expected_version,
        )
        .values(version=CardState.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount != 1:
        raise CardChanged("This card was answered in another tab; nothing more was recorded.")


def undo_last(session: Session, user: User) -> Card:
    """Take back the user's latest answer: the card returns exactly to its state before it."""
    log = session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id.desc()).limit(1)
    ).first()
    if log is None:
        raise NothingToUndo("There is no answer to undo.")
    row = _state_row(session, user.id, log.card_id)
    if row is not None and memory_state(row) != MemoryState.from_json(log.state_after):
        raise NothingToUndo("That card changed since; the answer can no longer be undone.")
    if log.state_before is None:
        if row is not None:
            session.delete(row)
    else:
        before = MemoryState.from_json(log.state_before)
        _store_state(session, user.id, log.card_id, row.version if row else 0, before)
    card = session.get(Card, log.card_id)
    session.delete(log)
    session.flush()
    assert card is not None
    return card


def live_card(session: Session, card_id: int) -> Card:
    card = session.scalar(
        select(Card)
        .join(Card.note)
        .where(Card.id == card_id, Card.retired_at.is_(None), Note.retired_at.is_(None))
    )
    if card is None:
        raise NotFound("There is no such card.")
    return card


def _flags(session: Session, user: User, card_id: int) -> CardFlags:
    live_card(session, card_id)
    flags = session.get(CardFlags, (user.id, card_id))
    if flags is None:
        flags = CardFlags(user_id=user.id, card_id=card_id, suspended=False)
        session.add(flags)
    return flags


def bury(session: Session, user: User, card_id: int, now: datetime) -> datetime:
    """Hide a card until the next study day starts; return when that is."""
    settings = settings_of(user)
    until = scheduling.study_day(now, settings.timezone, settings.day_starts_at_hour).end
    _flags(session, user, card_id).buried_until = until
    session.flush()
    return until


def set_suspended(session: Session, user: User, card_id: int, suspended: bool) -> None:
    _flags(session, user, card_id).suspended = suspended
    session.flush()


def save_personal_note(
    session: Session, user: User, card_id: int, text: str, now: datetime
) -> None:
    """Set (or, with empty text, remove) the user's own note on a card."""
    live_card(session, card_id)
    note = session.get(PersonalNote, (user.id, card_id))
    if not text:
        if note is not None:
            session.delete(note)
    elif note is None:
        session.add(PersonalNote(user_id=user.id, card_id=card_id, text=text, updated_at=now))
    else:
        note.text, note.updated_at = text, now
    session.flush()
