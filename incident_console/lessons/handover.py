"""What the response hands to recovery: a snapshot built from a list of sections.

Each section is ``(key, title, builder)``; a builder takes the incident and returns rows, each a
dict of short keys to text or numbers (labels for the keys are in ``COLUMN_LABELS``). A new
section is one more line in ``SECTIONS``. Only what partners could not see is excluded by the
builders themselves: no vulnerable-family contacts, no service-user data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from incident_console.incidents.models import Incident
from incident_console.lib.time import london

Row = dict[str, Any]
Builder = Callable[[Incident], list[Row]]


def _when(value: datetime | None) -> str:
    return f"{london(value):%d/%m/%Y %H:%M}" if value else ""


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _person(user: Any) -> str:
    return str(user.display_name) if user is not None else ""


def open_risks(incident: Incident) -> list[Row]:
    from incident_console.command.models import RiskStatus
    from incident_console.command.selectors import risks

    return [
        {
            "risk": r.title,
            "owner": _person(r.owner),
            "score": r.score,
            "mitigations": r.mitigations,
            "review_on": _day(r.review_on),
        }
        for r in risks(incident).filter(status=RiskStatus.OPEN)
    ]


def open_actions(incident: Incident) -> list[Row]:
    from incident_console.guidance.models import ChecklistItem, ItemStatus

    items = (
        ChecklistItem.objects.filter(checklist__incident=incident)
        .exclude(status__in=[ItemStatus.DONE, ItemStatus.NOT_APPLICABLE])
        .select_related("owner", "checklist")
        .order_by("checklist_id", "position", "pk")
    )
    return [
        {
            "action": item.title,
            "status": str(item.get_status_display()),
            "owner": _person(item.owner),
            "due": _when(item.due_at),
        }
        for item in items
    ]


def decisions_for_review(incident: Incident) -> list[Row]:
    from incident_console.command.models import Decision

    decisions = (
        Decision.objects.filter(incident=incident, review_by__isnull=False, corrections__isnull=True)
        .select_related("decision_maker")
        .order_by("review_by", "sequence")
    )
    return [
        {
            "number": d.sequence,
            "decision": d.decision,
            "decision_maker": _person(d.decision_maker),
            "review_by": _when(d.review_by),
        }
        for d in decisions
    ]


def key_contacts(incident: Incident) -> list[Row]:
    """SPOCs both ways from the general register (never vulnerable families): the council's own
    and the named contacts at partners, council-wide or added for this incident."""
    from incident_console.contacts.selectors import contacts_of
    from incident_console.lib.choices import ContactCategory

    spocs = (
        contacts_of([incident.council_id])
        .filter(Q(incident__isnull=True) | Q(incident=incident), is_spoc=True)
        .order_by("-category", "organisation", "name", "pk")
    )
    ours, theirs = str(_("Our SPOC")), str(_("Partner SPOC"))
    return [
        {
            "spoc": ours if c.category == ContactCategory.STAFF else theirs,
            "organisation": c.organisation,
            "name": c.name,
            "role": c.role,
            "phone": c.phone,
            "out_of_band_phone": c.out_of_band_phone,
            "email": c.email,
        }
        for c in spocs
    ]


def systems_not_restored(incident: Incident) -> list[Row]:
    from incident_console.recovery.models import SystemState
    from incident_console.recovery.selectors import systems_for

    return [
        {
            "system": s.name,
            "state": str(s.get_state_display()),
            "restore_order": s.restore_order or "",
            "owner": _person(s.owner),
            "expected_on": _day(s.expected_on),
        }
        for s in systems_for(incident).exclude(state=SystemState.VERIFIED)
    ]


def open_lessons(incident: Incident) -> list[Row]:
    from .models import OPEN_LESSON_STATUSES
    from .selectors import lessons_for

    return [
        {
            "learned": lesson.learned,
            "action": lesson.action,
            "owner": _person(lesson.owner),
            "action_due": _day(lesson.action_due),
            "status": str(lesson.get_status_display()),
        }
        for lesson in lessons_for(incident)
        .filter(status__in=OPEN_LESSON_STATUSES)
        .order_by("raised_at", "pk")
    ]


def unreconciled_records(incident: Incident) -> list[Row]:
    """Manual records still to be entered or verified, counted by service and state: numbers
    only, since the handover is read by people who may not see case records."""
    from incident_console.continuity.models import ManualService, RecordState
    from incident_console.continuity.selectors import counts

    found = counts(incident)
    return [
        {
            "service": str(label),
            "pending": found.get(value, RecordState.PENDING),
            "entered": found.get(value, RecordState.ENTERED),
        }
        for value, label in ManualService.choices
        if found.get(value, RecordState.PENDING) or found.get(value, RecordState.ENTERED)
    ]


SECTIONS: tuple[tuple[str, Promise, Builder], ...] = (
    ("risks", _("Open risks"), open_risks),
    ("actions", _("Open actions"), open_actions),
    ("decisions", _("Decisions due for review"), decisions_for_review),
    ("contacts", _("Key contacts and single points of contact"), key_contacts),
    ("systems", _("Systems not yet restored and verified"), systems_not_restored),
    ("lessons", _("Open lessons"), open_lessons),
    ("manual_records", _("Manual records not yet reconciled"), unreconciled_records),
)

COLUMN_LABELS: dict[str, Promise] = {
    "risk": _("Risk"),
    "owner": _("Owner"),
    "score": _("Score"),
    "mitigations": _("Mitigations"),
    "review_on": _("Review date"),
    "action": _("Action"),
    "status": _("Status"),
    "due": _("Due"),
    "number": _("Number"),
    "decision": _("Decision"),
    "decision_maker": _("Decision maker"),
    "review_by": _("Review by"),
    "spoc": _("Which way"),
    "organisation": _("Organisation"),
    "name": _("Name"),
    "role": _("Role"),
    "phone": _("Phone"),
    "out_of_band_phone": _("Out-of-band phone"),
    "email": _("Email"),
    "system": _("System"),
    "state": _("State"),
    "restore_order": _("Restore order"),
    "expected_on": _("Expected back on"),
    "learned": _("What we learned"),
    "action_due": _("Action due"),
    "service": _("Service"),
    "pending": _("Waiting to be entered"),
    "entered": _("Entered, waiting to be verified"),
}


def column_label(key: str) -> str:
    label = COLUMN_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()


def build_snapshot(incident: Incident) -> dict[str, Any]:
    return {
        "incident": {"id": incident.pk, "reference": incident.reference, "title": incident.title},
        "sections": [
            {"key": key, "title": str(title), "rows": builder(incident)} for key, title, builder in SECTIONS
        ],
    }


def canonical(snapshot: dict[str, Any]) -> bytes:
    """The bytes the hash is taken of: sorted keys, no spaces, UTF-8. The database may reorder a
    JSON object's keys; this form does not depend on it."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(snapshot)).hexdigest()
