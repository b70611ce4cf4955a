"""Hours per person and period, and the CSV export (which must not run formulas)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from incident_console.rotas.reports import hours_report, safe_cell, to_csv
from incident_console.rotas.resolver import Shift, Source, local_to_utc
from tests import factories
from tests.conftest import World


def test_hours_are_split_into_worked_standby_nights_and_weekends() -> None:
    saturday_night = Shift(
        local_to_utc(date(2026, 6, 6), datetime.min.time().replace(hour=20)),
        local_to_utc(date(2026, 6, 7), datetime.min.time().replace(hour=8)),
        1,
        Source.PATTERN,
    )
    monday_day = Shift(
        datetime(2026, 6, 8, 7, tzinfo=UTC), datetime(2026, 6, 8, 19, tzinfo=UTC), 1, Source.PATTERN
    )
    start, end = datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    report = hours_report([(saturday_night, False), (monday_day, True)], {1: "Jordan"}, start, end)
    (row,) = report.rows
    assert (row.worked_hours, row.standby_hours, row.nights, row.shifts) == (12, 12, 1, 2)
    assert row.weekend_hours == 12


def test_shifts_are_cut_at_the_edges_of_the_period() -> None:
    shift = Shift(
        datetime(2026, 5, 31, 20, tzinfo=UTC), datetime(2026, 6, 1, 8, tzinfo=UTC), 1, Source.PATTERN
    )
    report = hours_report(
        [(shift, False)], {1: "Jordan"}, datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC)
    )
    assert report.rows[0].worked_hours == 8


def test_cells_that_would_start_a_formula_are_neutralised() -> None:
    for text in ("=SUM(A1)", "+1", "-1", "@cmd"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Gold") == "Gold"


def test_the_csv_lists_each_person_and_escapes_formulas() -> None:
    shift = Shift(
        datetime(2026, 6, 1, 8, tzinfo=UTC), datetime(2026, 6, 1, 20, tzinfo=UTC), 1, Source.PATTERN
    )
    report = hours_report(
        [(shift, False)],
        {1: '=HYPERLINK("x")'},
        datetime(2026, 6, 1, tzinfo=UTC),
        datetime(2026, 6, 2, tzinfo=UTC),
    )
    rows = list(csv.reader(io.StringIO(to_csv(report, "Gold"))))
    assert rows[0][0] == "Rota"
    assert rows[1][:4] == ["Gold", '\'=HYPERLINK("x")', "1", "12.00"]


@pytest.mark.django_db
def test_the_hours_page_downloads_a_csv_for_the_period(world: World) -> None:
    rota = factories.rota(world.a, [world.people["staff"]], name="Solo", anchor=date(2026, 6, 1))
    response = world.client_for("gold").get(
        f"/rotas/{rota.pk}/hours/?start=2026-06-01&end=2026-06-08&format=csv"
    )
    assert response.status_code == 403  # gold does not own this rota
    response = world.client_for("admin").get(
        f"/rotas/{rota.pk}/hours/?start=2026-06-02&end=2026-06-09&format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == world.people["staff"].display_name
    assert float(rows[1][3]) == 7 * 24


@pytest.mark.django_db
def test_a_bad_period_is_explained_not_a_crash(world: World) -> None:
    rota = factories.rota(world.a, [world.people["staff"]], name="Solo", owner=world.people["gold"])
    response = world.client_for("gold").get(f"/rotas/{rota.pk}/hours/?start=2026-06-08&end=2026-06-01")
    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()
