"""Who is on, and when: pure functions over plain data, no database access.

A selector builds a `RotaSpec`; everything here is arithmetic on it.

Rules (see docs/architecture.md, "Rotas"):

- Patterns are wall-clock times in Europe/London. A pattern whose end is not after its start
  crosses midnight (20:00-08:00 ends at 08:00 the next day; 08:00-08:00 lasts a whole day).
- A wall-clock time is turned into an instant once, by `local_to_utc`, so a shift's end and the
  next shift's start, being the same wall-clock time, are the same instant: a pattern that covers
  the whole day tiles time exactly, across clock changes. Durations are UTC differences.
- A wall-clock time that does not exist (01:30 on the last Sunday of March) means the next valid
  instant, the moment the clocks went forward (02:00 BST = 01:00 UTC). A wall-clock time that
  happens twice (01:30 on the last Sunday of October) means the first of the two (fold=0, BST).
  A shift whose start and end become the same instant this way does not happen.
- Rotation: each pattern has a slot 0..S-1 (by default its position; a pattern that replaces
  another from a later date shares its slot). On local date d the occurrence of the pattern in
  slot i has index k = (d - anchor).days * S + i, and is worked by members[k mod N]. So the
  rotation advances one step per slot per day, counting every slot, whether or not a pattern
  applies on that date. No member: nobody (a gap).
- An agreed swap exchanges the people of two pattern shifts, named by their start instants.
- Overrides: a person covers [start, end). Where overrides overlap, the later one (higher `seq`)
  wins. Overrides beat patterns and swaps, and also cover time no pattern covers.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
ONE_DAY = timedelta(days=1)


class Source(StrEnum):
    PATTERN = "pattern"
    SWAP = "swap"
    OVERRIDE = "override"


@dataclass(frozen=True)
class PatternSpec:
    name: str
    start: time
    end: time
    valid_from: date
    valid_until: date | None = None  # last date it applies; None: open-ended
    slot: int | None = None  # rotation slot; patterns that replace one another share one. Default: position

    def applies_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start


@dataclass(frozen=True)
class OverrideSpec:
    person: int
    start: datetime  # aware
    end: datetime  # aware, after start
    seq: int  # later overrides have higher seq and win


@dataclass(frozen=True)
class SwapSpec:
    """An agreed swap: person_a's shift starting at a_start and person_b's at b_start change hands."""

    person_a: int
    a_start: datetime
    person_b: int
    b_start: datetime


@dataclass(frozen=True)
class RotaSpec:
    anchor: date
    patterns: tuple[PatternSpec, ...]
    members: tuple[int, ...]
    overrides: tuple[OverrideSpec, ...] = ()
    swaps: tuple[SwapSpec, ...] = ()
    tz: ZoneInfo = LONDON
    _swap_index: dict[datetime, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)
    _slots: list[int] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._slots.extend(p.slot if p.slot is not None else i for i, p in enumerate(self.patterns))
        for swap in self.swaps:
            self._swap_index[swap.a_start.astimezone(UTC)] = (swap.person_a, swap.person_b)
            self._swap_index[swap.b_start.astimezone(UTC)] = (swap.person_b, swap.person_a)


@dataclass(frozen=True)
class Shift:
    start: datetime  # UTC
    end: datetime  # UTC
    person: int | None
    source: Source
    label: str = ""

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


@dataclass(frozen=True)
class Gap:
    start: datetime
    end: datetime


def local_to_utc(day: date, at: time, tz: ZoneInfo = LONDON) -> datetime:
    """The instant of wall-clock `at` on `day`: fold=0 when it happens twice, the moment the clocks
    went forward when it does not happen at all."""
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=tz).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    # In a gap: find the transition instant between the two readings of the offset.
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = first
    if lo > hi:
        lo, hi = hi, lo
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0) if hi.microsecond else hi


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("aware datetimes only")
    return value.astimezone(UTC)


def _pattern_person(rota: RotaSpec, day: date, index: int) -> int | None:
    if not rota.members:
        return None
    k = (day - rota.anchor).days * (max(rota._slots) + 1) + rota._slots[index]
    return rota.members[k % len(rota.members)]


def _occurrence(rota: RotaSpec, day: date, index: int) -> Shift | None:
    pattern = rota.patterns[index]
    if not pattern.applies_on(day):
        return None
    start = local_to_utc(day, pattern.start, rota.tz)
    end = local_to_utc(day + ONE_DAY if pattern.crosses_midnight else day, pattern.end, rota.tz)
    if end <= start:
        return None
    person = _pattern_person(rota, day, index)
    source = Source.PATTERN
    swapped = rota._swap_index.get(start)
    if swapped is not None and person == swapped[0]:
        person, source = swapped[1], Source.SWAP
    return Shift(start, end, person, source, pattern.name)


def base_shifts(rota: RotaSpec, start: datetime, end: datetime) -> list[Shift]:
    """Pattern (and swapped) shifts overlapping [start, end), whole, in order of start."""
    start, end = _utc(start), _utc(end)
    first = start.astimezone(rota.tz).date() - ONE_DAY
    last = end.astimezone(rota.tz).date()
    found: list[Shift] = []
    day = first
    while day <= last:
        for index in range(len(rota.patterns)):
            shift = _occurrence(rota, day, index)
            if shift is not None and shift.start < end and shift.end > start:
                found.append(shift)
        day += ONE_DAY
    found.sort(key=lambda s: s.start)
    return found


def _override_segments(rota: RotaSpec, start: datetime, end: datetime) -> list[Shift]:
    """Disjoint pieces of [start, end) covered by overrides, each won by the latest override there."""
    relevant = [o for o in rota.overrides if _utc(o.start) < end and _utc(o.end) > start]
    if not relevant:
        return []
    cuts = sorted(
        {
            start,
            end,
            *(max(_utc(o.start), start) for o in relevant),
            *(min(_utc(o.end), end) for o in relevant),
        }
    )
    segments: list[Shift] = []
    for lo, hi in itertools.pairwise(cuts):
        if hi <= lo:
            continue
        winner: OverrideSpec | None = None
        for o in relevant:
            if _utc(o.start) <= lo and _utc(o.end) >= hi and (winner is None or o.seq > winner.seq):
                winner = o
        if winner is None:
            continue
        previous = segments[-1] if segments else None
        if previous is not None and previous.end == lo and previous.person == winner.person:
            segments[-1] = Shift(previous.start, hi, winner.person, Source.OVERRIDE, "")
        else:
            segments.append(Shift(lo, hi, winner.person, Source.OVERRIDE, ""))
    return segments


def shifts(rota: RotaSpec, start: datetime, end: datetime) -> list[Shift]:
    """Who works when around [start, end): every shift overlapping the window, whole (pattern shifts
    may run past its edges), cut where an override takes over. In order of start, never overlapping
    (given patterns that do not overlap each other)."""
    start, end = _utc(start), _utc(end)
    base = base_shifts(rota, start, end)
    lo = min([start, *(s.start for s in base)])
    hi = max([end, *(s.end for s in base)])
    covered = _override_segments(rota, lo, hi)
    if not covered:
        return base
    result: list[Shift] = [c for c in covered if c.start < end and c.end > start]
    starts = [c.start for c in covered]
    for shift in base:
        pieces = [(shift.start, shift.end)]
        i = max(0, bisect.bisect_right(starts, shift.start) - 1)
        while i < len(covered) and covered[i].start < shift.end:
            c = covered[i]
            next_pieces: list[tuple[datetime, datetime]] = []
            for a, b in pieces:
                if c.end <= a or c.start >= b:
                    next_pieces.append((a, b))
                    continue
                if a < c.start:
                    next_pieces.append((a, c.start))
                if c.end < b:
                    next_pieces.append((c.end, b))
            pieces = next_pieces
            i += 1
        for a, b in pieces:
            if a < end and b > start:
                result.append(Shift(a, b, shift.person, shift.source, shift.label))
    result.sort(key=lambda s: s.start)
    return result


def who_is_on(rota: RotaSpec, instant: datetime) -> int | None:
    """The person covering `instant`, or None. Constant work per lookup: the pattern occurrence is
    found from the local date, never by walking from the anchor."""
    instant = _utc(instant)
    winner: OverrideSpec | None = None
    for o in rota.overrides:
        if _utc(o.start) <= instant < _utc(o.end) and (winner is None or o.seq > winner.seq):
            winner = o
    if winner is not None:
        return winner.person
    shift = pattern_shift_at(rota, instant)
    return shift.person if shift is not None else None


def pattern_shift_at(rota: RotaSpec, instant: datetime) -> Shift | None:
    instant = _utc(instant)
    today = instant.astimezone(rota.tz).date()
    for day in (today, today - ONE_DAY):
        for index in range(len(rota.patterns)):
            shift = _occurrence(rota, day, index)
            if shift is not None and shift.contains(instant):
                return shift
    return None


def shift_at(rota: RotaSpec, instant: datetime) -> Shift | None:
    """The (possibly cut) shift covering `instant`, as `shifts` would list it."""
    instant = _utc(instant)
    for shift in shifts(rota, instant, instant + timedelta(microseconds=1)):
        if shift.contains(instant):
            return shift
    return None


def gaps(rota: RotaSpec, start: datetime, end: datetime) -> list[Gap]:
    """Stretches of [start, end) with nobody on: no shift at all, or a shift with no person."""
    start, end = _utc(start), _utc(end)
    found: list[Gap] = []
    cursor = start

    def add(a: datetime, b: datetime) -> None:
        if b <= a:
            return
        if found and found[-1].end == a:
            found[-1] = Gap(found[-1].start, b)
        else:
            found.append(Gap(a, b))

    for shift in shifts(rota, start, end):
        a, b = max(shift.start, start), min(shift.end, end)
        if a > cursor:
            add(cursor, a)
        if shift.person is None:
            add(a, b)
        cursor = max(cursor, b)
    add(cursor, end)
    return found


@dataclass(frozen=True)
class NowAndNext:
    current: Shift | None
    next: Shift | None


def now_and_next(rota: RotaSpec, after: datetime, horizon: timedelta = timedelta(days=7)) -> NowAndNext:
    """The shift covering `after` and the next one with a different person (or the next gap)."""
    after = _utc(after)
    listed = shifts(rota, after, after + horizon)
    current = next((s for s in listed if s.contains(after)), None)
    following = [s for s in listed if s.start >= (current.end if current else after)]
    upcoming = next(
        (s for s in following if current is None or s.person != current.person),
        None,
    )
    return NowAndNext(current, upcoming)


def person_shifts(listed: Sequence[Shift], person: int) -> list[Shift]:
    """A person's shifts, with back-to-back pieces of theirs joined into one."""
    mine: list[Shift] = []
    for shift in listed:
        if shift.person != person:
            continue
        if mine and mine[-1].end == shift.start:
            last = mine[-1]
            mine[-1] = Shift(last.start, shift.end, person, last.source, last.label or shift.label)
        else:
            mine.append(shift)
    return mine
