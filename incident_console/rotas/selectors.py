"""Reads for rota pages, the API and other apps. Each rota becomes one `RotaSpec` in a fixed
number of queries; everything after that is the pure resolver."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from incident_console.accounts.models import User
from incident_console.lib.time import LONDON, now

from . import reports, resolver, working_time
from .models import CoverKind, Override, PersonRotaSettings, Rota, RotaMember, RotaSettings, Swap, SwapStatus
from .resolver import Gap, NowAndNext, OverrideSpec, PatternSpec, RotaSpec, Shift, SwapSpec

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import Council


def rotas_with_everything(qs: QuerySet[Rota]) -> QuerySet[Rota]:
    return qs.select_related("council", "owner", "incident").prefetch_related(
        "patterns",
        Prefetch("members", queryset=RotaMember.objects.select_related("user")),
        Prefetch("overrides", queryset=Override.objects.select_related("user")),
        Prefetch("swaps", queryset=Swap.objects.filter(status=SwapStatus.AGREED)),
    )


def spec_for(rota: Rota) -> RotaSpec:
    """The resolver's view of a rota. Uses prefetched relations when `rota` came from
    `rotas_with_everything`."""
    patterns = tuple(
        PatternSpec(p.name, p.start_time, p.end_time, p.valid_from, p.valid_until, p.slot)
        for p in rota.patterns.all()
    )
    members = tuple(m.user_id for m in rota.members.all() if not m.is_backup)
    overrides = tuple(OverrideSpec(o.user_id, o.start, o.end, o.pk) for o in rota.overrides.all())
    swaps = tuple(
        SwapSpec(s.requested_by_id, s.requested_shift_start, s.other_id, s.other_shift_start)
        for s in rota.swaps.all()
        if s.status == SwapStatus.AGREED
    )
    return RotaSpec(rota.anchor_date, patterns, members, overrides, swaps, LONDON)


def people_of(rota: Rota) -> dict[int, User]:
    """Everyone the rota's shifts can name: members, and people covering overrides."""
    people = {m.user_id: m.user for m in rota.members.all()}
    people.update({o.user_id: o.user for o in rota.overrides.all()})
    return people


def rota_for_page(user: User | AnonymousUser, pk: int) -> Rota | None:
    """The rota with everything the resolver needs, if it is in one of the person's councils
    (access.require decides what they may do with it)."""
    from .access import member_council_ids

    return rotas_with_everything(Rota.objects.filter(pk=pk, council_id__in=member_council_ids(user))).first()


def council_rotas(user: User | AnonymousUser) -> QuerySet[Rota]:
    from .access import visible_rotas

    return visible_rotas(user).select_related("council", "owner").order_by("council__name", "name")


def standby_is_working_time(council_id: int) -> bool:
    value = RotaSettings.objects.filter(council_id=council_id).values_list(
        "standby_is_working_time", flat=True
    )
    return next(iter(value), True)


def council_settings(council_ids: Iterable[int]) -> list[tuple[Council, bool]]:
    """Each council with whether standby counts as working time there (default: yes)."""
    from incident_console.accounts.models import Council

    councils = list(Council.objects.filter(pk__in=list(council_ids)).order_by("name"))
    values = dict(
        RotaSettings.objects.filter(council__in=councils).values_list("council_id", "standby_is_working_time")
    )
    return [(c, values.get(c.pk, True)) for c in councils]


def opted_out(user: User) -> bool:
    return bool(
        PersonRotaSettings.objects.filter(user=user).values_list("opted_out_of_48_hours", flat=True).first()
    )


# --- Coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """Part of a day row in the coverage chart: a shift piece or a gap, in minutes from local midnight."""

    start: datetime
    end: datetime
    person: User | None
    source: str
    offset: int  # percent of the day from the left
    width: int  # percent of the day

    @property
    def is_gap(self) -> bool:
        return self.person is None


@dataclass(frozen=True)
class DayRow:
    day: date
    blocks: list[Block]
    has_gap: bool


def london_midnight(day: date) -> datetime:
    return resolver.local_to_utc(day, datetime.min.time())


