"""Each statistic against a small history worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bacstudy.progress.stats import (
    Answer,
    CardMemory,
    Retention,
    average_retrievability,
    counts_by_state,
    forecast,
    mastery_by_tag,
    reviews_per_day,
    streak,
    true_retention,
)
from bacstudy.study.scheduling import StudyCalendar, study_date

TZ = "Europe/Berlin"
CALENDAR = StudyCalendar(TZ)
TODAY = date(2026, 11, 21)  # a Saturday; Berlin is UTC+1 in November


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A UTC moment given as Berlin wall-clock time."""
    return datetime(day.year, day.month, day.day, hour - 1, minute, tzinfo=UTC)


def answer(
    day: date, hour: int, rating: int = 3, kind: str = "review", interval: float | None = 30
) -> Answer:
    return Answer(
        reviewed_at=at(day, hour), rating=rating, kind=kind, interval_before_days=interval
    )


D = [TODAY - timedelta(days=n) for n in range(40)]  # D[0] today, D[1] yesterday, …

HISTORY = [
    answer(D[0], 9, 3),
    answer(D[0], 10, 1),
    answer(D[0], 11, 3, interval=5),  # young: ignored
    answer(D[0], 3, 4),  # 03:00 belongs to yesterday's study day
    answer(D[1], 20, 2),
    answer(D[1], 21, 1, kind="relearning"),  # relearning: not mature review
    answer(D[2], 8, 3),
    answer(D[3], 8, 1),
    answer(D[6], 8, 3),
    answer(D[7], 8, 3),  # D[7] is outside the last 7 days
    answer(D[20], 8, 1, kind="new", interval=None),
    answer(D[29], 8, 4),
    answer(D[30], 8, 3),  # D[30] is outside the last 30 days
]


def test_study_date_rolls_over_at_four() -> None:
    assert study_date(at(D[0], 3, 59), TZ) == D[1]
    assert study_date(at(D[0], 4, 0), TZ) == D[0]


def test_reviews_per_day() -> None:
    days = reviews_per_day(HISTORY, TODAY, 8, CALENDAR)
    assert days == [
        (D[7], 1),
        (D[6], 1),
        (D[5], 0),
        (D[4], 0),
        (D[3], 1),
        (D[2], 1),
        (D[1], 3),
        (D[0], 3),
    ]
    assert sum(count for _, count in reviews_per_day(HISTORY, TODAY, 365, CALENDAR)) == len(HISTORY)


def test_streak_counts_back_from_today_or_yesterday() -> None:
    assert streak(HISTORY, TODAY, CALENDAR) == 4  # D[0] to D[3]
    assert streak(HISTORY[4:], TODAY, CALENDAR) == 3  # nothing today yet: D[1] to D[3]
    assert streak([], TODAY, CALENDAR) == 0


def test_true_retention_counts_mature_review_answers_only() -> None:
    # Today: 9:00 Good, 10:00 Again (11:00 is young; 03:00 counts for yesterday).
    # Yesterday: 03:00 Easy (today's date, yesterday's study day) and 20:00 Hard.
    # Last 7 days: those, plus D[2] Good, D[3] Again, D[6] Good.
    # Last 30 days: plus D[7] Good, D[29] Easy (D[20] is a new card).
    assert true_retention(HISTORY, TODAY, CALENDAR) == [
        Retention("Today", 1, 1),
        Retention("Yesterday", 2, 0),
        Retention("Last 7 days", 5, 2),
        Retention("Last 30 days", 7, 2),
    ]
    assert Retention("Last 30 days", 7, 2).percent == 77.8
    assert Retention("Today", 0, 0).percent is None


def card(
    card_id: int,
    state: int | None,
    due: datetime | None,
    r: float | None,
    suspended: bool = False,
    tags: tuple[str, ...] = (),
) -> CardMemory:
    return CardMemory(
        card_id=card_id, state=state, due=due, retrievability=r, suspended=suspended, tags=tags
    )


CARDS = [
    card(1, None, None, None, tags=("dosing",)),
    card(2, 1, at(D[0], 12), 0.95, tags=("dosing", "mechanism")),
    card(3, 2, at(D[3], 12), 0.70, tags=("mechanism",)),  # overdue: counts today
    card(4, 2, at(TODAY + timedelta(days=2), 9), 0.90, tags=("mechanism",)),
    card(5, 3, at(TODAY + timedelta(days=1), 2), 0.50),  # 02:00 belongs to today
    card(6, 2, at(TODAY + timedelta(days=40), 9), 0.99, suspended=True),
]


def test_forecast() -> None:
    days = forecast(CARDS, TODAY, 3, CALENDAR)
    assert days == [(TODAY, 3), (TODAY + timedelta(days=1), 0), (TODAY + timedelta(days=2), 1)]


def test_counts_by_state_and_average_retrievability() -> None:
    assert counts_by_state(CARDS) == {
        "New": 1,
        "Learning": 1,
        "Review": 2,
        "Relearning": 1,
        "Suspended": 1,
    }
    assert average_retrievability(CARDS) == (0.95 + 0.70 + 0.90 + 0.50 + 0.99) / 5
    assert average_retrievability([CARDS[0]]) is None


def test_mastery_by_tag_counts_unstudied_cards_as_zero() -> None:
    rows = {m.tag: m for m in mastery_by_tag(CARDS)}
    assert (rows["dosing"].cards, rows["dosing"].studied) == (2, 1)
    assert rows["dosing"].average_retrievability == 0.95 / 2
    assert rows["mechanism"].percent == round(100 * (0.95 + 0.70 + 0.90) / 3)
