"""The council audit log: account and access events, one row per council the person belongs to."""

from __future__ import annotations

from typing import Any

from incident_console.lib.time import now

from .models import Council, Membership, User
from .recovery_models import AuditEvent


def record(
    *,
    council: Council,
    actor: User | None,
    kind: str,
    summary: str,
    subject: User | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        council=council,
        occurred_at=now(),
        actor=actor,
        subject=subject,
        kind=kind,
        summary=summary[:500],
        data=data or {},
    )


def record_for_person(
    user: User, *, actor: User | None, kind: str, summary: str, data: dict[str, Any]
) -> None:
    """Record an event about a person in the log of every council they belong to."""
    council_ids = set(Membership.objects.filter(user=user).values_list("council_id", flat=True))
    stamp = now()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                council_id=cid,
                occurred_at=stamp,
                actor=actor,
                subject=user,
                kind=kind,
                summary=summary[:500],
                data=data,
            )
            for cid in sorted(council_ids)
        ]
    )