def coverage(rota: Rota, first_day: date, days: int = 7) -> list[DayRow]:
    """Per local day, the shifts and gaps laid out for the chart."""
    spec = spec_for(rota)
    people = people_of(rota)
    start, end = london_midnight(first_day), london_midnight(first_day + timedelta(days=days))
    listed = resolver.shifts(spec, start, end)
    rows: list[DayRow] = []
    for i in range(days):
        day = first_day + timedelta(days=i)
        lo, hi = london_midnight(day), london_midnight(day + timedelta(days=1))
        length = (hi - lo).total_seconds()
        pieces: list[tuple[datetime, datetime, int | None, str]] = []
        cursor = lo
        for shift in listed:
            a, b = max(shift.start, lo), min(shift.end, hi)
            if b <= a:
                continue
            if a > cursor:
                pieces.append((cursor, a, None, "gap"))
            pieces.append((a, b, shift.person, shift.source if shift.person else "gap"))
            cursor = max(cursor, b)
        if cursor < hi:
            pieces.append((cursor, hi, None, "gap"))
        blocks: list[Block] = []
        for a, b, person, source in pieces:
            offset = round((a - lo).total_seconds() / length * 100)
            width = max(1, round((b - lo).total_seconds() / length * 100) - offset)
            blocks.append(Block(a, b, people.get(person) if person else None, source, offset, width))
        rows.append(DayRow(day, blocks, any(b.is_gap for b in blocks)))
    return rows


def gaps_for(rota: Rota, *, start: datetime | None = None, days: int = 14) -> list[Gap]:
    start = start or now()
    return resolver.gaps(spec_for(rota), start, start + timedelta(days=days))


def shifts_for(rota: Rota, start: datetime, end: datetime) -> list[Shift]:
    return resolver.shifts(spec_for(rota), start, end)


# --- For the command board -------------------------------------------------------------------------


@dataclass(frozen=True)
class OnNowAndNext:
    rota: Rota
    current: Shift | None
    current_person: User | None
    next: Shift | None
    next_person: User | None


def next_on(council: Council, rota: Rota | str | int, after: datetime | None = None) -> OnNowAndNext | None:
    """Who holds a position now and who takes over next. `rota` is a Rota, its id, or its position
    name ("Gold") within the council. None when the council has no such rota."""
    qs = Rota.objects.filter(council=council)
    if isinstance(rota, Rota):
        qs = qs.filter(pk=rota.pk)
    elif isinstance(rota, int):
        qs = qs.filter(pk=rota)
    else:
        qs = qs.filter(name=rota)
    found = rotas_with_everything(qs).first()
    if found is None:
        return None
    return _now_and_next(found, after or now())


def _now_and_next(rota: Rota, at: datetime) -> OnNowAndNext:
    """Who is on a prefetched rota at ``at`` and who takes over next, as people."""
    result: NowAndNext = resolver.now_and_next(spec_for(rota), at)
    people = people_of(rota)

    def person(shift: Shift | None) -> User | None:
        return people.get(shift.person) if shift is not None and shift.person is not None else None

    return OnNowAndNext(rota, result.current, person(result.current), result.next, person(result.next))


def on_now_and_next_for(council: Council, incident_id: int | None = None) -> list[OnNowAndNext]:
    """Every rota of the council (and of this incident, if it has its own): who is on now and next."""
    qs = Rota.objects.filter(council=council)
    qs = (
        qs.filter(Q(incident__isnull=True) | Q(incident_id=incident_id))
        if incident_id
        else qs.filter(incident__isnull=True)
    )
    at = now()
    return [_now_and_next(rota, at) for rota in rotas_with_everything(qs.order_by("name"))]


# --- My shifts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyShift:
    rota: Rota
    shift: Shift
    from_person: User | None  # who hands over to me
    to_person: User | None  # to whom I hand over

    @property
    def is_standby(self) -> bool:
        return self.rota.cover == CoverKind.STANDBY

    @property
    def uid(self) -> str:
        return f"rota-{self.rota.pk}-{self.shift.start:%Y%m%dT%H%M%SZ}-{self.shift.person}"


