"""Overrides, swaps (with consent) and gaps, through the services and the pages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from incident_console.lib.errors import ValidationError
from incident_console.lib.time import LONDON, now
from incident_console.rotas import selectors, services
from incident_console.rotas.models import Rota, Swap, SwapStatus
from incident_console.rotas.resolver import local_to_utc, who_is_on
from tests import factories
from tests.conftest import World, form_errors
from tests.rotas.helpers import gap_rota, gold_rota, gold_staff_swap, next_shift_start

pytestmark = pytest.mark.django_db


def fresh(rota: Rota) -> Rota:
    return selectors.rotas_with_everything(Rota.objects.filter(pk=rota.pk)).get()


def on_at(rota: Rota, instant: datetime) -> int | None:
    return who_is_on(selectors.spec_for(fresh(rota)), instant)


def test_an_override_puts_someone_else_on_for_its_time(world: World) -> None:
    rota = gold_rota(world)
    start = local_to_utc(date(2026, 12, 1), time(8))
    services.add_override(
        rota=rota,
        actor=world.people["gold"],
        user=world.people["dpo"],
        start=start,
        end=start + timedelta(hours=4),
    )
    assert on_at(rota, start + timedelta(hours=1)) == world.people["dpo"].pk
    assert on_at(rota, start + timedelta(hours=5)) != world.people["dpo"].pk


def test_where_two_overrides_overlap_the_later_one_wins(world: World) -> None:
    rota = gold_rota(world)
    start = local_to_utc(date(2026, 12, 1), time(8))
    services.add_override(
        rota=rota,
        actor=world.people["gold"],
        user=world.people["dpo"],
        start=start,
        end=start + timedelta(hours=8),
    )
    services.add_override(
        rota=rota,
        actor=world.people["gold"],
        user=world.people["siro"],
        start=start + timedelta(hours=2),
        end=start + timedelta(hours=3),
    )
    assert on_at(rota, start + timedelta(hours=1)) == world.people["dpo"].pk
    assert on_at(rota, start + timedelta(hours=2, minutes=30)) == world.people["siro"].pk
    assert on_at(rota, start + timedelta(hours=4)) == world.people["dpo"].pk


def test_an_override_must_end_after_it_starts(world: World) -> None:
    start = now()
    with pytest.raises(ValidationError):
        services.add_override(
            rota=gold_rota(world),
            actor=world.people["gold"],
            user=world.people["dpo"],
            start=start,
            end=start,
        )


def test_an_override_cannot_name_someone_from_another_council(world: World) -> None:
    start = now()
    with pytest.raises(ValidationError):
        services.add_override(
            rota=gold_rota(world),
            actor=world.people["gold"],
            user=world.people_b["gold"],
            start=start,
            end=start + timedelta(hours=1),
        )


def test_a_swap_nobody_has_agreed_to_changes_nothing(world: World) -> None:
    swap = gold_staff_swap(world)
    assert on_at(swap.rota, swap.requested_shift_start) == world.people["gold"].pk
    assert on_at(swap.rota, swap.other_shift_start) == world.people["staff"].pk


def test_an_agreed_swap_swaps_the_two_shifts(world: World) -> None:
    swap = gold_staff_swap(world)
    services.agree_swap(swap=swap, actor=world.people["staff"])
    assert on_at(swap.rota, swap.requested_shift_start) == world.people["staff"].pk
    assert on_at(swap.rota, swap.other_shift_start) == world.people["gold"].pk


def test_only_the_other_person_can_agree_to_a_swap(world: World) -> None:
    swap = gold_staff_swap(world)
    for key in ("gold", "bronze", "admin"):
        with pytest.raises(ValidationError):
            services.agree_swap(swap=swap, actor=world.people[key])
    swap.refresh_from_db()
    assert swap.status == SwapStatus.REQUESTED
    assert on_at(swap.rota, swap.requested_shift_start) == world.people["gold"].pk


def test_a_third_person_cannot_agree_to_a_swap_on_the_page(world: World) -> None:
    swap = gold_staff_swap(world)
    response = world.client_for("bronze").post(f"/rotas/swaps/{swap.pk}/agree/")
    assert response.status_code == 403
    swap.refresh_from_db()
    assert swap.status == SwapStatus.REQUESTED


def test_either_person_can_withdraw_a_swap_before_it_is_agreed_but_not_after(world: World) -> None:
    swap = gold_staff_swap(world)
    services.withdraw_swap(swap=swap, actor=world.people["staff"])
    assert Swap.objects.get(pk=swap.pk).status == SwapStatus.WITHDRAWN
    second = gold_staff_swap(world)
    services.agree_swap(swap=second, actor=world.people["staff"])
    with pytest.raises(ValidationError):
        services.withdraw_swap(swap=second, actor=world.people["gold"])


def test_a_swap_must_name_a_shift_the_requester_really_works(world: World) -> None:
    rota = gold_rota(world)
    staff_start = next_shift_start(rota, world.people["staff"].pk)
    with pytest.raises(ValidationError) as raised:
        services.request_swap(
            rota=rota,
            actor=world.people["gold"],
            my_shift_start=staff_start,
            other=world.people["staff"],
            other_shift_start=staff_start,
        )
    assert "my_shift_start" in raised.value.message_dict


def test_the_swap_page_asks_and_the_other_person_agrees_from_my_shifts(world: World) -> None:
    rota = gold_rota(world)
    mine = next_shift_start(rota, world.people["gold"].pk)
    theirs = next_shift_start(rota, world.people["staff"].pk)
    response = world.client_for("gold").post(
        f"/rotas/{rota.pk}/swaps/new/",
        {"mine": mine.isoformat(), "theirs": f"{theirs.isoformat()}|{world.people['staff'].pk}"},
    )
    assert response.status_code == 302
    page = world.client_for("staff").get("/rotas/mine/").content.decode()
    assert "Agree to swap" in page
    swap = Swap.objects.get(rota=rota)
    assert world.client_for("staff").post(f"/rotas/swaps/{swap.pk}/agree/").status_code == 302
    assert on_at(rota, mine) == world.people["staff"].pk


def test_a_rota_with_only_a_day_shift_has_a_gap_every_night(world: World) -> None:
    rota = fresh(gap_rota(world))
    start = local_to_utc(date(2026, 12, 1), time(0))
    found = selectors.gaps_for(rota, start=start, days=2)
    assert [(g.start.astimezone(LONDON).time(), g.end.astimezone(LONDON).time()) for g in found] == [
        (time(0), time(8)),
        (time(20), time(8)),
        (time(20), time(0)),
    ]


def test_a_rota_with_nobody_on_it_is_one_long_gap(world: World) -> None:
    rota = factories.rota(world.a, [], name="Silver")
    start = now()
    found = selectors.gaps_for(fresh(rota), start=start, days=14)
    assert len(found) == 1 and found[0].end - found[0].start == timedelta(days=14)


def test_the_rota_page_highlights_gaps_and_covering_one_closes_it(world: World) -> None:
    rota = gap_rota(world)
    client = world.client_for("gold")
    page = client.get(f"/rotas/{rota.pk}/").content.decode()
    assert "rota-chart__block--gap" in page
    assert "Cover this gap" in page
    first = selectors.gaps_for(fresh(rota))[0]
    link_start = f"{first.start.astimezone(LONDON):%Y-%m-%dT%H:%M}"
    form_page = client.get(f"/rotas/{rota.pk}/overrides/new/?start={link_start}").content.decode()
    assert f"{first.start.astimezone(LONDON):%Y-%m-%d %H:%M}" in form_page
    response = client.post(
        f"/rotas/{rota.pk}/overrides/new/",
        {
            "user": world.people["bronze"].pk,
            "start": f"{first.start.astimezone(LONDON):%Y-%m-%d %H:%M}",
            "end": f"{first.end.astimezone(LONDON):%Y-%m-%d %H:%M}",
            "reason": "Covering nights",
        },
    )
    assert response.status_code == 302
    assert selectors.gaps_for(fresh(rota))[0].start != first.start


def test_the_cover_form_explains_bad_times_instead_of_failing(world: World) -> None:
    rota = gap_rota(world)
    response = world.client_for("gold").post(
        f"/rotas/{rota.pk}/overrides/new/",
        {"user": world.people["bronze"].pk, "start": "tomorrow", "end": "2026-12-01 08:00"},
    )
    assert response.status_code == 200
    assert "start" in form_errors(response)


def test_the_coverage_chart_moves_a_week_at_a_time(world: World) -> None:
    rota = gold_rota(world)
    page = world.client_for("staff").get(f"/rotas/{rota.pk}/?week=2026-10-19").content.decode()
    assert "?week=2026-10-26" in page and "?week=2026-10-12" in page
    assert world.client_for("staff").get(f"/rotas/{rota.pk}/?week=nonsense").status_code == 200


def test_next_on_names_who_is_on_now_and_who_takes_over(world: World) -> None:
    rota = gold_rota(world)
    result = selectors.next_on(world.a, "Gold", now())
    assert result is not None and result.current_person is not None and result.next_person is not None
    assert result.current_person != result.next_person
    assert selectors.next_on(world.b, "Gold") is None
    assert selectors.next_on(world.a, rota.pk) is not None


def test_reading_a_rota_page_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    rota = gold_rota(world)
    for day in range(10):
        start = now() + timedelta(days=day)
        services.add_override(
            rota=rota,
            actor=world.people["gold"],
            user=world.people["dpo"],
            start=start,
            end=start + timedelta(hours=1),
        )
    client = world.client_for("staff")
    client.get(f"/rotas/{rota.pk}/")
    with django_assert_max_num_queries(20):
        client.get(f"/rotas/{rota.pk}/")
