"""Showing a card and answering it: exactly once, exactly as its buttons promised.

A card is shown as a *presentation*: a random token and the four intervals its
buttons promise (fuzz drawn once, see ``scheduling``). The token can be
answered once (a double click or a retried request is refused, not applied
twice), and only while the card state is the version it was shown at (an
answer from a second tab on an already-answered card is refused, not lost).

Every function takes the session and the time and leaves committing to the
caller, so one request is one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import fsrs
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bacstudy.decks.catalog import CardContent, card_content
from bacstudy.errors import AlreadyAnswered, CardChanged, NotFound, NothingToUndo
from bacstudy.models import Card, CardFlags, PersonalNote, Presentation, ReviewLog, User
from bacstudy.study import scheduling
from bacstudy.study.queue import QueueCounts, StudyScope, next_card, queue_counts
from bacstudy.study.scheduling import MemoryState
from bacstudy.study.states import read_state, write_state

# Unanswered presentations older than this are cleared away.
PRESENTATION_LIFETIME = timedelta(days=1)
ANSWERED_ELSEWHERE = "This card was answered in another tab; nothing more was recorded."


def present(
    session: Session, user: User, card: Card, now: datetime, scheduler: fsrs.Scheduler
) -> Presentation:
    """Show ``card``: draw its four intervals (fuzz included) once and keep them."""
    session.execute(
        delete(Presentation).where(
            Presentation.user_id == user.id, Presentation.shown_at < now - PRESENTATION_LIFETIME
        )
    )
    row = read_state(session, user.id, card.id)
    intervals = scheduling.preview(scheduler, row.memory if row else None, card.id, now)
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
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyAnswered("This card was already answered; the answer counted once.")
    flags = session.get(CardFlags, (user.id, presentation.card_id))
    if flags is not None and (flags.suspended or (flags.buried_until or now) > now):
        raise CardChanged("This card was suspended or buried meanwhile; nothing was recorded.")
    row = read_state(session, user.id, presentation.card_id)
    if (row.version if row else 0) != presentation.state_version:
        raise CardChanged(ANSWERED_ELSEWHERE)

    before = row.memory if row else None
    interval = timedelta(seconds=presentation.intervals[str(rating)])
    exact = scheduling.make_scheduler(user.study_settings, fuzz=False)
    after = scheduling.answer(exact, before, presentation.card_id, rating, now, interval)
    if not write_state(session, user.id, presentation.card_id, presentation.state_version, after):
        raise CardChanged(ANSWERED_ELSEWHERE)
    log = ReviewLog(
        user_id=user.id,
        card_id=presentation.card_id,
        rating=rating,
        reviewed_at=now,
        duration_ms=duration_ms,
        kind=scheduling.state_name(before.state if before else None),
        state_before=before.to_json() if before else None,
        state_after=after.to_json(),
    )
    session.add(log)
    session.flush()
    return log


def undo_last(session: Session, user: User) -> Card:
    """Take back the user's latest answer: the card returns exactly to its state before it."""
    log = session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id.desc()).limit(1)
    ).first()
    if log is None:
        raise NothingToUndo("There is no answer to undo.")
    row = read_state(session, user.id, log.card_id)
    if row is not None and row.memory != MemoryState.from_json(log.state_after):
        raise NothingToUndo("That card changed since; the answer can no longer be undone.")
    if log.state_before is None:
        if row is not None:
            session.delete(row)
    else:
        before = MemoryState.from_json(log.state_before)
        if not write_state(session, user.id, log.card_id, row.version if row else 0, before):
            raise CardChanged(ANSWERED_ELSEWHERE)
    card = session.get(Card, log.card_id)
    session.delete(log)
    session.flush()
    assert card is not None
    return card


@dataclass(frozen=True)
class ShownCard:
    """A card as the review screen shows it: content, the promise of each button, my note."""

    token: str
    content: CardContent
    intervals: dict[int, timedelta]
    personal_note: str


@dataclass(frozen=True)
class StudyStep:
    """What the review screen needs after any action: the counts and the card to show next."""

    counts: QueueCounts
    card: ShownCard | None


def show_next(session: Session, scope: StudyScope, card: Card | None = None) -> StudyStep:
    """Present the next card of the queue (or ``card``, after an undo), with the counts."""
    card = card or next_card(session, scope)
    counts = queue_counts(session, scope)
    if card is None:
        return StudyStep(counts, None)
    scheduler = scheduling.make_scheduler(scope.settings, fuzz=True)
    presentation = present(session, scope.user, card, scope.now, scheduler)
    personal = session.get(PersonalNote, (scope.user.id, card.id))
    shown = ShownCard(
        token=presentation.token,
        content=card_content(card),
        intervals={
            int(rating): timedelta(seconds=seconds)
            for rating, seconds in presentation.intervals.items()
        },
        personal_note=personal.text if personal else "",
    )
    return StudyStep(counts, shown)
