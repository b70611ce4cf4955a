"""Rota lookups on the DB-backed year rota: the resolver alone, and with the database read."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from incident_console.accounts.models import Council
from incident_console.lib.time import now
from incident_console.rotas import resolver, selectors
from incident_console.rotas.models import Rota

from .data import Dataset

LOOKUP_BUDGET_MS = 1.0
GAP_BUDGET_MS = 200.0


@dataclass
class RotaResult:
    lookup_ms: float  # who is on, resolver only
    now_next_ms: float  # who is on now and next, resolver only
    now_next_db_ms: float  # the same through the selector: database read and resolver
    now_next_queries: int
    my_shifts_ms: float  # a person's next 28 days through the selector (database and resolver)
    my_shifts_queries: int
    gap_ms: float  # a year-long gap check, resolver only
    shifts_in_year: int


def _per_call(calls: int, action: object) -> float:
    began = time.perf_counter()
    for _ in range(calls):
        action()  # type: ignore[operator]
    return (time.perf_counter() - began) * 1000 / calls


def run(dataset: Dataset, *, lookups: int = 20_000, db_lookups: int = 200) -> RotaResult:
    rota = selectors.rotas_with_everything(Rota.objects.filter(pk=dataset.rota_id)).get()
    spec = selectors.spec_for(rota)
    council = Council.objects.get(pk=dataset.council_ids[0])
    start = now() - timedelta(days=180)
    rng = random.Random(1)  # noqa: S311 (not for security)
    instants = [start + timedelta(seconds=rng.randrange(360 * 24 * 3600)) for _ in range(lookups)]
    it = iter(instants)
    lookup_ms = _per_call(lookups, lambda: resolver.who_is_on(spec, next(it)))
    it = iter(instants)
    now_next_ms = _per_call(2000, lambda: resolver.now_and_next(spec, next(it)))
    it = iter(instants)
    selectors.next_on(council, dataset.rota_id, instants[0])
    with CaptureQueriesContext(connection) as captured:
        selectors.next_on(council, dataset.rota_id, instants[0])
    now_next_db_ms = _per_call(db_lookups, lambda: selectors.next_on(council, dataset.rota_id, next(it)))
    person = dataset.responder
    with CaptureQueriesContext(connection) as mine:
        selectors.my_shifts(person, now(), now() + timedelta(days=28))
    my_shifts_ms = _per_call(50, lambda: selectors.my_shifts(person, now(), now() + timedelta(days=28)))
    year = (start, start + timedelta(days=365))
    gap_ms = _per_call(3, lambda: resolver.gaps(spec, *year))
    return RotaResult(
        lookup_ms=lookup_ms,
        now_next_ms=now_next_ms,
        now_next_db_ms=now_next_db_ms,
        now_next_queries=len(captured.captured_queries),
        my_shifts_ms=my_shifts_ms,
        my_shifts_queries=len(mine.captured_queries),
        gap_ms=gap_ms,
        shifts_in_year=len(resolver.shifts(spec, *year)),
    )
