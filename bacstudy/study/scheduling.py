"""FSRS scheduling for bacstudy: a thin, pure wrapper around the ``fsrs`` package.

Two rules shape it:

* **The interval on a button is the interval applied.** ``fsrs`` draws its fuzz
  at random on every call, so the four fuzzed intervals are drawn once, when a
  card is shown (:func:`preview`), kept, and handed back to :func:`answer`,
  which recomputes the memory fields at the moment of the answer with fuzz off
  and schedules the card exactly the kept interval later.
* **Time is passed in**, always timezone-aware UTC, so tests pin it.

Replaying a card's answers through :func:`replay` reproduces its stored state:
the memory fields are deterministic, and each answer's interval is in its log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import fsrs

RATINGS = (fsrs.Rating.Again, fsrs.Rating.Hard, fsrs.Rating.Good, fsrs.Rating.Easy)
LEARNING_STATES = (fsrs.State.Learning.value, fsrs.State.Relearning.value)
REVIEW_STATE = fsrs.State.Review.value
# The one table of state names; "new" is a card never answered (no stored state).
STATE_NAMES: dict[int | None, str] = {
    None: "new",
    fsrs.State.Learning.value: "learning",
    fsrs.State.Review.value: "review",
    fsrs.State.Relearning.value: "relearning",
}
# As in Anki, the study day rolls over at 04:00 in the student's time zone.
DAY_STARTS_AT_HOUR = 4


def state_name(state: int | None) -> str:
    """``new``, ``learning``, ``review`` or ``relearning``: also the review log's ``kind``."""
    return STATE_NAMES[state]


@dataclass(frozen=True)
class SettingLimits:
    """What a student may set: one table for the settings form and for progress imports."""

    desired_retention: tuple[float, float] = (0.70, 0.99)
    maximum_interval_days: tuple[int, int] = (1, 36500)
    new_per_day: tuple[int, int] = (0, 9999)
    reviews_per_day: tuple[int, int] = (0, 99999)
    max_steps: int = 10
    max_step_minutes: int = 7 * 1440


LIMITS = SettingLimits()


@dataclass(frozen=True)
class StudySettings:
    """One student's scheduling preferences; the defaults are Anki's and FSRS's."""

    desired_retention: float = 0.90
    learning_steps_minutes: tuple[int, ...] = (1, 10)
    relearning_steps_minutes: tuple[int, ...] = (10,)
    maximum_interval_days: int = 36500
    new_per_day: int = 20
    reviews_per_day: int = 200
    timezone: str = "UTC"
    day_starts_at_hour: int = DAY_STARTS_AT_HOUR

    @property
    def calendar(self) -> StudyCalendar:
        return StudyCalendar(self.timezone, self.day_starts_at_hour)


def setting_problems(values: dict[str, object], known_zones: frozenset[str]) -> list[str]:
    """Names of the settings in ``values`` that are out of range or of the wrong type."""

    def number_in(kind: type, bounds: tuple[float, float]) -> Callable[[object], bool]:
        def check(value: object) -> bool:
            return (
                isinstance(value, kind | int)
                and not isinstance(value, bool)
                and bounds[0] <= value <= bounds[1]  # type: ignore[operator]
            )

        return check

    def steps(minimum: int) -> Callable[[object], bool]:
        def check(value: object) -> bool:
            return (
                isinstance(value, list)
                and minimum <= len(value) <= LIMITS.max_steps
                and all(
                    isinstance(s, int)
                    and not isinstance(s, bool)
                    and 0 < s <= LIMITS.max_step_minutes
                    for s in value
                )
            )

        return check

    checks: dict[str, Callable[[object], bool]] = {
        "desired_retention": number_in(float, LIMITS.desired_retention),
        "learning_steps": steps(1),
        "relearning_steps": steps(0),
        "maximum_interval_days": number_in(int, LIMITS.maximum_interval_days),
        "new_per_day": number_in(int, LIMITS.new_per_day),
        "reviews_per_day": number_in(int, LIMITS.reviews_per_day),
        "timezone": lambda value: isinstance(value, str) and value in known_zones,
    }
    return [key for key, valid in checks.items() if key in values and not valid(values[key])]


