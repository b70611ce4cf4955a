"""Working-day arithmetic for safeguarding timescales. Pure functions, no database.

A working day is Monday to Friday, not a bank holiday of the council's nation (England or
Wales, from the ``holidays`` library, substitute days included). The start day is day 0: one
working day from a Friday is the Monday (or the Tuesday when that Monday is a bank holiday).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

from incident_console.lib.time import LONDON


class Region(StrEnum):
    ENGLAND = "england"
    WALES = "wales"


SUBDIVISIONS = {Region.ENGLAND: "ENG", Region.WALES: "WLS"}


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    SET_BY_COURT = "set_by_court"


@lru_cache(maxsize=128)
def _bank_holidays_in(region: str, year: int) -> frozenset[date]:
    found = holidays.country_holidays("GB", subdiv=SUBDIVISIONS[Region(region)], years=year)
    return frozenset(found.keys())


def bank_holidays(region: str, first_year: int, last_year: int | None = None) -> frozenset[date]:
    """The bank holidays (substitute days included) of ``region`` in these years."""
    days: set[date] = set()
    for year in range(first_year, (last_year or first_year) + 1):
        days |= _bank_holidays_in(region, year)
    return frozenset(days)


def is_working_day(day: date, region: str = Region.ENGLAND) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays_in(region, day.year)


def add_working_days(start: date, n: int, region: str = Region.ENGLAND) -> date:
    """The date ``n`` working days after ``start`` (``start`` itself is day 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    remaining = n
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, region):
            remaining -= 1
    return day


def working_days_between(a: date, b: date, region: str = Region.ENGLAND) -> int:
    """How many working days after ``a`` up to and including ``b`` (negative when ``b`` is
    before ``a``): ``working_days_between(a, add_working_days(a, n)) == n``."""
    if b < a:
        return -working_days_between(b, a, region)
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if is_working_day(day, region):
            count += 1
    return count


def add_calendar_days(start: date, n: int) -> date:
    return start + timedelta(days=n)


def add_weeks(start: date, n: int) -> date:
    return start + timedelta(weeks=n)


def due_date(start: date, amount: int | None, unit: str, region: str = Region.ENGLAND) -> date | None:
    """The due date for a timescale, or None when the court sets it (entered directly)."""
    if unit == Unit.SET_BY_COURT or amount is None:
        return None
    if unit == Unit.WORKING_DAYS:
        return add_working_days(start, amount, region)
    if unit == Unit.CALENDAR_DAYS:
        return add_calendar_days(start, amount)
    if unit == Unit.WEEKS:
        return add_weeks(start, amount)
    raise ValueError(f"unknown unit {unit!r}")


def due_instant(day: date, at: time) -> datetime:
    """``at`` o'clock London time on ``day``, as a UTC instant (right either side of the clock
    changes: 17:00 in June is 16:00 UTC, in December 17:00 UTC)."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)
