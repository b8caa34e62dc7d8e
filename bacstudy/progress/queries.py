"""A student's progress read from the database, as the plain values ``stats`` works on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bacstudy.models import Card, CardFlags, CardState, Deck, Note, ReviewLog, Scene, Symbol, User
from bacstudy.progress import stats
from bacstudy.progress.stats import Answer, CardMemory
from bacstudy.study import scheduling
from bacstudy.study.scheduling import MemoryState


def answers(session: Session, user: User) -> list[Answer]:
    """Every logged answer of the user, for statistics."""
    result = []
    for log in session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.reviewed_at)
    ):
        before = MemoryState.from_json(log.state_before) if log.state_before else None
        interval = (
            (before.due - before.last_review).total_seconds() / 86400
            if before and before.last_review
            else None
        )
        result.append(
            Answer(
                reviewed_at=log.reviewed_at,
                rating=log.rating,
                kind=log.kind,
                interval_before_days=interval,
            )
        )
    return result


def memories(session: Session, user: User, deck: Deck, now: datetime) -> list[CardMemory]:
    """Every live card of the deck with the user's state, recall chance now and tags."""
    cards = session.scalars(
        select(Card)
        .join(Card.note)
        .where(Note.deck_id == deck.id, Card.retired_at.is_(None), Note.retired_at.is_(None))
        .options(selectinload(Card.note).selectinload(Note.tags))
    ).all()
    states = {
        s.card_id: s for s in session.scalars(select(CardState).where(CardState.user_id == user.id))
    }
    suspended = set(
        session.scalars(
            select(CardFlags.card_id).where(
                CardFlags.user_id == user.id, CardFlags.suspended.is_(True)
            )
        )
    )
    exact = scheduling.make_scheduler(user.study_settings, fuzz=False)
    result = []
    for card in cards:
        row = states.get(card.id)
        state = row.memory if row else None
        recall = (
            scheduling.retrievability(exact, state, card.id, now)
            if state and state.last_review
            else None
        )
        result.append(
            CardMemory(
                card_id=card.id,
                state=state.state if state else None,
                due=state.due if state else None,
                retrievability=recall,
                suspended=card.id in suspended,
                tags=tuple(tag.name for tag in card.note.tags),
            )
        )
    return result


@dataclass(frozen=True)
class SymbolMemory:
    slug: str
    label: str
    hotspot: dict
    cards: int
    recall: float | None  # mean over the studied cards; None when none is studied


@dataclass(frozen=True)
class MemoryMap:
    """A deck's first scene with each live symbol coloured by the student's recall."""

    scene_slug: str
    scene_title: str
    width: float
    height: float
    symbols: list[SymbolMemory]


def memory_map(session: Session, user: User, deck: Deck, now: datetime) -> MemoryMap | None:
    """Each live symbol with how well the user knows the cards of the notes it encodes."""
    scene = session.scalar(
        select(Scene)
        .where(Scene.deck_id == deck.id, Scene.retired_at.is_(None))
        .order_by(Scene.position)
        .limit(1)
    )
    if scene is None:
        return None
    by_card = {card.card_id: card for card in memories(session, user, deck, now)}
    symbols = session.scalars(
        select(Symbol)
        .where(Symbol.retired_at.is_(None), Symbol.scene_id == scene.id)
        .options(selectinload(Symbol.notes).selectinload(Note.cards))
        .order_by(Symbol.position)
    ).all()
    result = []
    for symbol in symbols:
        card_ids = [
            card.id
            for note in symbol.notes
            if note.retired_at is None
            for card in note.cards
            if card.id in by_card
        ]
        recalls = [recall for i in card_ids if (recall := by_card[i].retrievability) is not None]
        result.append(
            SymbolMemory(
                slug=symbol.slug,
                label=symbol.label,
                hotspot=symbol.hotspot,
                cards=len(card_ids),
                recall=sum(recalls) / len(recalls) if recalls else None,
            )
        )
    return MemoryMap(scene.slug, scene.title, scene.width, scene.height, result)


@dataclass(frozen=True)
class StatsOverview:
    """Everything the stats page shows, for one student and (optionally) one deck."""

    today: date
    days: int
    total_answers: int
    per_day: list[tuple[date, int]]
    year: list[tuple[date, int]]
    streak: int
    retention: list[stats.Retention]
    forecast: list[tuple[date, int]]
    by_state: dict[str, int]
    average_recall: float | None
    mastery: list[stats.Mastery]

    @property
    def studied_days(self) -> int:
        return sum(1 for _day, count in self.year if count)


def stats_overview(
    session: Session, user: User, deck: Deck | None, now: datetime, days: int
) -> StatsOverview:
    settings = user.study_settings
    calendar = settings.calendar
    logged = answers(session, user)
    today = calendar.date_of(now)
    cards = memories(session, user, deck, now) if deck else []
    return StatsOverview(
        today=today,
        days=days,
        total_answers=len(logged),
        per_day=stats.reviews_per_day(logged, today, days, calendar),
        year=stats.reviews_per_day(logged, today, 365, calendar),
        streak=stats.streak(logged, today, calendar),
        retention=stats.true_retention(logged, today, calendar),
        forecast=stats.forecast(cards, today, 30, calendar),
        by_state=stats.counts_by_state(cards),
        average_recall=stats.average_retrievability(cards),
        mastery=stats.mastery_by_tag(cards),
    )
