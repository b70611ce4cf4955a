"""Builds the demo councils, people and the exercise incident from fixtures/demo.yaml.

Idempotent: people and councils are matched by natural key; the exercise incident is created once.
Everything about the incident goes through the normal services, so its timeline is real.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from incident_console.accounts.models import Council, Membership, User
from incident_console.accounts.two_factor import set_up_known_secret
from incident_console.guidance.models import ChecklistItem
from incident_console.guidance.services import update_item
from incident_console.lib.time import now

from .models import Incident
from .services import add_participant, declare_incident

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo.yaml"


@dataclass
class DemoReport:
    councils: int = 0
    people: int = 0
    rotas: int = 0
    incident: Incident | None = None
    created_incident: bool = False
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def load_demo(*, password: str, path: Path = DEMO_FILE) -> DemoReport:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    report = DemoReport()
    councils: dict[str, Council] = {}
    for row in data["councils"]:
        council, _ = Council.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "reference_prefix": row["reference_prefix"]}
        )
        councils[council.slug] = council
        report.councils += 1
    for row in data["councils"]:
        for other in row.get("connected", []):
            councils[row["slug"]].connected_councils.add(councils[other])

    people: dict[str, User] = {}
    for row in data["people"]:
        user, _ = User.objects.update_or_create(
            username=row["username"],
            defaults={
                "full_name": row["full_name"],
                "job_title": row.get("job_title", ""),
                "mobile_phone": row.get("mobile_phone", ""),
                "personal_email": row.get("personal_email", ""),
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        if row.get("totp_secret"):
            set_up_known_secret(user=user, secret_hex=base64.b32decode(row["totp_secret"]).hex())
        for slug, roles in row["roles"].items():
            for role in roles:
                Membership.objects.get_or_create(user=user, council=councils[slug], role=role)
        people[user.username] = user
        report.people += 1

    from incident_console.rotas.demo import load_demo_rotas

    report.rotas = load_demo_rotas(data.get("rotas", []), councils, people)

    report.incident, report.created_incident = _load_exercise(data["exercise"], councils, people)
    for spec in data.get("more_exercises", []):
        _load_exercise(spec, councils, people)
    return report


def _load_exercise(
    spec: dict[str, Any], councils: dict[str, Council], people: dict[str, User]
) -> tuple[Incident, bool]:
    """The exercise incident of this spec, declared and built up through the services once."""
    council = councils[spec["council"]]
    existing = Incident.objects.filter(council=council, is_exercise=True, title=spec["title"]).first()
    if existing:
        return existing, False

    lead = people[spec["declared_by"]]
    incident = declare_incident(
        council=council,
        actor=lead,
        title=spec["title"],
        summary=spec["summary"].strip(),
        severity=spec["severity"],
        services_affected=spec["services_affected"],
        aware_at=now() - timedelta(hours=spec["aware_hours_ago"]),
        is_exercise=True,
        shared_with=[councils[s] for s in spec.get("shared_with", [])],
    )
    for username, role in spec.get("participants", {}).items():
        add_participant(incident=incident, actor=lead, user=people[username], role=role)
    for module_slug, actions in spec.get("progress", {}).items():
        for action_id, change in actions.items():
            item = ChecklistItem.objects.get(
                checklist__incident=incident,
                checklist__module__slug=module_slug,
                strategic_action__action_id=action_id,
            )
            extra: dict[str, Any] = {}
            if "due_minutes_ago" in change:
                extra["due_at"] = now() - timedelta(minutes=change["due_minutes_ago"])
            update_item(
                item=item,
                actor=lead,
                expected_version=item.version,
                status=change["status"],
                owner=people[change["owner"]] if change.get("owner") else None,
                note=change.get("note", ""),
                **extra,
            )
    if spec.get("command"):
        from incident_console.command.demo import load_command_demo

        load_command_demo(
            incident=incident, actor=lead, people=people, councils=councils, spec=spec["command"]
        )
    if spec.get("data_protection"):
        from incident_console.assessments.demo import load_assessment_demo

        load_assessment_demo(
            incident=incident, people=people, councils=councils, spec=spec["data_protection"]
        )
    if spec.get("recovery"):
        from incident_console.recovery.demo import load_recovery_demo

        load_recovery_demo(incident=incident, people=people, councils=councils, spec=spec["recovery"])
    if spec.get("safeguarding"):
        from incident_console.safeguarding.demo import load_safeguarding_demo

        load_safeguarding_demo(incident=incident, people=people, spec=spec["safeguarding"])
    if spec.get("reports"):
        from incident_console.reports.demo import load_reports_demo

        load_reports_demo(incident=incident, people=people, spec=spec["reports"])
    if spec.get("contacts"):
        from incident_console.contacts.demo import load_contacts_demo

        load_contacts_demo(incident=incident, people=people, spec=spec["contacts"])
    if spec.get("payments"):
        from incident_console.payments.demo import load_payments_demo

        load_payments_demo(incident=incident, people=people, spec=spec["payments"])
    if spec.get("priority_cases"):
        from incident_console.priority_cases.demo import load_priority_cases_demo

        load_priority_cases_demo(incident=incident, people=people, spec=spec["priority_cases"])
    if spec.get("continuity"):
        from incident_console.continuity.demo import load_continuity_demo

        load_continuity_demo(incident=incident, people=people, spec=spec["continuity"])
    if spec.get("closure"):
        from incident_console.closure.demo import load_closure_demo

        load_closure_demo(incident=incident, people=people, spec=spec["closure"])
    if spec.get("lessons"):
        from incident_console.lessons.demo import load_lessons_demo

        load_lessons_demo(incident=incident, people=people, spec=spec["lessons"])
    return incident, True
