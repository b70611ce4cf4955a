"""The resolver: wall-clock patterns, clock changes, rotation, overrides and swaps."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from incident_console.rotas.resolver import (
    LONDON,
    Gap,
    OverrideSpec,
    PatternSpec,
    RotaSpec,
    Source,
    SwapSpec,
    gaps,
    local_to_utc,
    now_and_next,
    shifts,
    who_is_on,
)

ANCHOR = date(2026, 1, 5)


def day_and_night(members: tuple[int, ...] = (1, 2, 3), **kwargs) -> RotaSpec:
    return RotaSpec(
        ANCHOR,
        (
            PatternSpec("Day", time(8), time(20), ANCHOR),
            PatternSpec("Night", time(20), time(8), ANCHOR),
        ),
        members,
        **kwargs,
    )


def night_starting(rota: RotaSpec, day: date):
    start = local_to_utc(day, time(20))
    return next(s for s in shifts(rota, start, start + timedelta(minutes=1)) if s.start == start)


def london(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def test_the_night_shift_when_the_clocks_go_back_lasts_thirteen_hours() -> None:
    night = night_starting(day_and_night(), date(2026, 10, 24))
    assert night.end - night.start == timedelta(hours=13)
    assert night.end.astimezone(LONDON).time() == time(8)


def test_the_night_shift_when_the_clocks_go_forward_lasts_eleven_hours() -> None:
    night = night_starting(day_and_night(), date(2026, 3, 28))
    assert night.end - night.start == timedelta(hours=11)
    assert night.end.astimezone(LONDON).time() == time(8)


def test_a_shift_starting_at_a_time_that_does_not_exist_starts_when_the_clocks_go_forward() -> None:
    assert local_to_utc(date(2026, 3, 29), time(1, 30)) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert local_to_utc(date(2026, 3, 29), time(1, 30)).astimezone(LONDON).time() == time(2)


def test_a_time_that_happens_twice_means_the_first_one() -> None:
    assert local_to_utc(date(2026, 10, 25), time(1, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_an_early_shift_across_the_missing_hour_is_shorter_and_leaves_no_gap() -> None:
    rota = RotaSpec(
        ANCHOR,
        (
            PatternSpec("Late", time(13, 30), time(1, 30), ANCHOR),
            PatternSpec("Early", time(1, 30), time(13, 30), ANCHOR),
        ),
        (1, 2),
    )
    start, end = london(2026, 3, 28, 12), london(2026, 3, 30, 12)
    assert gaps(rota, start, end) == []
    listed = shifts(rota, start, end)
    for before, after in itertools.pairwise(listed):
        assert before.end == after.start


def test_the_rotation_steps_one_member_per_shift_from_the_anchor_date() -> None:
    rota = day_and_night()
    listed = shifts(rota, london(2026, 1, 5, 8), london(2026, 1, 7, 8))
    assert [s.person for s in listed] == [1, 2, 3, 1]
    assert [s.label for s in listed] == ["Day", "Night", "Day", "Night"]


def test_a_rota_with_no_members_is_a_gap_all_day() -> None:
    rota = day_and_night(members=())
    start = london(2026, 6, 1, 0)
    end = start + timedelta(days=1)
    assert gaps(rota, start, end) == [Gap(start.astimezone(UTC), end.astimezone(UTC))]


def test_times_no_pattern_covers_are_gaps() -> None:
    rota = RotaSpec(ANCHOR, (PatternSpec("Office", time(9), time(17), ANCHOR),), (1,))
    found = gaps(rota, london(2026, 6, 1, 0), london(2026, 6, 2, 0))
    assert [(g.start.astimezone(LONDON).hour, g.end.astimezone(LONDON).hour) for g in found] == [
        (0, 9),
        (17, 0),
    ]


def test_a_later_override_wins_where_two_overlap() -> None:
    rota = day_and_night(
        overrides=(
            OverrideSpec(7, london(2026, 6, 1, 9), london(2026, 6, 1, 15), seq=1),
            OverrideSpec(8, london(2026, 6, 1, 12), london(2026, 6, 1, 13), seq=2),
        )
    )
    assert who_is_on(rota, london(2026, 6, 1, 10)) == 7
    assert who_is_on(rota, london(2026, 6, 1, 12, 30)) == 8
    assert who_is_on(rota, london(2026, 6, 1, 14)) == 7
    listed = shifts(rota, london(2026, 6, 1, 8), london(2026, 6, 1, 20))
    assert [(s.person, s.source) for s in listed] == [
        (who_is_on(day_and_night(), london(2026, 6, 1, 8)), Source.PATTERN),
        (7, Source.OVERRIDE),
        (8, Source.OVERRIDE),
        (7, Source.OVERRIDE),
        (who_is_on(day_and_night(), london(2026, 6, 1, 8)), Source.PATTERN),
    ]


def test_an_earlier_override_does_not_win_even_if_it_is_listed_last() -> None:
    rota = day_and_night(
        overrides=(
            OverrideSpec(8, london(2026, 6, 1, 12), london(2026, 6, 1, 13), seq=5),
            OverrideSpec(7, london(2026, 6, 1, 9), london(2026, 6, 1, 15), seq=1),
        )
    )
    assert who_is_on(rota, london(2026, 6, 1, 12, 30)) == 8


def test_an_agreed_swap_exchanges_two_shifts() -> None:
    plain = day_and_night()
    a_start, b_start = local_to_utc(date(2026, 1, 5), time(8)), local_to_utc(date(2026, 1, 5), time(20))
    swapped = day_and_night(swaps=(SwapSpec(1, a_start, 2, b_start),))
    assert who_is_on(plain, a_start) == 1 and who_is_on(plain, b_start) == 2
    assert who_is_on(swapped, a_start) == 2 and who_is_on(swapped, b_start) == 1
    assert {s.source for s in shifts(swapped, a_start, b_start + timedelta(hours=1))} == {Source.SWAP}


def test_now_and_next_names_the_person_taking_over() -> None:
    rota = day_and_night()
    result = now_and_next(rota, london(2026, 1, 5, 10))
    assert result.current is not None and result.current.person == 1
    assert result.next is not None and result.next.person == 2
    assert result.next.start == local_to_utc(date(2026, 1, 5), time(20))


def test_who_is_on_is_worked_out_without_walking_from_the_anchor() -> None:
    rota = day_and_night(members=tuple(range(50)))
    far = london(2126, 7, 1, 9)
    assert who_is_on(rota, far) == shifts(rota, far, far + timedelta(minutes=1))[0].person


# --- Properties ----------------------------------------------------------------------------------

minutes_of_day = st.integers(min_value=0, max_value=24 * 60 - 1).map(lambda m: time(m // 60, m % 60))
# Days around both clock changes, and ordinary days.
days = st.sampled_from(
    [
        date(2026, 3, 27),
        date(2026, 3, 28),
        date(2026, 3, 29),
        date(2026, 10, 24),
        date(2026, 10, 25),
        date(2026, 7, 1),
    ]
) | st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def full_day_rotas(draw: st.DrawFn) -> RotaSpec:
    """Patterns that cover the whole day: consecutive boundaries, the last wrapping to the first."""
    bounds = sorted(draw(st.sets(minutes_of_day, min_size=1, max_size=5)))
    patterns = tuple(
        PatternSpec(f"P{i}", bounds[i], bounds[(i + 1) % len(bounds)], date(2024, 1, 1))
        for i in range(len(bounds))
    )
    members = tuple(draw(st.lists(st.integers(1, 9), min_size=1, max_size=6)))
    return RotaSpec(draw(days), patterns, members)


@st.composite
def overrides(draw: st.DrawFn) -> tuple[OverrideSpec, ...]:
    found = []
    for seq in range(draw(st.integers(0, 4))):
        start = local_to_utc(draw(days), draw(minutes_of_day))
        length = timedelta(minutes=draw(st.integers(1, 3 * 24 * 60)))
        found.append(OverrideSpec(100 + seq, start, start + length, seq))
    return tuple(found)


@settings(max_examples=150, deadline=None)
@given(rota=full_day_rotas(), day=days)
def test_shifts_of_a_full_day_pattern_tile_time_exactly_across_clock_changes(
    rota: RotaSpec, day: date
) -> None:
    start = local_to_utc(day, time(0))
    end = local_to_utc(day + timedelta(days=3), time(0))
    listed = shifts(rota, start, end)
    assert listed[0].start <= start and listed[-1].end >= end
    for before, after in itertools.pairwise(listed):
        assert before.end == after.start
        assert before.end > before.start
    assert sum((s.end - s.start for s in listed), timedelta()) == listed[-1].end - listed[0].start
    assert gaps(rota, start, end) == []


@settings(max_examples=150, deadline=None)
@given(rota=full_day_rotas(), extra=overrides(), day=days, offset=st.integers(0, 3 * 24 * 3600 - 1))
def test_who_is_on_agrees_with_the_list_of_shifts(rota: RotaSpec, extra, day: date, offset: int) -> None:
    rota = RotaSpec(rota.anchor, rota.patterns, rota.members, extra)
    instant = local_to_utc(day, time(0)) + timedelta(seconds=offset)
    listed = shifts(rota, instant - timedelta(days=1), instant + timedelta(days=1))
    covering = [s for s in listed if s.contains(instant)]
    assert len(covering) == 1
    assert who_is_on(rota, instant) == covering[0].person


@settings(max_examples=150, deadline=None)
@given(rota=full_day_rotas(), extra=overrides(), data=st.data())
def test_inside_an_override_the_latest_override_always_wins(
    rota: RotaSpec, extra, data: st.DataObject
) -> None:
    rota = RotaSpec(rota.anchor, rota.patterns, rota.members, extra)
    for override in extra:
        seconds = int((override.end - override.start).total_seconds())
        instant = override.start + timedelta(seconds=data.draw(st.integers(0, seconds - 1)))
        latest = max((o for o in extra if o.start <= instant < o.end), key=lambda o: o.seq)
        assert who_is_on(rota, instant) == latest.person
        assert latest.seq >= override.seq


def test_a_pattern_that_replaces_another_carries_the_rotation_on() -> None:
    rota = RotaSpec(
        ANCHOR,
        (
            PatternSpec("Day", time(8), time(20), ANCHOR),
            PatternSpec("Night", time(20), time(8), ANCHOR, date(2026, 1, 6), slot=1),
            PatternSpec("Night", time(20), time(8), date(2026, 1, 8), slot=1),
        ),
        (1, 2, 3),
    )
    listed = shifts(rota, london(2026, 1, 5, 8), london(2026, 1, 9, 8))
    # Nobody on the night of 7 January: no pattern then, and the rotation does not skip a beat.
    assert [(s.start.astimezone(LONDON).day, s.label, s.person) for s in listed] == [
        (5, "Day", 1),
        (5, "Night", 2),
        (6, "Day", 3),
        (6, "Night", 1),
        (7, "Day", 2),
        (8, "Day", 1),
        (8, "Night", 2),
    ]
    assert len(gaps(rota, london(2026, 1, 7, 8), london(2026, 1, 8, 8))) == 1
