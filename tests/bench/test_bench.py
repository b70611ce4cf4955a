"""The bench harness at a tiny scale: the generator, the page timings and the report writer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection

from incident_console.bench import data, pages, report, throughput
from incident_console.bench.data import Scale
from incident_console.guidance.models import ChecklistItem
from incident_console.incidents.models import Incident
from incident_console.notifications.models import Delivery, DeliveryState
from incident_console.rotas.models import RotaMember
from incident_console.timeline.models import TimelineEvent
from incident_console.timeline.selectors import verify_all

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench writes with PostgreSQL SQL"),
]

LARGER = Scale("t-larger", 20, 200, 400, 30, 12, 60, 3)
SMALLER = Scale("t-smaller", 10, 100, 200, 15, 6, 30, 2)


def test_generator_makes_the_rows_asked_for_with_a_timeline_chain_that_verifies() -> None:
    made = data.ensure(LARGER)
    incidents = Incident.objects.filter(council_id__in=made.council_ids)
    assert incidents.count() == 20
    assert incidents.exclude(status="closed").count() == 3 * 3
    assert ChecklistItem.objects.filter(checklist__incident__in=incidents).count() == 200
    assert ChecklistItem.objects.filter(checklist__incident_id=made.big_incident_id).count() == 12
    assert TimelineEvent.objects.filter(incident__in=incidents).count() == 400
    assert TimelineEvent.objects.filter(incident_id=made.big_incident_id).count() == 60
    pending = Delivery.objects.filter(state=DeliveryState.PENDING, notification__alert__kind="bench-t-larger")
    assert pending.count() == 30
    assert RotaMember.objects.filter(rota_id=made.rota_id).count() == data.ROTA_PEOPLE
    assert verify_all(incidents.values_list("pk", flat=True)) == []


def test_a_second_run_reuses_the_dataset_instead_of_making_it_again() -> None:
    first = data.ensure(SMALLER)
    again = data.ensure(SMALLER)
    assert (first.reused, again.reused) == (False, True)
    assert again.big_incident_id == first.big_incident_id
    assert Incident.objects.filter(council_id__in=again.council_ids).count() == 10


def test_a_scale_made_with_another_specification_asks_for_a_fresh_database() -> None:
    data.ensure(SMALLER)
    changed = Scale(SMALLER.name, 12, 100, 200, 15, 6, 30, 2)
    with pytest.raises(data.DatasetMismatch):
        data.ensure(changed)


def test_pages_and_api_lists_make_as_many_queries_at_either_scale() -> None:
    results = pages.run(data.ensure(LARGER), data.ensure(SMALLER), requests=2, warm_up=0)
    assert [r.name for r in results] == [e.name for e in pages.ENDPOINTS]
    for result in results:
        assert result.page.queries == result.queries_small, result.name
        assert result.floor.p95 > 0


def test_the_report_writes_json_rows_and_replaces_only_the_figures_in_the_markdown(tmp_path: Path) -> None:
    rows = [
        report.Row("pages", "dashboard /", "p95 9 ms", {"p95_ms": 9.0}, 4.0, 2.25, "p95 <= 3x floor", True),
        report.Row("pdf", "sitrep PDF", "3 pages", {"pages": 3}, 100.0, 1.5, "<= 1.3x", False),
    ]
    meta = {"measured_at": "2026-12-07 15:00 UTC", "command": "make bench", "machine": "2 cores"}
    json_path, md_path = tmp_path / "b.json", tmp_path / "b.md"
    md_path.write_text(f"# Benchmarks\n\nWhy.\n\n{report.START}\nold figures\n{report.END}\n\nPlan.\n")
    report.write_json(json_path, rows, meta)
    report.update_markdown(md_path, rows, meta)
    report.update_markdown(md_path, rows, meta)
    written = json.loads(json_path.read_text())
    assert [(r["name"], r["met"]) for r in written["rows"]] == [("dashboard /", True), ("sitrep PDF", False)]
    assert written["all_met"] is False
    text = md_path.read_text()
    assert "old figures" not in text
    assert text.count(report.START) == 1
    assert text.startswith("# Benchmarks\n\nWhy.") and text.endswith("Plan.\n")
    assert "| pdf | sitrep PDF | 3 pages | 100 | 1.50 | <= 1.3x | NO |" in text


WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8123/api/v1/incidents/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    90.12ms   20.01ms 300.00ms   80.00%
    Req/Sec    44.00     10.00    60.00     70.00%
  Latency Distribution
     50%   85.50ms
     75%   99.00ms
     90%  120.00ms
     99%    1.20s
  880 requests in 10.01s, 2.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:     87.91
Transfer/sec:    204.00KB
"""


def test_wrk_output_is_read_into_rate_latency_and_errors() -> None:
    result = throughput.parse("incidents", WRK_OUTPUT)
    assert (result.requests_per_s, result.p50_ms, result.p99_ms) == (87.91, 85.5, 1200.0)
    assert (result.requests, result.non_2xx, result.socket_errors, result.errors) == (880, 4, 3, 7)
    assert result.timeouts == 1
