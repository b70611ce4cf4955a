"""Timing of the resolver: `make bench-rotas` (or `python -m incident_console.rotas.bench`).

Prints milliseconds per who-is-on lookup over a year of a 24/7 rota with 50 people, and for a
year-long gap check. Budgets: 1 ms per lookup, 200 ms per gap check. Exits 1 over budget.
"""

from __future__ import annotations

import random
import sys
import time as clock
from datetime import date, time, timedelta

from .resolver import LONDON, OverrideSpec, PatternSpec, RotaSpec, gaps, local_to_utc, who_is_on

LOOKUP_BUDGET_MS = 1.0
GAP_BUDGET_MS = 200.0


def year_rota() -> RotaSpec:
    anchor = date(2026, 1, 1)
    overrides = tuple(
        OverrideSpec(
            1000 + i,
            local_to_utc(anchor + timedelta(days=7 * i), time(9)),
            local_to_utc(anchor + timedelta(days=7 * i), time(17)),
            i,
        )
        for i in range(52)
    )
    return RotaSpec(
        anchor,
        (PatternSpec("Day", time(8), time(20), anchor), PatternSpec("Night", time(20), time(8), anchor)),
        tuple(range(1, 51)),
        overrides,
        (),
        LONDON,
    )


def bench_lookup(n: int = 20_000) -> float:
    rota = year_rota()
    start = local_to_utc(date(2026, 1, 1), time(0))
    rng = random.Random(1)  # noqa: S311 (not for security)
    instants = [start + timedelta(seconds=rng.randrange(365 * 24 * 3600)) for _ in range(n)]
    began = clock.perf_counter()
    for instant in instants:
        who_is_on(rota, instant)
    return (clock.perf_counter() - began) * 1000 / n


def bench_gaps(repeat: int = 5) -> float:
    rota = year_rota()
    start = local_to_utc(date(2026, 1, 1), time(0))
    began = clock.perf_counter()
    for _ in range(repeat):
        gaps(rota, start, start + timedelta(days=365))
    return (clock.perf_counter() - began) * 1000 / repeat


def main() -> int:
    lookup = bench_lookup()
    gap = bench_gaps()
    print(
        f"who_is_on over a year, 24/7, 50 people: {lookup:.4f} ms per lookup (budget {LOOKUP_BUDGET_MS} ms)"
    )
    print(f"gap check over a year: {gap:.1f} ms (budget {GAP_BUDGET_MS:.0f} ms)")
    return 0 if lookup <= LOOKUP_BUDGET_MS and gap <= GAP_BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