@dataclass(frozen=True)
class MemoryState:
    """Every field of ``fsrs.Card`` but its id: what bacstudy stores per student and card."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None

    def to_fsrs(self, card_id: int) -> fsrs.Card:
        return fsrs.Card(
            card_id=card_id,
            state=fsrs.State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    @classmethod
    def from_fsrs(cls, card: fsrs.Card) -> MemoryState:
        return cls(
            state=card.state.value,
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )

    def to_json(self) -> dict[str, Any]:
        """For the review log: ISO timestamps, everything else as is."""
        data = asdict(self)
        data["due"] = self.due.isoformat()
        data["last_review"] = self.last_review.isoformat() if self.last_review else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemoryState:
        last_review = data["last_review"]
        return cls(
            state=data["state"],
            step=data["step"],
            stability=data["stability"],
            difficulty=data["difficulty"],
            due=datetime.fromisoformat(data["due"]),
            last_review=datetime.fromisoformat(last_review) if last_review else None,
        )


def make_scheduler(settings: StudySettings, *, fuzz: bool) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_minutes),
        relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_minutes),
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=fuzz,
    )


def _as_fsrs(state: MemoryState | None, card_id: int, now: datetime) -> fsrs.Card:
    """A stored state as an ``fsrs.Card``; a card never reviewed is a fresh one due now."""
    if state is None:
        return fsrs.Card(card_id=card_id, due=now)
    return state.to_fsrs(card_id)


def preview(
    scheduler: fsrs.Scheduler, state: MemoryState | None, card_id: int, now: datetime
) -> dict[int, timedelta]:
    """The interval each rating would give now, fuzz drawn once per rating: rating -> interval."""
    card = _as_fsrs(state, card_id, now)
    intervals = {}
    for rating in RATINGS:
        after, _log = scheduler.review_card(card, rating, review_datetime=now)
        intervals[rating.value] = after.due - now
    return intervals


def answer(
    exact_scheduler: fsrs.Scheduler,
    state: MemoryState | None,
    card_id: int,
    rating: int,
    answered_at: datetime,
    interval: timedelta,
) -> MemoryState:
    """The state after answering ``rating`` at ``answered_at``, due exactly ``interval`` later.

    ``exact_scheduler`` must have fuzz off: the fuzz is already in ``interval``.
    """
    if exact_scheduler.enable_fuzzing:
        raise ValueError("answer() needs a scheduler without fuzz; the interval carries it")
    if rating not in {r.value for r in RATINGS}:
        raise ValueError(f"rating must be 1 to 4, not {rating!r}")
    card = _as_fsrs(state, card_id, answered_at)
    after, _log = exact_scheduler.review_card(
        card, fsrs.Rating(rating), review_datetime=answered_at
    )
    return replace(MemoryState.from_fsrs(after), due=answered_at + interval)


@dataclass(frozen=True)
class LoggedAnswer:
    rating: int
    answered_at: datetime
    interval: timedelta


def replay(
    exact_scheduler: fsrs.Scheduler, card_id: int, answers: Iterable[LoggedAnswer]
) -> MemoryState | None:
    """Re-derive a card's state from its answers, oldest first (None if it has none)."""
    state: MemoryState | None = None
    for logged in answers:
        state = answer(
            exact_scheduler, state, card_id, logged.rating, logged.answered_at, logged.interval
        )
    return state


def retrievability(
    scheduler: fsrs.Scheduler, state: MemoryState, card_id: int, now: datetime
) -> float:
    """The predicted chance of recalling the card now (0 for a card never reviewed)."""
    return scheduler.get_card_retrievability(state.to_fsrs(card_id), current_datetime=now)


def format_interval(interval: timedelta) -> str:
    """Anki-style short interval: ``45s``, ``10m``, ``3h``, ``4d``, ``2.5mo``, ``1.2y``."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return f"{max(0, round(seconds))}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}".rstrip("0").rstrip(".") + "mo"
    return f"{days / 365:.1f}".rstrip("0").rstrip(".") + "y"


@dataclass(frozen=True)
class StudyDay:
    """The study day containing a moment: its date, and its start and end in UTC."""

    date: date
    start: datetime
    end: datetime


def study_date(moment: datetime, timezone: str, rollover_hour: int = DAY_STARTS_AT_HOUR) -> date:
    """The date of the study day a moment belongs to (before the rollover: the day before)."""
    return (moment.astimezone(ZoneInfo(timezone)) - timedelta(hours=rollover_hour)).date()


def study_day(now: datetime, timezone: str, rollover_hour: int = DAY_STARTS_AT_HOUR) -> StudyDay:
    """The student's current study day; like Anki, it rolls over at ``rollover_hour`` local time."""
    day = study_date(now, timezone, rollover_hour)
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(rollover_hour), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(rollover_hour), tzinfo=zone)
    return StudyDay(date=day, start=start.astimezone(UTC), end=end.astimezone(UTC))


@dataclass(frozen=True)
class StudyCalendar:
    """How one student's time is cut into study days: their time zone and rollover hour."""

    timezone: str = "UTC"
    rollover_hour: int = DAY_STARTS_AT_HOUR

    def date_of(self, moment: datetime) -> date:
        return study_date(moment, self.timezone, self.rollover_hour)

    def day_of(self, moment: datetime) -> StudyDay:
        return study_day(moment, self.timezone, self.rollover_hour)


_STEP_UNITS = {"m": 1, "h": 60, "d": 1440}


def parse_steps(text: str) -> tuple[int, ...]:
    """Anki-style steps such as ``"1m 10m 1h"`` as whole minutes; ValueError when malformed."""
    steps = []
    for token in text.replace(",", " ").split():
        number, unit = token[:-1], token[-1:].lower()
        if unit not in _STEP_UNITS or not number.isdigit() or int(number) == 0:
            raise ValueError(f"{token!r} is not a step like 10m, 1h or 1d")
        steps.append(int(number) * _STEP_UNITS[unit])
    return tuple(steps)


def format_steps(minutes: Iterable[int]) -> str:
    """The inverse of :func:`parse_steps`, in the largest whole unit."""
    parts = []
    for step in minutes:
        unit = next(u for u in ("d", "h", "m") if step % _STEP_UNITS[u] == 0)
        parts.append(f"{step // _STEP_UNITS[unit]}{unit}")
    return " ".join(parts)
