"""The reminder sweep over the dataset's pending reminders plus a due set, against an indexed floor.

The due reminders are added inside a transaction that is rolled back, so the dataset is left as it
was. Rows read come from EXPLAIN ANALYZE (deterministic); timings are the fastest of many runs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from incident_console.lib.time import now
from incident_console.notifications import services
from incident_console.notifications.models import Alert, AlertState, Delivery, DeliveryState

from .data import Dataset, add_reminders

RUNS = 30
FLOOR_ALERTS = (
    "SELECT id FROM notifications_alert WHERE state = 'open' AND next_step_at <= %s "
    "ORDER BY next_step_at, id LIMIT %s"
)
FLOOR_DELIVERIES = (
    "SELECT id FROM notifications_delivery WHERE state = 'pending' AND due_at <= %s "
    "ORDER BY due_at, id LIMIT %s"
)
FLOOR_INTERRUPTED = (
    "SELECT id FROM notifications_delivery WHERE state = 'sending' AND last_attempt_at < %s "
    "ORDER BY last_attempt_at, id LIMIT %s"
)


def rows_read(queryset: QuerySet[Any]) -> int:
    """Rows the plan's scans produced or filtered out, from EXPLAIN (ANALYZE, FORMAT JSON)."""
    sql, params = queryset.query.sql_with_params()
    return rows_read_sql(sql, params)


def rows_read_sql(sql: str, params: Any) -> int:
    """The same for a query written in SQL."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)

    def walk(node: dict[str, Any]) -> int:
        own = 0
        if "Scan" in node.get("Node Type", ""):
            own = int(node.get("Actual Rows", 0)) + int(node.get("Rows Removed by Filter", 0))
        return own + sum(walk(child) for child in node.get("Plans", []))

    return walk(plan[0]["Plan"])


def fastest_ms(query: Callable[[], object]) -> float:
    query()  # warm the caches first
    timings = []
    for _run in range(RUNS):
        began = time.perf_counter()
        query()
        timings.append((time.perf_counter() - began) * 1000)
    return min(timings)


class Rollback(Exception):
    pass


@dataclass
class SweepResult:
    pending: int
    due: int
    alert_rows: int
    delivery_rows: int
    sweep_ms: float
    floor_ms: float
    floor_rows: int

    @property
    def ratio(self) -> float:
        return self.sweep_ms / self.floor_ms


def _pending() -> int:
    return Delivery.objects.filter(state=DeliveryState.PENDING).count()


def run(dataset: Dataset, due_counts: tuple[int, ...] = (100, 1000)) -> list[SweepResult]:
    results: list[SweepResult] = []
    try:
        with transaction.atomic():
            at = now()
            made = 0
            for due in sorted(due_counts):
                add_reminders(
                    kind=f"bench-due-{due}",
                    council_id=dataset.council_ids[0],
                    recipient=dataset.responder.pk,
                    count=due - made,
                    due_at=at - timedelta(minutes=1),
                    at=at,
                )
                made = due
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE notifications_alert; ANALYZE notifications_delivery")
                results.append(_measure(at, due))
            raise Rollback
    except Rollback:
        pass
    return results


def _measure(at: datetime, due: int) -> SweepResult:
    lease = at - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    alerts = (
        Alert.objects.filter(state=AlertState.OPEN, next_step_at__lte=at)
        .order_by("next_step_at", "pk")
        .values_list("pk", flat=True)
    )
    limit = services.SWEEP_BATCH * 4
    waiting = (
        Delivery.objects.filter(state=DeliveryState.PENDING, due_at__lte=at)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )
    interrupted = (
        Delivery.objects.filter(state=DeliveryState.SENDING, last_attempt_at__lt=lease)
        .order_by("last_attempt_at", "pk")
        .values_list("pk", flat=True)
    )

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_ALERTS, [at, services.SWEEP_BATCH])
            cursor.fetchall()
            cursor.execute(FLOOR_DELIVERIES, [at, limit])
            cursor.fetchall()
            cursor.execute(FLOOR_INTERRUPTED, [lease, limit])
            cursor.fetchall()

    return SweepResult(
        pending=_pending() - due,
        due=due,
        alert_rows=rows_read(alerts[: services.SWEEP_BATCH]),
        delivery_rows=rows_read(waiting[:limit]) + rows_read(interrupted[:limit]),
        sweep_ms=fastest_ms(lambda: (list(alerts[: services.SWEEP_BATCH]), services.due_deliveries(at))),
        floor_ms=fastest_ms(floor),
        floor_rows=rows_read_sql(FLOOR_ALERTS, [at, services.SWEEP_BATCH])
        + rows_read_sql(FLOOR_DELIVERIES, [at, limit])
        + rows_read_sql(FLOOR_INTERRUPTED, [lease, limit]),
    )
