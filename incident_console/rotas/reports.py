"""Hours reports per person and period, and their CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from .resolver import LONDON, ONE_DAY, Shift, local_to_utc
from .working_time import NIGHT_WORKER_HOURS, night_hours

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class PersonHours:
    person: int
    name: str
    worked_hours: float = 0.0
    standby_hours: float = 0.0
    nights: int = 0
    weekend_hours: float = 0.0
    shifts: int = 0

    @property
    def total_hours(self) -> float:
        return self.worked_hours + self.standby_hours


@dataclass
class HoursReport:
    start: datetime
    end: datetime
    rows: list[PersonHours] = field(default_factory=list)


def weekend_hours(start: datetime, end: datetime) -> float:
    """Hours inside [start, end) falling on a local Saturday or Sunday."""
    total = 0.0
    day = start.astimezone(LONDON).date()
    while True:
        lo = local_to_utc(day, datetime.min.time())
        if lo >= end:
            break
        hi = local_to_utc(day + ONE_DAY, datetime.min.time())
        if day.weekday() >= 5:
            overlap = (min(end, hi) - max(start, lo)).total_seconds()
            total += max(0.0, overlap) / 3600
        day += ONE_DAY
    return total


def hours_report(
    shifts: Iterable[tuple[Shift, bool]], names: dict[int, str], start: datetime, end: datetime
) -> HoursReport:
    """`shifts` pairs each shift with whether it is standby. Shifts are clipped to [start, end)."""
    rows: dict[int, PersonHours] = {}
    for shift, standby in shifts:
        if shift.person is None:
            continue
        a, b = max(shift.start, start), min(shift.end, end)
        if b <= a:
            continue
        row = rows.setdefault(shift.person, PersonHours(shift.person, names.get(shift.person, "?")))
        hours = (b - a).total_seconds() / 3600
        if standby:
            row.standby_hours += hours
        else:
            row.worked_hours += hours
        row.shifts += 1
        if night_hours(a, b) >= NIGHT_WORKER_HOURS:
            row.nights += 1
        row.weekend_hours += weekend_hours(a, b)
    return HoursReport(start, end, sorted(rows.values(), key=lambda r: r.name.lower()))


def safe_cell(value: object) -> str:
    """A spreadsheet cannot run a formula from this cell."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(report: HoursReport, rota_name: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    header: Sequence[str] = [
        _("Rota"),
        _("Person"),
        _("Shifts"),
        _("Hours on shift"),
        _("Hours on standby"),
        _("Nights"),
        _("Weekend hours"),
    ]
    writer.writerow(header)
    for row in report.rows:
        writer.writerow(
            [
                safe_cell(rota_name),
                safe_cell(row.name),
                row.shifts,
                f"{row.worked_hours:.2f}",
                f"{row.standby_hours:.2f}",
                row.nights,
                f"{row.weekend_hours:.2f}",
            ]
        )
    return out.getvalue()