def rotas_involving(user: User) -> QuerySet[Rota]:
    """Rotas where the person is a member or covers an override (any council they belong to, and
    never one they have left: membership of the council is required)."""
    from .access import member_council_ids

    return rotas_with_everything(
        Rota.objects.filter(council_id__in=member_council_ids(user))
        .filter(Q(members__user=user) | Q(overrides__user=user))
        .distinct()
    )


def my_shifts(
    user: User, start: datetime, end: datetime, rotas: Iterable[Rota] | None = None
) -> list[MyShift]:
    found: list[MyShift] = []
    for rota in rotas if rotas is not None else rotas_involving(user):
        spec = spec_for(rota)
        people = people_of(rota)
        listed = resolver.shifts(spec, start - timedelta(days=2), end + timedelta(days=2))
        for shift in resolver.person_shifts(listed, user.pk):
            if shift.end <= start or shift.start >= end:
                continue
            before = next((s for s in reversed(listed) if s.end == shift.start), None)
            after = next((s for s in listed if s.start == shift.end), None)
            found.append(
                MyShift(
                    rota,
                    shift,
                    people.get(before.person) if before and before.person else None,
                    people.get(after.person) if after and after.person else None,
                )
            )
    found.sort(key=lambda m: (m.shift.start, m.rota.name))
    return found


def swaps_for(user: User) -> QuerySet[Swap]:
    return (
        Swap.objects.filter(Q(requested_by=user) | Q(other=user), status=SwapStatus.REQUESTED)
        .select_related("rota", "requested_by", "other")
        .order_by("requested_shift_start")
    )


def user_for_calendar_key(key_hash: str) -> User | None:
    settings_row = (
        PersonRotaSettings.objects.filter(calendar_key_hash=key_hash)
        .exclude(calendar_key_hash="")
        .select_related("user")
        .first()
    )
    if settings_row is None or not settings_row.user.is_active:
        return None
    return settings_row.user


# --- Working time and hours ----------------------------------------------------------------------

REFERENCE_PERIOD = timedelta(weeks=17)


@dataclass(frozen=True)
class PersonWarnings:
    person: User
    warnings: list[working_time.Warning]


def _work(mine: Iterable[MyShift]) -> list[working_time.Work]:
    return [working_time.Work(m.shift.start, m.shift.end, m.is_standby) for m in mine]


def warnings_for_person(user: User, *, start: datetime | None = None) -> list[working_time.Warning]:
    """Warnings over the person's shifts on every rota for the 17 weeks from `start` (default now)."""
    start = start or now()
    mine = my_shifts(user, start, start + REFERENCE_PERIOD)
    councils = {m.rota.council_id for m in mine}
    standby = all(standby_is_working_time(c) for c in councils) if councils else True
    return working_time.warnings_for(_work(mine), standby_is_working_time=standby, opted_out=opted_out(user))


def rota_warnings(rota: Rota, *, start: datetime | None = None) -> list[PersonWarnings]:
    """Warnings for each rota member, from this rota's shifts over the next 17 weeks."""
    start = start or now()
    people = people_of(rota)
    listed = resolver.shifts(spec_for(rota), start, start + REFERENCE_PERIOD)
    standby = standby_is_working_time(rota.council_id)
    opted = set(
        PersonRotaSettings.objects.filter(user_id__in=people, opted_out_of_48_hours=True).values_list(
            "user_id", flat=True
        )
    )
    found: list[PersonWarnings] = []
    for person_id, person in sorted(people.items(), key=lambda p: p[1].display_name):
        work = [
            working_time.Work(s.start, s.end, rota.cover == CoverKind.STANDBY)
            for s in resolver.person_shifts(listed, person_id)
        ]
        warnings = working_time.warnings_for(
            work, standby_is_working_time=standby, opted_out=person_id in opted
        )
        if warnings:
            found.append(PersonWarnings(person, warnings))
    return found


def hours_for_rota(rota: Rota, start: datetime, end: datetime) -> reports.HoursReport:
    standby = rota.cover == CoverKind.STANDBY
    names = {pk: user.display_name for pk, user in people_of(rota).items()}
    listed = resolver.shifts(spec_for(rota), start, end)
    return reports.hours_report(((s, standby) for s in listed), names, start, end)
