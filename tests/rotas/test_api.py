"""The rota API: shifts, gaps, overrides, swaps and my shifts; bad input is a 400 naming the field."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from incident_console.lib.time import LONDON
from incident_console.rotas.models import Override, Swap, SwapStatus
from tests import factories
from tests.conftest import World
from tests.rotas.helpers import gap_rota, gold_rota, gold_staff_swap, next_shift_start

pytestmark = pytest.mark.django_db


def test_the_shifts_endpoint_lists_who_works_with_real_durations_across_the_clock_change(
    world: World,
) -> None:
    rota = factories.rota(
        world.a, [world.people["gold"], world.people["staff"]], name="EDT", anchor=date(2026, 10, 1)
    )
    response = world.client_for("staff").get(
        f"/api/v1/rotas/{rota.pk}/shifts/",
        {"start": "2026-10-24T19:00:00+01:00", "end": "2026-10-24T21:00:00+01:00"},
    )
    assert response.status_code == 200
    night = next(s for s in response.json() if s["start"].startswith("2026-10-24T20:00"))
    start, end = datetime.fromisoformat(night["start"]), datetime.fromisoformat(night["end"])
    assert end - start == timedelta(hours=13)
    assert end.astimezone(LONDON).hour == 8
    assert night["person"] in {"a-gold", "a-staff"} and night["kind"] == "pattern"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "start"),
        ({"start": "yesterday", "end": "2026-10-25T00:00:00Z"}, "start"),
        ({"start": "2026-10-25T00:00:00Z", "end": "2026-10-24T00:00:00Z"}, "end"),
        ({"start": "2026-01-01T00:00:00Z", "end": "2028-01-01T00:00:00Z"}, "end"),
    ],
)
def test_bad_shift_ranges_are_a_400_naming_the_field(world: World, query: dict[str, str], field: str) -> None:
    response = world.client_for("staff").get(f"/api/v1/rotas/{gold_rota(world).pk}/shifts/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_gaps_endpoint_lists_gaps_and_refuses_silly_day_counts(world: World) -> None:
    client = world.client_for("staff")
    rota = gap_rota(world)
    found = client.get(f"/api/v1/rotas/{rota.pk}/gaps/", {"days": 3}).json()
    assert len(found) >= 3
    assert client.get(f"/api/v1/rotas/{rota.pk}/gaps/", {"days": "lots"}).status_code == 400
    assert client.get(f"/api/v1/rotas/{rota.pk}/gaps/", {"days": 9999}).status_code == 400


def test_a_rota_owner_adds_cover_through_the_api_and_staff_cannot(world: World) -> None:
    rota = gold_rota(world)
    body = {
        "user": "a-dpo",
        "start": "2026-12-01T08:00:00Z",
        "end": "2026-12-01T20:00:00Z",
        "reason": "Leave",
    }
    url = f"/api/v1/rotas/{rota.pk}/overrides/"
    assert (
        world.client_for("staff").post(url, json.dumps(body), content_type="application/json").status_code
        == 403
    )
    response = world.client_for("gold").post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert Override.objects.get(rota=rota).user == world.people["dpo"]
    bad = world.client_for("gold").post(
        url, json.dumps({**body, "end": "2026-12-01T07:00:00Z"}), content_type="application/json"
    )
    assert bad.status_code == 400 and "end" in bad.json()


def test_swaps_through_the_api_need_the_other_persons_agreement(world: World) -> None:
    rota = gold_rota(world)
    body = {
        "requested_shift_start": next_shift_start(rota, world.people["gold"].pk).isoformat(),
        "other": "a-staff",
        "other_shift_start": next_shift_start(rota, world.people["staff"].pk).isoformat(),
    }
    response = world.client_for("gold").post(
        f"/api/v1/rotas/{rota.pk}/swaps/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    swap_id = response.json()["id"]
    assert world.client_for("gold").post(f"/api/v1/swaps/{swap_id}/agree/").status_code == 400
    assert world.client_for("bronze").post(f"/api/v1/swaps/{swap_id}/agree/").status_code == 404
    assert world.client_for("staff").post(f"/api/v1/swaps/{swap_id}/agree/").status_code == 200
    assert Swap.objects.get(pk=swap_id).status == SwapStatus.AGREED


def test_my_shifts_lists_the_persons_shifts_with_handovers(world: World) -> None:
    gold_rota(world)
    rows = world.client_for("staff").get("/api/v1/me/shifts/", {"days": 7}).json()
    assert rows and {r["person"] for r in rows} == {"a-staff"}
    assert all(r["takes_over_from"] and r["hands_over_to"] for r in rows)
    assert world.client_for("staff").get("/api/v1/me/shifts/", {"days": 0}).status_code == 400


def test_partners_see_no_rotas_in_the_api_and_other_councils_get_404(world: World) -> None:
    rota = gold_rota(world)
    assert world.client_for("partner").get("/api/v1/rotas/").json()["results"] == []
    assert world.client_for("partner").get(f"/api/v1/rotas/{rota.pk}/").status_code == 403
    assert world.client_for("gold_b").get(f"/api/v1/rotas/{rota.pk}/").status_code == 404
    assert world.client_for("gold_b").get("/api/v1/rotas/").json()["results"] == []
    swap = gold_staff_swap(world)
    assert world.client_for("staff_b").post(f"/api/v1/swaps/{swap.pk}/agree/").status_code == 404
