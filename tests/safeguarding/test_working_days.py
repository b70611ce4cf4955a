"""Working-day arithmetic: weekends and bank holidays (substitute days too) never count."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_console.safeguarding.working_days import (
    add_calendar_days,
    add_weeks,
    add_working_days,
    bank_holidays,
    due_date,
    due_instant,
    is_working_day,
    working_days_between,
)

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
counts = st.integers(min_value=0, max_value=300)


@given(days, st.integers(min_value=1, max_value=300), st.sampled_from(["england", "wales"]))
def test_a_due_date_is_never_a_weekend_or_a_bank_holiday(start: date, n: int, region: str) -> None:
    due = add_working_days(start, n, region)
    assert due.weekday() < 5
    assert due not in bank_holidays(region, due.year)


@given(days, counts)
def test_more_working_days_never_give_an_earlier_date(start: date, n: int) -> None:
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@given(days, counts)
def test_counting_the_days_between_gives_back_the_number_added(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


@given(days, days)
def test_counting_backwards_is_the_negative(a: date, b: date) -> None:
    assert working_days_between(a, b) == -working_days_between(b, a)


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (date(2026, 12, 4), 1, date(2026, 12, 7), "Friday + 1 is Monday"),
        (date(2026, 4, 2), 1, date(2026, 4, 7), "Easter 2026: Good Friday 3 and Easter Monday 6 April"),
        (date(2026, 4, 1), 2, date(2026, 4, 7), "Wednesday before Easter + 2"),
        (date(2026, 12, 24), 1, date(2026, 12, 29), "Christmas 25, Saturday 26, Boxing Day observed 28"),
        (date(2026, 12, 31), 1, date(2027, 1, 4), "New Year's Day 2027 is a Friday"),
        (date(2026, 12, 23), 5, date(2027, 1, 4), "across Christmas and New Year"),
        (date(2026, 5, 1), 1, date(2026, 5, 5), "Early May bank holiday, Monday 4 May 2026"),
        (date(2026, 5, 22), 1, date(2026, 5, 26), "Spring bank holiday, Monday 25 May 2026"),
        (date(2027, 12, 24), 1, date(2027, 12, 29), "Christmas 2027 falls at a weekend: 27 and 28 observed"),
        (date(2026, 12, 5), 0, date(2026, 12, 5), "the start day itself is day 0"),
    ],
)
def test_known_dates(start: date, n: int, expected: date, why: str) -> None:
    assert add_working_days(start, n) == expected, why
    assert working_days_between(start, expected) == n, why


def test_a_conference_15_working_days_from_a_strategy_discussion_before_easter() -> None:
    # 3 weeks of weekdays less Good Friday and Easter Monday.
    assert add_working_days(date(2026, 3, 27), 15) == date(2026, 4, 21)


def test_wales_uses_its_own_calendar_from_the_library() -> None:
    assert date(2026, 12, 28) in bank_holidays("wales", 2026)
    assert not is_working_day(date(2026, 4, 6), "wales")
    assert add_working_days(date(2026, 12, 24), 1, "wales") == date(2026, 12, 29)


def test_calendar_days_and_weeks_ignore_holidays() -> None:
    assert add_calendar_days(date(2026, 12, 24), 1) == date(2026, 12, 25)
    assert add_weeks(date(2026, 1, 5), 26) == date(2026, 7, 6)
    assert due_date(date(2026, 1, 5), 26, "weeks") == date(2026, 7, 6)
    assert due_date(date(2026, 1, 5), None, "set_by_court") is None


def test_due_at_five_in_the_afternoon_london_time_either_side_of_the_clock_change() -> None:
    assert due_instant(date(2026, 6, 11), time(17)) == datetime(2026, 6, 11, 16, tzinfo=UTC)
    assert due_instant(date(2026, 12, 10), time(17)) == datetime(2026, 12, 10, 17, tzinfo=UTC)
    # Sunday 25 October 2026: clocks go back at 02:00.
    assert due_instant(date(2026, 10, 23), time(17)) == datetime(2026, 10, 23, 16, tzinfo=UTC)
    assert due_instant(date(2026, 10, 26), time(17)) == datetime(2026, 10, 26, 17, tzinfo=UTC)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)
