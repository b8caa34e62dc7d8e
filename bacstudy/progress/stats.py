"""Study statistics over plain values (pure): what the stats page and the memory map show.

Days are *study days* of the student's ``StudyCalendar`` (their time zone and the
rollover the queue uses), so "today" means the same thing everywhere in bacstudy.
Definitions follow Anki's where Anki has one:

* **true retention** — the share of passed answers (Hard, Good or Easy) among
  answers to *mature* cards, i.e. review cards whose scheduled interval before
  the answer was at least 21 days;
* **streak** — consecutive study days with at least one answer, ending today
  (or yesterday, while today has no answer yet);
* **forecast** — cards falling due on each of the coming days; overdue cards
  count on the first day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bacstudy.study.scheduling import STATE_NAMES, StudyCalendar

MATURE_DAYS = 21
PASSING_RATINGS = (2, 3, 4)


@dataclass(frozen=True)
class Answer:
    """One logged answer, reduced to what statistics need."""

    reviewed_at: datetime
    rating: int
    kind: str  # new | learning | review | relearning
    interval_before_days: float | None  # the scheduled interval the card had when answered


@dataclass(frozen=True)
class CardMemory:
    """A card's current state for one student (None fields: never studied)."""

    card_id: int
    state: int | None  # fsrs.State value, None for a new card
    due: datetime | None
    retrievability: float | None
    suspended: bool = False
    tags: tuple[str, ...] = ()


def reviews_per_day(
    answers: Iterable[Answer], today: date, days: int, calendar: StudyCalendar
) -> list[tuple[date, int]]:
    """Answers on each of the last ``days`` study days, oldest first, zeros included."""
    counts = Counter(calendar.date_of(a.reviewed_at) for a in answers)
    return [
        (day, counts.get(day, 0))
        for day in (today - timedelta(days=offset) for offset in range(days - 1, -1, -1))
    ]


def streak(answers: Iterable[Answer], today: date, calendar: StudyCalendar) -> int:
    studied = {calendar.date_of(a.reviewed_at) for a in answers}
    day = today if today in studied else today - timedelta(days=1)
    length = 0
    while day in studied:
        length += 1
        day -= timedelta(days=1)
    return length


@dataclass(frozen=True)
class Retention:
    period: str
    passed: int
    failed: int

    @property
    def percent(self) -> float | None:
        total = self.passed + self.failed
        return round(100 * self.passed / total, 1) if total else None


def true_retention(
    answers: Iterable[Answer], today: date, calendar: StudyCalendar
) -> list[Retention]:
    """Anki's true-retention table: today, yesterday, the last 7 and the last 30 days."""
    mature = [
        a
        for a in answers
        if a.kind == "review"
        and a.interval_before_days is not None
        and a.interval_before_days >= MATURE_DAYS
    ]
    periods = (("Today", 0, 0), ("Yesterday", 1, 1), ("Last 7 days", 0, 6), ("Last 30 days", 0, 29))
    rows = []
    for name, newest, oldest in periods:
        first, last = today - timedelta(days=oldest), today - timedelta(days=newest)
        inside = [a for a in mature if first <= calendar.date_of(a.reviewed_at) <= last]
        passed = sum(1 for a in inside if a.rating in PASSING_RATINGS)
        rows.append(Retention(name, passed, len(inside) - passed))
    return rows


def forecast(
    cards: Iterable[CardMemory], today: date, days: int, calendar: StudyCalendar
) -> list[tuple[date, int]]:
    """Studied, unsuspended cards due on each of the next ``days`` study days."""
    counts: Counter[date] = Counter()
    for card in cards:
        if card.due is None or card.suspended:
            continue
        counts[max(today, calendar.date_of(card.due))] += 1
    return [
        (today + timedelta(days=offset), counts.get(today + timedelta(days=offset), 0))
        for offset in range(days)
    ]


def counts_by_state(cards: Iterable[CardMemory]) -> dict[str, int]:
    """Cards by state as the stats page names them: New, Learning, Review, Relearning, Suspended."""
    counts = {name.capitalize(): 0 for name in STATE_NAMES.values()} | {"Suspended": 0}
    for card in cards:
        counts["Suspended" if card.suspended else STATE_NAMES[card.state].capitalize()] += 1
    return counts


def average_retrievability(cards: Iterable[CardMemory]) -> float | None:
    """Mean chance of recall now over the cards studied at least once."""
    values = [c.retrievability for c in cards if c.retrievability is not None]
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Mastery:
    tag: str
    cards: int
    studied: int
    average_retrievability: float  # over all the tag's cards, unstudied ones counting 0

    @property
    def percent(self) -> int:
        return round(100 * self.average_retrievability)


def mastery_by_tag(cards: Iterable[CardMemory]) -> list[Mastery]:
    grouped: dict[str, list[CardMemory]] = defaultdict(list)
    for card in cards:
        for tag in card.tags:
            grouped[tag].append(card)
    return [
        Mastery(
            tag=tag,
            cards=len(members),
            studied=sum(1 for c in members if c.retrievability is not None),
            average_retrievability=sum(c.retrievability or 0 for c in members) / len(members),
        )
        for tag, members in sorted(grouped.items())
    ]
