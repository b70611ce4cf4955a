"""Floors: bare views that fetch the rows a page or endpoint shows (same filters, same page size,
``.values()``) and return them as JSON. Each reads every list its page shows, warnings included
(an empty list still takes a query to find empty), with the simplest query that finds those rows
and no access rules beyond the council. They are reachable only through the bench URL conf
(``incident_console.bench.urls``), never the product's."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse

from incident_console.accounts.models import COUNCIL_WIDE_ROLES
from incident_console.assessments.models import AssessmentVersion
from incident_console.command.models import Assignment, RhythmEntry
from incident_console.guidance.models import Checklist, ChecklistItem, ProgressNote
from incident_console.guidance.selectors import (
    CHECKLIST_PAGE_SIZE,
    CLOSED_STATUSES,
    OPEN_PREVIEW,
    OPEN_STATUSES,
)
from incident_console.incidents.models import Incident, Participation, Status
from incident_console.lib.time import now
from incident_console.notifications.models import Alert, AlertState
from incident_console.recovery.models import ExternalNotification
from incident_console.rotas.models import Override, Rota, RotaMember, ShiftPattern
from incident_console.safeguarding.models import Deadline, DeadlineStatus
from incident_console.timeline.models import TimelineEvent

PAGE_SIZE = 50
INCIDENT_FIELDS = (
    "id",
    "reference",
    "title",
    "status",
    "severity",
    "lga_stage",
    "declared_at",
    "council__name",
)
ITEM_FIELDS = ("id", "title", "status", "due_at", "owner__full_name", "checklist__module__title", "version")
API_ITEM_FIELDS = (
    *ITEM_FIELDS,
    "position",
    "not_applicable_reason",
    "suggested_tier",
    "suggested_cell",
    "completed_at",
    "updated_at",
    "strategic_action__action_id",
    "checklist__module__slug",
)
EVENT_FIELDS = (
    "id",
    "sequence",
    "kind",
    "occurred_at",
    "summary",
    "actor__full_name",
    "data",
    "previous_hash",
    "hash",
)


def _json(data: Any) -> HttpResponse:
    return HttpResponse(json.dumps(data, cls=DjangoJSONEncoder), content_type="application/json")


def _incidents(request: HttpRequest) -> QuerySet[Incident]:
    return Incident.objects.filter(
        council__memberships__user_id=int(request.user.pk or 0),
        council__memberships__is_active=True,
        council__memberships__role__in=[str(role) for role in COUNCIL_WIDE_ROLES],
    )


def _page(qs: QuerySet[Any], fields: tuple[str, ...], size: int = PAGE_SIZE) -> dict[str, Any]:
    return {"count": qs.count(), "results": list(qs.values(*fields)[:size])}


def _warnings(incident_ids: list[int]) -> dict[str, Any]:
    """The rows behind an incident's warnings: command roles held and the modules' representation
    rules (who is missing), data-loss assessment versions (the ICO clocks)."""
    return {
        "assignments": list(
            Assignment.objects.filter(incident_id__in=incident_ids, relinquished_at__isnull=True).values(
                "incident_id", "tier", "cell"
            )
        ),
        "rules": list(
            Checklist.objects.filter(incident_id__in=incident_ids).values(
                "incident_id", "module_version__document__representation_rules"
            )
        ),
        "assessments": list(
            AssessmentVersion.objects.filter(assessment__incident_id__in=incident_ids).values(
                "assessment__incident_id", "report_decision", "ico_reported_at"
            )
        ),
    }


def _unrouted(request: HttpRequest, **where: Any) -> list[Any]:
    alerts = Alert.objects.filter(
        state=AlertState.UNROUTED, council__memberships__user_id=int(request.user.pk or 0)
    )
    return list(alerts.filter(**where).order_by("-created_at").values("id", "subject", "incident_id")[:20])


def dashboard(request: HttpRequest) -> HttpResponse:
    """Open incidents with their action counts, their warnings, unrouted alerts and safeguarding
    items due within a day."""
    done = Q(checklists__items__status__in=CLOSED_STATUSES)
    overdue = Q(checklists__items__status__in=OPEN_STATUSES, checklists__items__due_at__lt=now())
    incidents = list(
        _incidents(request)
        .exclude(status=Status.CLOSED)
        .order_by("-declared_at")
        .values(*INCIDENT_FIELDS)
        .annotate(
            total=Count("checklists__items"),
            done=Count("checklists__items", filter=done),
            overdue=Count("checklists__items", filter=overdue),
        )
    )
    ids = [row["id"] for row in incidents]
    due = Deadline.objects.filter(
        incident_id__in=ids, status=DeadlineStatus.OPEN, due_at__lte=now() + timedelta(days=1)
    )
    return _json(
        {
            "incidents": incidents,
            **_warnings(ids),
            "alerts": _unrouted(request),
            "deadlines": list(due.values("id", "kind", "case_reference", "due_at", "incident_id")),
        }
    )


def incident(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident, each checklist's counts and first open actions (as the page shows them), the
    latest timeline entries and who takes part."""
    first_open = Window(RowNumber(), partition_by=F("checklist_id"), order_by=F("position").asc())
    return _json(
        {
            "incident": _incidents(request).filter(pk=pk).values(*INCIDENT_FIELDS).first(),
            "checklists": list(
                Checklist.objects.filter(incident_id=pk)
                .order_by("module__title")
                .values("id", "module__title")
                .annotate(
                    total=Count("items"),
                    open=Count("items", filter=Q(items__status__in=OPEN_STATUSES)),
                )
            ),
            "items": list(
                ChecklistItem.objects.filter(checklist__incident_id=pk, status__in=OPEN_STATUSES)
                .annotate(rank=first_open)
                .filter(rank__lte=OPEN_PREVIEW)
                .order_by("checklist__module__title", "position")
                .values(*ITEM_FIELDS)
            ),
            "events": list(
                TimelineEvent.objects.filter(incident_id=pk).order_by("-sequence").values(*EVENT_FIELDS)[:10]
            ),
            "participants": list(
                Participation.objects.filter(incident_id=pk, ended_at__isnull=True).values(
                    "user__full_name", "role"
                )
            ),
            **_warnings([pk]),
            "rhythm": list(RhythmEntry.objects.filter(incident_id=pk).values("id", "title", "kind")),
            "notified": list(ExternalNotification.objects.filter(incident_id=pk).values("id", "body")),
            "alerts": _unrouted(request, incident_id=pk),
        }
    )


