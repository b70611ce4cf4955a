"""Nothing a person can type into a rota page or the rota API gives a server error."""

from __future__ import annotations

import json

import pytest

from tests.conftest import World, form_errors
from tests.rotas.helpers import gold_rota

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-02-30", "<script>"])
def test_odd_weeks_on_the_rota_page_show_this_week(world: World, week: str) -> None:
    assert world.client_for("staff").get(f"/rotas/{gold_rota(world).pk}/", {"week": week}).status_code == 200


@pytest.mark.parametrize("start", ["9999-12-31T23:00", "0001-01-01T00:00", "2026-13-01T00:00", "soon"])
def test_odd_times_in_a_cover_this_gap_link_leave_the_form_empty(world: World, start: str) -> None:
    response = world.client_for("gold").get(f"/rotas/{gold_rota(world).pk}/overrides/new/", {"start": start})
    assert response.status_code == 200


@pytest.mark.parametrize("start", ["9999-12-31 23:59", "0001-01-01 00:00", "2026-03-29 25:30"])
def test_impossible_cover_times_are_form_errors(world: World, start: str) -> None:
    response = world.client_for("gold").post(
        f"/rotas/{gold_rota(world).pk}/overrides/new/",
        {"user": world.people["bronze"].pk, "start": start, "end": "2026-12-01 08:00"},
    )
    assert response.status_code == 200
    assert "start" in form_errors(response)


def test_a_cover_time_in_the_missing_hour_means_when_the_clocks_went_forward(world: World) -> None:
    from incident_console.rotas.models import Override

    response = world.client_for("gold").post(
        f"/rotas/{gold_rota(world).pk}/overrides/new/",
        {"user": world.people["bronze"].pk, "start": "2026-03-29 01:30", "end": "2026-03-29 09:00"},
    )
    assert response.status_code == 302
    assert Override.objects.get().start.isoformat() == "2026-03-29T01:00:00+00:00"


@pytest.mark.parametrize(("start", "end"), [("0001-01-01", "2026-01-01"), ("2026-01-01", "9999-12-31")])
def test_hours_for_impossible_periods_are_form_errors(world: World, start: str, end: str) -> None:
    response = world.client_for("gold").get(
        f"/rotas/{gold_rota(world).pk}/hours/", {"start": start, "end": end}
    )
    assert response.status_code == 200
    assert form_errors(response)


@pytest.mark.parametrize("start", ["1900-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "2026-02-30T00:00:00Z"])
def test_the_api_refuses_impossible_times_with_400(world: World, start: str) -> None:
    rota = gold_rota(world)
    client = world.client_for("gold")
    shifts = client.get(f"/api/v1/rotas/{rota.pk}/shifts/", {"start": start, "end": "2026-01-02T00:00:00Z"})
    assert shifts.status_code == 400 and "start" in shifts.json()
    swap = client.post(
        f"/api/v1/rotas/{rota.pk}/swaps/",
        json.dumps({"requested_shift_start": start, "other": "a-staff", "other_shift_start": start}),
        content_type="application/json",
    )
    assert swap.status_code == 400 and "requested_shift_start" in swap.json()
    cover = client.post(
        f"/api/v1/rotas/{rota.pk}/overrides/",
        json.dumps({"user": "a-staff", "start": start, "end": "2026-01-02T00:00:00Z"}),
        content_type="application/json",
    )
    assert cover.status_code == 400 and "start" in cover.json()
