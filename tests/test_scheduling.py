"""The pure FSRS wrapper: intervals shown are intervals applied; replay; study days."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bacstudy.study.scheduling import (
    LoggedAnswer,
    MemoryState,
    StudySettings,
    answer,
    format_interval,
    make_scheduler,
    preview,
    replay,
    retrievability,
    study_day,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SETTINGS = StudySettings()


def test_new_card_preview_uses_the_learning_steps() -> None:
    intervals = preview(make_scheduler(SETTINGS, fuzz=False), None, 7, T0)
    assert intervals[1] == timedelta(minutes=1)
    assert intervals[3] == timedelta(minutes=10)
    assert intervals[1] < intervals[2] < intervals[3] < intervals[4]


def test_answer_applies_exactly_the_previewed_fuzzed_interval() -> None:
    fuzzy, exact = make_scheduler(SETTINGS, fuzz=True), make_scheduler(SETTINGS, fuzz=False)
    state = None
    now = T0
    for _ in range(6):  # climb into long review intervals, where fuzz applies
        shown = preview(fuzzy, state, 7, now)
        answered_at = now + timedelta(seconds=8)
        state = answer(exact, state, 7, 3, answered_at, shown[3])
        assert state.due == answered_at + shown[3]
        assert state.last_review == answered_at
        now = state.due
    assert state.state == 2 and state.stability and state.stability > 10


def test_fuzz_is_drawn_once_per_preview_not_per_answer() -> None:
    random.seed(3)
    fuzzy = make_scheduler(SETTINGS, fuzz=True)
    state = MemoryState(
        state=2,
        step=None,
        stability=60.0,
        difficulty=5.0,
        due=T0,
        last_review=T0 - timedelta(days=60),
    )
    previews = {tuple(preview(fuzzy, state, 7, T0).values()) for _ in range(30)}
    assert len(previews) > 1, "fuzz should vary between previews"


def test_answer_refuses_a_fuzzy_scheduler_and_bad_ratings() -> None:
    with pytest.raises(ValueError, match="without fuzz"):
        answer(make_scheduler(SETTINGS, fuzz=True), None, 1, 3, T0, timedelta(minutes=10))
    with pytest.raises(ValueError, match="rating must be 1 to 4"):
        answer(make_scheduler(SETTINGS, fuzz=False), None, 1, 5, T0, timedelta(minutes=10))


def test_replay_reproduces_the_stored_state() -> None:
    fuzzy, exact = make_scheduler(SETTINGS, fuzz=True), make_scheduler(SETTINGS, fuzz=False)
    state, log, now = None, [], T0
    for rating in (3, 3, 1, 3, 4, 2, 3):
        interval = preview(fuzzy, state, 9, now)[rating]
        state = answer(exact, state, 9, rating, now, interval)
        log.append(LoggedAnswer(rating=rating, answered_at=now, interval=interval))
        now = state.due + timedelta(hours=5)
    assert replay(exact, 9, log) == state
    assert replay(exact, 9, []) is None


def test_state_round_trips_through_json() -> None:
    state = MemoryState(
        state=3, step=0, stability=2.5, difficulty=6.1, due=T0, last_review=T0 - timedelta(days=1)
    )
    assert MemoryState.from_json(state.to_json()) == state


def test_retrievability_falls_with_time() -> None:
    exact = make_scheduler(SETTINGS, fuzz=False)
    state = MemoryState(
        state=2,
        step=None,
        stability=10.0,
        difficulty=5.0,
        due=T0 + timedelta(days=10),
        last_review=T0,
    )
    assert retrievability(exact, state, 1, T0) == pytest.approx(1.0)
    assert retrievability(exact, state, 1, T0 + timedelta(days=10)) == pytest.approx(0.9, abs=0.01)
    assert retrievability(exact, state, 1, T0 + timedelta(days=40)) < 0.8


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (30, "30s"),
        (600, "10m"),
        (3 * 3600, "3h"),
        (86400, "1d"),
        (4 * 86400, "4d"),
        (75 * 86400, "2.5mo"),
        (60 * 86400, "2mo"),
        (400 * 86400, "1.1y"),
    ],
)
def test_format_interval(seconds: int, label: str) -> None:
    assert format_interval(timedelta(seconds=seconds)) == label


def test_study_day_rolls_over_at_four_in_the_students_time_zone() -> None:
    # 02:30 in Berlin (01:30 UTC) still belongs to the previous study day.
    night = datetime(2026, 11, 21, 1, 30, tzinfo=UTC)
    day = study_day(night, "Europe/Berlin", 4)
    assert day.start == datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    assert day.end == datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
    morning = study_day(datetime(2026, 11, 21, 3, 0, tzinfo=UTC), "Europe/Berlin", 4)
    assert morning.start == day.end
    # Across a daylight-saving change the day is 23 hours long, as the clock says.
    spring = study_day(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "Europe/Berlin", 4)
    assert spring.end - spring.start == timedelta(hours=23)