def checklist(request: HttpRequest, pk: int, checklist_pk: int) -> HttpResponse:
    """The first page of one checklist's actions, with its count."""
    items = ChecklistItem.objects.filter(checklist_id=checklist_pk).order_by("position")
    return _json(_page(items, ITEM_FIELDS, CHECKLIST_PAGE_SIZE))


def incidents_api(request: HttpRequest) -> HttpResponse:
    """A page of incidents with the councils each is shared with and its action counts."""
    page = _page(_incidents(request).order_by("-declared_at"), INCIDENT_FIELDS)
    ids = [row["id"] for row in page["results"]]
    page["shared_with"] = list(
        Incident.shared_with.through.objects.filter(incident_id__in=ids).values(
            "incident_id", "council__slug"
        )
    )
    page["progress"] = list(
        ChecklistItem.objects.filter(checklist__incident_id__in=ids)
        .values("checklist__incident_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status__in=CLOSED_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now())),
        )
    )
    return _json(page)


def items_api(request: HttpRequest, pk: int) -> HttpResponse:
    """A page of the incident's actions with their progress notes."""
    items = ChecklistItem.objects.filter(checklist__incident_id=pk).order_by(
        "checklist__module__title", "position"
    )
    page = _page(items, API_ITEM_FIELDS)
    page["notes"] = list(
        ProgressNote.objects.filter(item_id__in=[row["id"] for row in page["results"]]).values(
            "item_id", "text", "created_at", "author__username"
        )
    )
    return _json(page)


def timeline_api(request: HttpRequest, pk: int) -> HttpResponse:
    return _json(_page(TimelineEvent.objects.filter(incident_id=pk).order_by("-sequence"), EVENT_FIELDS))


def shifts_api(request: HttpRequest) -> HttpResponse:
    rotas = Rota.objects.filter(members__user_id=int(request.user.pk or 0))
    return _json(
        {
            "rotas": list(rotas.values("id", "name", "anchor_date", "cover")),
            "patterns": list(ShiftPattern.objects.filter(rota__in=rotas).values()),
            "members": list(
                RotaMember.objects.filter(rota__in=rotas).values("rota_id", "user_id", "position")
            ),
            "overrides": list(
                Override.objects.filter(rota__in=rotas).values("rota_id", "user_id", "start", "end")
            ),
        }
    )
