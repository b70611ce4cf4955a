"""Measure the reminder sweep's queries with many pending and a fixed number of due reminders.

    DATABASE_URL=postgres://… python manage.py bench_sweep [--due 1000] [--pending 10000 100000]

The rows are made inside a transaction that is rolled back at the end, so the database is left
as it was. For each pending count it prints the rows PostgreSQL read to find the due alerts and
deliveries (from EXPLAIN ANALYZE: deterministic) and the fastest of 30 timings (informative; it
moves with whatever else the machine is doing). The sweep must read the due rows only, whatever
is waiting: partial indexes on the due time of waiting rows. Exits 1 if a query reads more than
the due count allows, or the timing ratio is over its budget.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import QuerySet

from incident_console.accounts.models import Council, User
from incident_console.lib.time import now
from incident_console.notifications import services
from incident_console.notifications.models import Alert, AlertState, Delivery, DeliveryState, Notification

TIMING_RATIO_BUDGET = 3.0
RUNS = 30


class Rollback(Exception):
    pass


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


class Command(BaseCommand):
    help = "Measure the reminder sweep's queries as the number of pending reminders grows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--due", type=int, default=1000)
        parser.add_argument("--pending", type=int, nargs="+", default=[10_000, 100_000])

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_sweep needs PostgreSQL: set DATABASE_URL")
        due: int = options["due"]
        results: list[dict[str, float]] = []
        try:
            with transaction.atomic():
                self._run(due, sorted(options["pending"]), results)
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(
            f"{'pending':>9} {'due':>6} {'alert rows':>11} {'delivery rows':>14} {'ms':>7} {'ratio':>6}"
        )
        base_ms = results[0]["ms"]
        failures = []
        for row in results:
            ratio = row["ms"] / base_ms
            self.stdout.write(
                f"{int(row['pending']):>9} {due:>6} {int(row['alert_rows']):>11} "
                f"{int(row['delivery_rows']):>14} {row['ms']:>7.2f} {ratio:>6.2f}"
            )
            if row["alert_rows"] > due * 1.1 or row["delivery_rows"] > due * 1.1:
                failures.append(f"{int(row['pending'])} pending: the sweep read more rows than are due")
            if ratio > TIMING_RATIO_BUDGET:
                failures.append(f"{int(row['pending'])} pending: {ratio:.2f} times the smallest count's time")
        for failure in failures:
            self.stdout.write(f"OVER BUDGET: {failure}")
        if failures:
            raise SystemExit(1)
        self.stdout.write("The sweep reads only the due rows, however many are pending.")

    def _run(self, due: int, pending_counts: list[int], results: list[dict[str, float]]) -> None:
        tag = secrets.token_hex(3)
        council = Council.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
        person = User.objects.create(username=f"bench-{tag}")
        at = now()
        self._add(council, person, count=due, when=at - timedelta(minutes=1), tag="due")
        made = 0
        for pending in pending_counts:
            self._add(council, person, count=pending - made, when=at + timedelta(days=30), tag=f"p{pending}")
            made = pending
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE notifications_alert; ANALYZE notifications_delivery")
            lease = at - timedelta(seconds=120)
            results.append(
                {
                    "pending": pending,
                    "alert_rows": rows_read(self._due_alerts(at)),
                    "delivery_rows": rows_read(
                        Delivery.objects.filter(state=DeliveryState.PENDING, due_at__lte=at)
                        .order_by("due_at", "pk")
                        .values_list("pk", flat=True)
                    )
                    + rows_read(
                        Delivery.objects.filter(state=DeliveryState.SENDING, last_attempt_at__lt=lease)
                        .order_by("last_attempt_at", "pk")
                        .values_list("pk", flat=True)
                    ),
                    "ms": fastest_ms(lambda: list(self._due_alerts(at)[: services.SWEEP_BATCH]))
                    + fastest_ms(lambda: services.due_deliveries(at)),
                }
            )

    @staticmethod
    def _due_alerts(at: datetime) -> QuerySet[Alert, int]:
        return (
            Alert.objects.filter(state=AlertState.OPEN, next_step_at__lte=at)
            .order_by("next_step_at", "pk")
            .values_list("pk", flat=True)
        )

    @staticmethod
    def _add(council: Council, person: User, *, count: int, when: datetime, tag: str) -> None:
        batch = 5000
        for start in range(0, count, batch):
            size = min(batch, count - start)
            alerts = Alert.objects.bulk_create(
                Alert(
                    council=council,
                    kind="bench",
                    source_key=f"{tag}:{start + n}",
                    occurrence="1",
                    subject="Bench",
                    link="/",
                    created_at=when,
                    next_step_at=when,
                )
                for n in range(size)
            )
            notifications = Notification.objects.bulk_create(
                Notification(alert=alert, step=0, reason="bench", recipient=person, created_at=when)
                for alert in alerts
            )
            Delivery.objects.bulk_create(
                Delivery(
                    notification=notification,
                    channel="sms",
                    address="07700900123",
                    due_at=when,
                    reference=secrets.token_hex(16),
                )
                for notification in notifications
            )
