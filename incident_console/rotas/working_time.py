"""Working Time Regulations 1998 warnings over a person's shifts. Pure functions: warnings, never
blocks (emergencies allow compensatory rest).

Rules checked:
- daily rest: at least 11 consecutive hours' rest between shifts (reg. 10);
- weekly rest: an uninterrupted 24 hours in each 7 days, or 48 hours in each 14 (reg. 11);
- rest breaks: a 20-minute break in any shift over 6 hours (reg. 12);
- the 48-hour week averaged over 17 weeks, unless the person has opted out (reg. 4);
- night work: a night worker's normal hours average no more than 8 in 24 (reg. 6). Night time is
  23:00 to 06:00; a night worker works at least 3 hours of night time on some shift.
Standby counts as working time when the council says so (RotaSettings).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from django.utils.translation import gettext as _

from .resolver import LONDON, ONE_DAY, local_to_utc

DAILY_REST = timedelta(hours=11)
WEEKLY_REST = timedelta(hours=24)
FORTNIGHTLY_REST = timedelta(hours=48)
BREAK_AFTER = timedelta(hours=6)
WEEKLY_LIMIT_HOURS = 48.0
REFERENCE_WEEKS = 17
NIGHT_LIMIT_HOURS = 8.0
NIGHT_START, NIGHT_END = time(23), time(6)
NIGHT_WORKER_HOURS = timedelta(hours=3)


class Rule(StrEnum):
    DAILY_REST = "daily_rest"
    WEEKLY_REST = "weekly_rest"
    BREAK = "break"
    WEEKLY_HOURS = "weekly_hours"
    NIGHT_WORK = "night_work"


@dataclass(frozen=True)
class Work:
    start: datetime
    end: datetime
    standby: bool = False


@dataclass(frozen=True)
class Warning:
    rule: Rule
    message: str
    at: datetime | None = None


def night_hours(start: datetime, end: datetime) -> timedelta:
    """Time between 23:00 and 06:00 (local) inside [start, end)."""
    total = timedelta()
    day = start.astimezone(LONDON).date() - ONE_DAY
    while True:
        n_start = local_to_utc(day, NIGHT_START)
        if n_start >= end:
            break
        n_end = local_to_utc(day + ONE_DAY, NIGHT_END)
        overlap = min(end, n_end) - max(start, n_start)
        if overlap > timedelta():
            total += overlap
        day += ONE_DAY
    return total


def _merged(work: Sequence[Work]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for item in sorted(work, key=lambda w: w.start):
        if merged and item.start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], item.end))
        else:
            merged.append((item.start, item.end))
    return merged


def _longest_rest(periods: list[tuple[datetime, datetime]], lo: datetime, hi: datetime) -> timedelta:
    longest = timedelta()
    cursor = lo
    for start, end in periods:
        if end <= lo:
            continue
        if start >= hi:
            break
        longest = max(longest, start - cursor)
        cursor = max(cursor, end)
    return max(longest, hi - cursor)


def _rests_of_at_least(
    periods: list[tuple[datetime, datetime]], lo: datetime, hi: datetime, length: timedelta
) -> int:
    count = 0
    cursor = lo
    for start, end in periods:
        if end <= lo:
            continue
        if start >= hi:
            break
        if start - cursor >= length:
            count += 1
        cursor = max(cursor, end)
    return count + (1 if hi - cursor >= length else 0)


def warnings_for(
    work: Sequence[Work], *, standby_is_working_time: bool = True, opted_out: bool = False
) -> list[Warning]:
    counted = [w for w in work if standby_is_working_time or not w.standby]
    periods = _merged(counted)
    found: list[Warning] = []
    if not periods:
        return found

    for (_s1, e1), (s2, _e2) in itertools.pairwise(periods):
        if s2 - e1 < DAILY_REST:
            found.append(
                Warning(
                    Rule.DAILY_REST,
                    _("Only %(hours)s hours' rest before the shift starting %(when)s: 11 hours are needed.")
                    % {"hours": _hours(s2 - e1), "when": _when(s2)},
                    s2,
                )
            )

    first, last = periods[0][0], periods[-1][1]
    window_start = first
    while window_start + timedelta(days=7) <= last:
        week_end = window_start + timedelta(days=7)
        if _longest_rest(periods, window_start, week_end) < WEEKLY_REST:
            fortnight_end = window_start + timedelta(days=14)
            two_days = _longest_rest(periods, window_start, fortnight_end) >= FORTNIGHTLY_REST
            two_rests = _rests_of_at_least(periods, window_start, fortnight_end, WEEKLY_REST) >= 2
            if not (two_days or two_rests):
                found.append(
                    Warning(
                        Rule.WEEKLY_REST,
                        _("No 24 hours' uninterrupted rest in the 7 days from %(when)s.")
                        % {"when": _when(window_start)},
                        window_start,
                    )
                )
                break
        window_start += ONE_DAY

    long_shifts = [item for item in counted if item.end - item.start > BREAK_AFTER]
    if long_shifts:
        found.append(
            Warning(
                Rule.BREAK,
                _("%(count)s shift(s) over 6 hours from %(when)s: plan a 20-minute break in each.")
                % {"count": len(long_shifts), "when": _when(long_shifts[0].start)},
                long_shifts[0].start,
            )
        )

    total_hours = sum((end - start for start, end in periods), timedelta()).total_seconds() / 3600
    if not opted_out and total_hours / REFERENCE_WEEKS > WEEKLY_LIMIT_HOURS:
        found.append(
            Warning(
                Rule.WEEKLY_HOURS,
                _("Averaging %(hours)s hours a week over 17 weeks: the limit is 48 without an opt-out.")
                % {"hours": f"{total_hours / REFERENCE_WEEKS:.1f}"},
            )
        )

    if any(night_hours(w.start, w.end) >= NIGHT_WORKER_HOURS for w in counted):
        span_days = max(1.0, (last - first).total_seconds() / 86400)
        average = total_hours / span_days
        if average > NIGHT_LIMIT_HOURS:
            found.append(
                Warning(
                    Rule.NIGHT_WORK,
                    _("Night worker averaging %(hours)s hours in 24: the limit is 8.")
                    % {"hours": f"{average:.1f}"},
                )
            )
    return found


def _hours(value: timedelta) -> str:
    return f"{value.total_seconds() / 3600:g}"


def _when(value: datetime) -> str:
    return value.astimezone(LONDON).strftime("%a %d %b %Y %H:%M")
