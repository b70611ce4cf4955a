"""Battle-rhythm arithmetic: when recurring meetings and deadlines fall due.

Entries are defined in Europe/London wall-clock time, so Silver at 08:30 stays 08:30 across the
clock changes. Two local times need a deliberate rule:

- a time that does not exist (the hour skipped when the clocks go forward, 01:00 to 01:59 on the last
  Sunday of March) falls due at the same number of minutes after the change, i.e. 01:30 becomes
  02:30 BST (zoneinfo's fold=0 reading of the nonexistent time);
- a time that happens twice (01:00 to 01:59 on the last Sunday of October) falls due once, at the
  first of the two (BST).

`occurrences` is a pure function: it reads no database and returns aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from incident_console.lib.time import LONDON


class RhythmLike(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def title(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def times(self) -> Any: ...
    @property
    def weekdays(self) -> Any: ...


@dataclass(frozen=True)
class Occurrence:
    entry_id: int | None
    title: str
    kind: str
    at: datetime  # aware, UTC

    @property
    def local(self) -> datetime:
        return self.at.astimezone(LONDON)


def parse_times(values: Iterable[str]) -> list[time]:
    """HH:MM strings to times; ValueError for anything else or for none at all."""
    parsed = []
    for value in values:
        text = str(value).strip()
        if len(text) != 5 or text[2] != ":":
            raise ValueError(text)
        parsed.append(time.fromisoformat(text))
    if not parsed:
        raise ValueError("no times")
    return sorted(set(parsed))


def wall_clock_to_utc(day: date, at: time) -> datetime:
    """The UTC instant of a London wall-clock time, by the rules in the module docstring."""
    local = datetime.combine(day, at, tzinfo=LONDON)  # fold=0: first of two, or shifted forward
    utc = local.astimezone(UTC)
    return utc


def occurrences(entries: Iterable[RhythmLike], start: datetime, end: datetime) -> list[Occurrence]:
    """Every occurrence of the entries with start <= at < end, in time order. start and end must
    be aware."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    found: list[Occurrence] = []
    first_day = start.astimezone(LONDON).date() - timedelta(days=1)
    last_day = end.astimezone(LONDON).date() + timedelta(days=1)
    for entry in entries:
        times = parse_times(entry.times)
        days = set(entry.weekdays)
        day = first_day
        while day <= last_day:
            if not days or day.weekday() in days:
                for at in times:
                    utc = wall_clock_to_utc(day, at)
                    if start <= utc < end:
                        found.append(Occurrence(entry.pk, entry.title, entry.kind, utc))
            day += timedelta(days=1)
    found.sort(key=lambda o: (o.at, o.title))
    return found
