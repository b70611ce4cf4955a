"""Things the shared harnesses (permission matrix, accessibility, XSS) need inside an incident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from incident_console.command.models import Assignment, Decision, Handover, RhythmEntry, Risk
from incident_console.command.rhythm import occurrences
from incident_console.command.services import add_rhythm_entry, add_risk, assign_role, record_decision
from incident_console.lib.time import now
from tests.conftest import World


def handover_to_gold(w: World) -> Handover:
    """Bronze held Gold; the incident lead (gold) takes it over. The handover waits for gold."""
    existing = Handover.objects.filter(incident=w.incident_a).first()
    if existing is not None:
        return existing
    gold = w.people["gold"]
    assign_role(incident=w.incident_a, actor=gold, user=w.people["bronze"], tier="gold")
    assign_role(incident=w.incident_a, actor=gold, user=gold, tier="gold", situation="Servers isolated.")
    return Handover.objects.get(incident=w.incident_a)


def handover_to_bronze(w: World) -> Handover:
    gold = w.people["gold"]
    assign_role(incident=w.incident_a, actor=gold, user=gold, tier="bronze", cell="it")
    assign_role(incident=w.incident_a, actor=gold, user=w.people["bronze"], tier="bronze", cell="it")
    return Handover.objects.get(incident=w.incident_a, incoming__user=w.people["bronze"])


def a_decision(w: World) -> Decision:
    existing = Decision.objects.filter(incident=w.incident_a).first()
    if existing is not None:
        return existing
    gold = w.people["gold"]
    return record_decision(
        incident=w.incident_a,
        actor=gold,
        decision_maker=gold,
        decided_at=now() - timedelta(minutes=5),
        decision="Take the case management servers off the network",
        rationale="Stop the encryption spreading.",
        options_considered="Keep running with monitoring: rejected, too risky.",
    )


def a_risk(w: World) -> Risk:
    existing = Risk.objects.filter(incident=w.incident_a).first()
    if existing is not None:
        return existing
    return add_risk(
        incident=w.incident_a,
        actor=w.people["gold"],
        title="Carers not paid on Friday",
        likelihood=4,
        impact=4,
    )


def a_rhythm_entry(w: World) -> RhythmEntry:
    existing = RhythmEntry.objects.filter(incident=w.incident_a).first()
    if existing is not None:
        return existing
    return add_rhythm_entry(
        incident=w.incident_a,
        actor=w.people["gold"],
        kind="silver",
        title="Silver meeting",
        times=["08:30"],
        weekdays=[],
    )


@dataclass
class _Daily:
    pk: int | None = None
    title: str = "Silver meeting"
    kind: str = "silver"
    times: tuple[str, ...] = ("08:30",)
    weekdays: tuple[int, ...] = ()


def next_silver_meeting() -> str:
    return occurrences([_Daily()], now(), now() + timedelta(days=1))[0].at.isoformat()


def gold_holder(w: World) -> Assignment:
    """The incident lead holds Gold (no one else's part in the incident changes)."""
    gold = w.people["gold"]
    current = Assignment.objects.filter(
        incident=w.incident_a, tier="gold", cell="", relinquished_at__isnull=True
    )
    return current.first() or assign_role(incident=w.incident_a, actor=gold, user=gold, tier="gold")


def bronze_holds_bronze_it(w: World) -> Assignment:
    """Bronze (a responder, not a lead) holds Bronze IT, so may hand it over themselves."""
    current = Assignment.objects.filter(
        incident=w.incident_a, user=w.people["bronze"], tier="bronze", cell="it", relinquished_at__isnull=True
    ).first()
    return current or assign_role(
        incident=w.incident_a, actor=w.people["gold"], user=w.people["bronze"], tier="bronze", cell="it"
    )


def clear_decisions_on_sqlite() -> None:
    """Transactional tests on SQLite empty tables with DELETE, which the decision log's
    append-only triggers refuse: remove the rows with the triggers lifted (PostgreSQL uses
    TRUNCATE, which the triggers do not see)."""
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    triggers = import_module("incident_console.command.migrations.0002_decision_append_only_triggers")
    with connection.cursor() as cursor:
        for sql in triggers.SQLITE_DROP:
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {Decision._meta.db_table}")  # noqa: S608
        for sql in triggers.SQLITE_CREATE:
            cursor.execute(sql)
        purge_aware = import_module("incident_console.closure.migrations.0002_purge_lifts_append_only")
        for sql in purge_aware.sqlite_statements():
            cursor.execute(sql)
