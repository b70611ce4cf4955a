"""One bench run: the datasets, then each part, as rows for the report."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import data, pages, pdfs, report, rotas, sweep, throughput
from .report import Row

PAGE_RATIO = 3.0
PDF_RATIO = 1.3
PARTS = ("pages", "pdf", "sweep", "rotas", "wrk")


@dataclass
class Options:
    requests: int = 100
    warm_up: int = 5
    pdf_repeats: int = 5
    wrk_duration: int = 10
    parts: tuple[str, ...] = PARTS
    gunicorn_log: Path | None = None


def generation_rows(*datasets: data.Dataset) -> list[Row]:
    rows = []
    for d in datasets:
        s = d.scale
        rows.append(
            Row(
                "data",
                f"{s.name} scale",
                f"{s.incidents:,} incidents, {s.items:,} items, {s.timeline:,} timeline rows, "
                f"{s.reminders:,} reminders: {'reused, ' if d.reused else ''}made in {d.seconds:.1f} s",
                values={"seconds": round(d.seconds, 2), "reused": d.reused, **s.spec},
            )
        )
    return rows


def page_rows(full: data.Dataset, small: data.Dataset, options: Options) -> list[Row]:
    rows = []
    for r in pages.run(full, small, requests=options.requests, warm_up=options.warm_up):
        same = r.page.queries == r.queries_small
        rows.append(
            Row(
                "pages",
                r.name,
                f"p50 {r.page.p50:.1f} ms, p95 {r.page.p95:.1f} ms ({small.scale.name}: p95 "
                f"{r.small.p95:.1f} ms); queries {r.page.queries} / {r.queries_small} ({small.scale.name})",
                values={
                    "p50_ms": round(r.page.p50, 2),
                    "p95_ms": round(r.page.p95, 2),
                    "queries": r.page.queries,
                    "queries_small_scale": r.queries_small,
                    "small_scale_p50_ms": round(r.small.p50, 2),
                    "small_scale_p95_ms": round(r.small.p95, 2),
                    "floor_p50_ms": round(r.floor.p50, 2),
                    "floor_p95_ms": round(r.floor.p95, 2),
                    "floor_queries": r.floor.queries,
                    "p50_ratio": round(r.page.p50 / r.floor.p50, 2),
                },
                floor=r.floor.p95,
                ratio=r.ratio,
                target=f"p95 ≤ {PAGE_RATIO:g}x floor; queries equal",
                met=r.ratio <= PAGE_RATIO and same,
            )
        )
    return rows


def pdf_rows(full: data.Dataset, options: Options) -> list[Row]:
    rows = []
    for p in pdfs.run(full, repeats=options.pdf_repeats):
        r = p.result
        rows.append(
            Row(
                "pdf",
                p.name,
                f"{r.pages} pages: machinery {r.machinery_ms:,.0f} ms (template {r.html_ms:.0f} ms); "
                f"snapshot {p.snapshot_ms:.0f} ms",
                values={
                    "pages": r.pages,
                    "machinery_ms": round(r.machinery_ms, 1),
                    "template_ms": round(r.html_ms, 1),
                    "bare_ms": round(r.bare_ms, 1),
                    "snapshot_ms": round(p.snapshot_ms, 1),
                },
                floor=r.bare_ms,
                ratio=r.ratio,
                target=f"≤ {PDF_RATIO:g}x bare WeasyPrint",
                met=r.ratio <= PDF_RATIO,
            )
        )
    return rows


def sweep_rows(full: data.Dataset) -> list[Row]:
    """The target is on rows read (deterministic): the sweep reads what the indexed floor reads, and
    that is the due rows, whatever is pending. Time against the floor is reported alongside."""
    rows = []
    for r in sweep.run(full):
        read = r.alert_rows + r.delivery_rows
        met = read <= r.floor_rows and r.alert_rows <= r.due * 1.1 and r.delivery_rows <= r.due * 1.1
        rows.append(
            Row(
                "sweep",
                f"{r.due:,} due, {r.pending:,} pending",
                f"rows read: alerts {r.alert_rows:,}, deliveries {r.delivery_rows:,} "
                f"(floor {r.floor_rows:,}); "
                f"{r.sweep_ms:.2f} ms against {r.floor_ms:.2f} ms",
                values={
                    "pending": r.pending,
                    "due": r.due,
                    "alert_rows_read": r.alert_rows,
                    "delivery_rows_read": r.delivery_rows,
                    "floor_rows_read": r.floor_rows,
                    "sweep_ms": round(r.sweep_ms, 3),
                    "floor_ms": round(r.floor_ms, 3),
                },
                floor=r.floor_rows,
                ratio=read / r.floor_rows if r.floor_rows else None,
                target="rows read ≤ floor's, ≤ 1.1x due",
                met=met,
            )
        )
    return rows


def rota_rows(full: data.Dataset) -> list[Row]:
    r = rotas.run(full)
    lookup = rotas.LOOKUP_BUDGET_MS
    return [
        Row(
            "rotas",
            "who is on (resolver only)",
            f"{r.lookup_ms:.4f} ms per lookup",
            values={"ms": r.lookup_ms},
            target=f"≤ {lookup:g} ms",
            met=r.lookup_ms <= lookup,
        ),
        Row(
            "rotas",
            "on now and next (resolver only)",
            f"{r.now_next_ms:.4f} ms per lookup",
            values={"ms": r.now_next_ms},
            target=f"≤ {lookup:g} ms",
            met=r.now_next_ms <= lookup,
        ),
        Row(
            "rotas",
            "on now and next (database read + resolver)",
            f"{r.now_next_db_ms:.2f} ms per lookup, {r.now_next_queries} queries",
            values={"ms": r.now_next_db_ms, "queries": r.now_next_queries},
        ),
        Row(
            "rotas",
            "my shifts, 28 days (database read + resolver)",
            f"{r.my_shifts_ms:.2f} ms, {r.my_shifts_queries} queries",
            values={"ms": r.my_shifts_ms, "queries": r.my_shifts_queries},
        ),
        Row(
            "rotas",
            "gap check over a year (resolver only)",
            f"{r.gap_ms:.1f} ms over {r.shifts_in_year:,} shifts",
            values={"ms": r.gap_ms, "shifts": r.shifts_in_year},
            target=f"≤ {rotas.GAP_BUDGET_MS:g} ms",
            met=r.gap_ms <= rotas.GAP_BUDGET_MS,
        ),
    ]


def wrk_rows(full: data.Dataset, options: Options) -> list[Row]:
    return [
        Row(
            "wrk",
            r.name,
            f"{r.requests_per_s:,.1f} req/s, p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms, "
            f"{r.requests:,} requests, {r.non_2xx} non-2xx, {r.socket_errors} socket errors "
            f"({r.timeouts} over {throughput.TIMEOUT_S} s)",
            values={
                "requests_per_s": r.requests_per_s,
                "p50_ms": r.p50_ms,
                "p99_ms": r.p99_ms,
                "requests": r.requests,
                "non_2xx": r.non_2xx,
                "socket_errors": r.socket_errors,
                "timeouts": r.timeouts,
            },
            target="0 errors",
            met=r.errors == 0,
        )
        for r in throughput.run(full, duration=options.wrk_duration, log=options.gunicorn_log)
    ]


def run(
    full: data.Dataset,
    small: data.Dataset,
    options: Options,
    progress: Callable[[str], None] = lambda _m: None,
) -> list[Row]:
    rows = generation_rows(full, small)
    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("pages", lambda: page_rows(full, small, options)),
        ("pdf", lambda: pdf_rows(full, options)),
        ("sweep", lambda: sweep_rows(full)),
        ("rotas", lambda: rota_rows(full)),
        ("wrk", lambda: wrk_rows(full, options)),
    ]
    for name, step in steps:
        if name in options.parts:
            began = time.perf_counter()
            rows.extend(step())
            progress(f"{name}: {time.perf_counter() - began:.0f} s")
    return rows


__all__ = ["Options", "Row", "report", "run"]
