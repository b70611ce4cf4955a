"""The frozen content of an issued sitrep, built from live data once, at issue.

Every value is plain JSON (strings, numbers, ISO timestamps in UTC), so the PDF renders from the
snapshot alone and its SHA-256 proves what was issued. Field-level rules for the partner variant
are in ``registry.SITREP``: only the keys listed there reach partners.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from incident_console.command.models import Assignment, Decision, Risk, RiskStatus
from incident_console.guidance.models import Checklist, ChecklistItem, ItemStatus
from incident_console.incidents.models import Severity, Status
from incident_console.lib.choices import Stage
from incident_console.lib.templatetags.console_tags import london
from incident_console.lib.time import now

from .models import CommsEntry, Sitrep, SitrepStatus

if TYPE_CHECKING:
    from incident_console.accounts.models import User
    from incident_console.incidents.models import Incident

# Partner-facing (both variants). Everything else in the snapshot is internal.
PARTNER_FIELDS = frozenset(
    {
        "sitrep",
        "issued_at",
        "period",
        "next_sitrep_at",
        "incident_public",
        "partner_headline",
        "requests_of_partners",
        "checklist_progress",
        "data_protection",
        "sign_off_roles",
    }
)


def data_protection_position(incident: Incident) -> dict[str, Any]:
    from incident_console.assessments.selectors import position

    return position(incident)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _name(user: User | None) -> str:
    return user.display_name if user else ""


def role_of(incident: Incident, user: User | None) -> str:
    if user is None:
        return ""
    roles = [
        a.role_name
        for a in Assignment.objects.filter(
            incident=incident, user=user, relinquished_at__isnull=True
        ).order_by("tier", "cell")
    ]
    return ", ".join(roles) or _("Incident team")


def period_start_for(sitrep: Sitrep) -> datetime:
    """The period runs from the last issued sitrep (or the declaration) to this issue."""
    previous = (
        Sitrep.objects.filter(incident=sitrep.incident, status=SitrepStatus.ISSUED)
        .exclude(pk=sitrep.pk)
        .order_by("-issued_at")
        .values_list("issued_at", flat=True)
        .first()
    )
    if sitrep.amends_id and sitrep.amends is not None and sitrep.amends.period_start:
        return sitrep.amends.period_start
    incident = sitrep.incident
    return previous or min(incident.aware_at, incident.declared_at)


def build(sitrep: Sitrep, *, issued_at: datetime | None = None) -> dict[str, Any]:
    incident = sitrep.incident
    issued_at = issued_at or sitrep.issued_at or now()
    start = sitrep.period_start or period_start_for(sitrep)
    # The first sitrep covers everything recorded so far, including what was logged before
    # the moment the council became aware (back-dated entries).
    first = (
        not Sitrep.objects.filter(incident=incident, status=SitrepStatus.ISSUED)
        .exclude(pk=sitrep.pk)
        .exists()
    )
    since = datetime.min.replace(tzinfo=UTC) if first else start
    next_at = sitrep.next_sitrep_at
    label = sitrep.label
    amends_label = str(sitrep.amends.label) if sitrep.amends_id and sitrep.amends else ""
    subtitle = _("%(label)s, issued %(at)s") % {"label": label, "at": london(issued_at)}

    checklists = (
        Checklist.objects.filter(incident=incident)
        .select_related("module")
        .annotate(
            total=Count("items", filter=~Q(items__status=ItemStatus.NOT_APPLICABLE)),
            done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
            in_progress=Count("items", filter=Q(items__status=ItemStatus.IN_PROGRESS)),
        )
        .order_by("module__title")
    )
    items = ChecklistItem.objects.filter(checklist__incident=incident).select_related(
        "owner", "checklist__module"
    )
    completed = items.filter(status=ItemStatus.DONE, completed_at__gt=since, completed_at__lte=issued_at)
    # Without a next sitrep time, "before the next" means the next 24 hours.
    due_q = Q(due_at__lte=next_at or issued_at + timedelta(hours=24))
    due = items.filter(due_q, status__in=[ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS]).order_by("due_at")
    decisions = (
        Decision.objects.filter(incident=incident, recorded_at__gt=since, recorded_at__lte=issued_at)
        .select_related("decision_maker")
        .order_by("sequence")
    )
    risks = Risk.objects.filter(incident=incident, status=RiskStatus.OPEN).select_related("owner")
    comms = CommsEntry.objects.filter(incident=incident, sent_at__gt=since, sent_at__lte=issued_at).order_by(
        "sent_at"
    )
    stage_labels = dict(Stage.choices)
    return {
        "document": {
            "marking": incident.classification,
            "exercise": incident.is_exercise,
            "reference": incident.reference,
            "title": label,
            "subtitle": subtitle,
        },
        "sitrep": {
            "number": sitrep.number_label,
            "label": label,
            "amends": amends_label,
            "council": incident.council.name,
        },
        "amendment_reason": sitrep.amendment_reason,
        "issued_at": _iso(issued_at),
        "period": {"start": _iso(start), "end": _iso(issued_at)},
        "next_sitrep_at": _iso(next_at),
        "incident_public": {
            "reference": incident.reference,
            "status": str(Status(incident.status).label),
            "severity": str(Severity(incident.severity).label),
            "stage": str(stage_labels.get(incident.lga_stage, incident.lga_stage)),
            "services": incident.services_display(),
        },
        "incident_detail": {"title": incident.title, "summary": incident.summary},
        "headline": sitrep.headline,
        "impact": sitrep.impact,
        "risks_issues": sitrep.risks_issues,
        "partner_headline": sitrep.partner_headline,
        "requests_of_partners": sitrep.requests_of_partners,
        "checklist_progress": [
            {
                "module": c.module.title,
                "done": c.done,
                "in_progress": c.in_progress,
                "total": c.total,
            }
            for c in checklists
        ],
        "actions_completed": [
            {
                "title": i.title,
                "module": i.checklist.module.title,
                "owner": _name(i.owner),
                "completed_at": _iso(i.completed_at),
            }
            for i in completed.order_by("completed_at")
        ],
        "actions_due": [
            {
                "title": i.title,
                "module": i.checklist.module.title,
                "owner": _name(i.owner),
                "due_at": _iso(i.due_at),
                "status": str(ItemStatus(i.status).label),
            }
            for i in due
        ],
        "decisions": [
            {
                "number": d.sequence,
                "decision": d.decision,
                "maker": f"{_name(d.decision_maker)} ({d.maker_role})"
                if d.maker_role
                else _name(d.decision_maker),
                "decided_at": _iso(d.decided_at),
            }
            for d in decisions
        ],
        "risks": [
            {"title": r.title, "score": r.score, "owner": _name(r.owner), "mitigations": r.mitigations}
            for r in sorted(risks, key=lambda r: -r.score)
        ],
        # Status and the ICO clock only: never what an assessment says.
        "data_protection": data_protection_position(incident),
        "communications": [
            {
                "audience": str(c.get_audience_display()),
                "channel": c.channel,
                "content": c.content,
                "approved_by": c.approved_by,
                "sent_at": _iso(c.sent_at),
            }
            for c in comms
        ],
        "prepared_by": {"name": _name(sitrep.prepared_by), "role": role_of(incident, sitrep.prepared_by)},
        "approved_by": {
            "name": _name(sitrep.approved_by),
            "role": role_of(incident, sitrep.approved_by),
            "at": _iso(sitrep.approved_at),
        },
        "sign_off_roles": {
            "prepared": role_of(incident, sitrep.prepared_by),
            "approved": role_of(incident, sitrep.approved_by),
        },
    }
