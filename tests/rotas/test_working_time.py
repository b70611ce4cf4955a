"""Working Time Regulations warnings, one rule at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from incident_console.rotas.working_time import Rule, Work, night_hours, warnings_for
from tests import factories
from tests.conftest import World

MONDAY = datetime(2026, 6, 1, 8, tzinfo=UTC)


def day_shifts(days: int, *, hours: int = 8, start: datetime = MONDAY, every: int = 1) -> list[Work]:
    return [
        Work(start + timedelta(days=d), start + timedelta(days=d, hours=hours)) for d in range(0, days, every)
    ]


def rules(work: list[Work], **kwargs: bool) -> set[Rule]:
    return {w.rule for w in warnings_for(work, **kwargs)}


def test_less_than_eleven_hours_rest_between_shifts_is_warned() -> None:
    work = [
        Work(MONDAY, MONDAY + timedelta(hours=6)),
        Work(MONDAY + timedelta(hours=16), MONDAY + timedelta(hours=22)),
    ]
    assert Rule.DAILY_REST in rules(work)
    work[1] = Work(MONDAY + timedelta(hours=17), MONDAY + timedelta(hours=22))
    assert Rule.DAILY_REST not in rules(work)


def test_seven_days_without_a_day_off_is_warned() -> None:
    assert Rule.WEEKLY_REST in rules(day_shifts(14, hours=6))


def test_a_day_off_every_week_is_fine() -> None:
    work = [w for i, w in enumerate(day_shifts(21, hours=6)) if i % 7 != 6]
    assert Rule.WEEKLY_REST not in rules(work)


def test_a_48_hour_rest_in_fourteen_days_is_an_alternative_to_weekly_rest() -> None:
    work = [w for i, w in enumerate(day_shifts(14, hours=6)) if i not in (11, 12)]
    assert Rule.WEEKLY_REST not in rules(work)


def test_a_shift_over_six_hours_needs_a_break() -> None:
    assert Rule.BREAK in rules(day_shifts(1, hours=7))
    assert Rule.BREAK not in rules(day_shifts(1, hours=6))


def test_more_than_48_hours_a_week_over_17_weeks_is_warned_unless_opted_out() -> None:
    heavy = day_shifts(17 * 7, hours=12, every=2)  # 12 hours every other day: 42 a week
    assert Rule.WEEKLY_HOURS not in rules(heavy)
    heavier = day_shifts(17 * 7, hours=10)  # 70 a week
    assert Rule.WEEKLY_HOURS in rules(heavier)
    assert Rule.WEEKLY_HOURS not in rules(heavier, opted_out=True)


def test_standby_counts_only_when_the_council_says_so() -> None:
    standby = [Work(w.start, w.end, standby=True) for w in day_shifts(17 * 7, hours=10)]
    assert Rule.WEEKLY_HOURS in rules(standby, standby_is_working_time=True)
    assert rules(standby, standby_is_working_time=False) == set()


def test_a_night_worker_averaging_over_8_hours_in_24_is_warned() -> None:
    nights = day_shifts(14, hours=10, start=datetime(2026, 6, 1, 21, tzinfo=UTC))
    assert Rule.NIGHT_WORK in rules(nights)
    light = day_shifts(14, hours=10, start=datetime(2026, 6, 1, 21, tzinfo=UTC), every=3)
    assert Rule.NIGHT_WORK not in rules(light)


def test_night_time_is_23_00_to_06_00_uk_time() -> None:
    # 21:00-07:00 UTC in June is 22:00-08:00 BST: 23:00-06:00 BST inside it, 7 hours.
    assert night_hours(
        datetime(2026, 6, 1, 21, tzinfo=UTC), datetime(2026, 6, 2, 7, tzinfo=UTC)
    ) == timedelta(hours=7)


@pytest.mark.django_db
def test_the_rota_page_and_my_shifts_show_warnings(world: World) -> None:
    rota = factories.rota(world.a, [world.people["staff"]], name="Solo")
    assert "over 6 hours" in world.client_for("gold").get(f"/rotas/{rota.pk}/").content.decode()
    assert "over 6 hours" in world.client_for("staff").get("/rotas/mine/").content.decode()


@pytest.mark.django_db
def test_a_person_who_has_opted_out_no_longer_gets_the_48_hour_warning(world: World) -> None:
    factories.rota(world.a, [world.people["staff"]], name="Solo")
    client = world.client_for("staff")
    assert "Averaging" in client.get("/rotas/mine/").content.decode()
    assert client.post("/rotas/mine/working-time/", {"opted_out": "yes"}).status_code == 302
    page = client.get("/rotas/mine/").content.decode()
    assert "Averaging" not in page and "over 6 hours" in page


@pytest.mark.django_db
def test_a_council_admin_decides_that_standby_is_not_working_time(world: World) -> None:
    rota = factories.rota(world.a, [world.people["staff"]], name="On call", cover="standby")
    admin = world.client_for("admin")
    assert "Averaging" in admin.get(f"/rotas/{rota.pk}/").content.decode()
    assert (
        admin.post(f"/rotas/councils/{world.a.pk}/settings/", {"standby_is_working_time": "no"}).status_code
        == 302
    )
    assert "Averaging" not in admin.get(f"/rotas/{rota.pk}/").content.decode()
    assert world.client_for("admin_b").post(f"/rotas/councils/{world.a.pk}/settings/", {}).status_code == 404
