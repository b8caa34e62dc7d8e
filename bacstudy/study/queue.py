"""What is due: Anki's three counts and the next card, within the daily limits.

Order, as in Anki: learning cards when due, then reviews due today, then new
cards up to the day's limit; when nothing else is left, learning cards due
within :data:`LEARN_AHEAD` are shown early. Every query is scoped to one user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from bacstudy.decks import catalog
from bacstudy.models import (
    Card,
    CardFlags,
    CardState,
    Deck,
    Note,
    ReviewLog,
    Symbol,
    Tag,
    User,
    note_symbols,
    note_tags,
)
from bacstudy.study import scheduling
from bacstudy.study.scheduling import StudySettings

LEARN_AHEAD = timedelta(minutes=20)


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
        return self.user.study_settings

    @property
    def day(self) -> scheduling.StudyDay:
        return self.settings.calendar.day_of(self.now)


def _live_cards(scope: StudyScope) -> Select[int]:
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
    done: dict[str, int] = {
        kind: count
        for kind, count in session.execute(
            select(ReviewLog.kind, func.count(ReviewLog.id))
            .where(
                ReviewLog.user_id == scope.user.id,
                ReviewLog.kind.in_(("new", "review")),
                ReviewLog.reviewed_at >= day.start,
                ReviewLog.reviewed_at < day.end,
            )
            .group_by(ReviewLog.kind)
        ).all()
    }
    settings = scope.settings
    return (
        max(0, settings.new_per_day - done.get("new", 0)),
        max(0, settings.reviews_per_day - done.get("review", 0)),
    )


def _states(scope: StudyScope) -> Select[CardState]:
    return select(CardState).where(
        CardState.user_id == scope.user.id, CardState.card_id.in_(_live_cards(scope))
    )


def _learning(scope: StudyScope, until: datetime) -> Select[CardState]:
    return (
        _states(scope)
        .where(CardState.state.in_(scheduling.LEARNING_STATES), CardState.due <= until)
        .order_by(CardState.due)
    )


def _reviews(scope: StudyScope) -> Select[CardState]:
    return (
        _states(scope)
        .where(CardState.state == scheduling.REVIEW_STATE, CardState.due < scope.day.end)
        .order_by(CardState.due)
    )


def _new_cards(scope: StudyScope) -> Select[Card]:
    studied = exists().where(CardState.user_id == scope.user.id, CardState.card_id == Card.id)
    return (
        select(Card)
        .join(Card.note)
        .where(Card.id.in_(_live_cards(scope)), ~studied)
        .order_by(Note.position, Card.template, Card.ordinal)
    )


def _count(session: Session, query: Select[Any]) -> int:
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


@dataclass(frozen=True)
class DeckToday:
    """A deck on the home page: its summary, its topics, and (signed in) what waits today."""

    summary: catalog.DeckSummary
    counts: QueueCounts | None
    tags: list[tuple[str, int]]


def decks_today(session: Session, user: User | None, now: datetime) -> list[DeckToday]:
    decks = []
    for summary in catalog.deck_summaries(session):
        deck = catalog.deck_by_slug(session, summary.slug)
        assert deck is not None
        counts = queue_counts(session, StudyScope(user, deck, now)) if user is not None else None
        decks.append(DeckToday(summary, counts, catalog.deck_tags(session, deck.id)))
    return decks
