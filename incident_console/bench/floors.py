"""Floors: bare views that fetch the rows a page or endpoint shows (same filters, same page size,
``.values()``) and return them as JSON. They are reachable only through the bench URL conf
(``incident_console.bench.urls``), never the product's."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse

from incident_console.accounts.models import COUNCIL_WIDE_ROLES
from incident_console.guidance.models import Checklist, ChecklistItem
from incident_console.guidance.selectors import OPEN_PREVIEW, OPEN_STATUSES
from incident_console.incidents.models import Incident, Participation, Status
from incident_console.rotas.models import Override, Rota, RotaMember, ShiftPattern
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
EVENT_FIELDS = ("id", "sequence", "kind", "occurred_at", "summary", "actor__full_name")


def _json(data: Any) -> HttpResponse:
    return HttpResponse(json.dumps(data, cls=DjangoJSONEncoder), content_type="application/json")


def _incidents(request: HttpRequest) -> QuerySet[Incident]:
    return Incident.objects.filter(
        council__memberships__user_id=int(request.user.pk or 0),
        council__memberships__is_active=True,
        council__memberships__role__in=[str(role) for role in COUNCIL_WIDE_ROLES],
    )


def _page(qs: QuerySet[Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {"count": qs.count(), "results": list(qs.values(*fields)[:PAGE_SIZE])}


def dashboard(request: HttpRequest) -> HttpResponse:
    rows = _incidents(request).exclude(status=Status.CLOSED).order_by("-declared_at").values(*INCIDENT_FIELDS)
    return _json(list(rows))


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
        }
    )


def checklist(request: HttpRequest, pk: int, checklist_pk: int) -> HttpResponse:
    """The first page of one checklist's actions, with its count."""
    return _json(
        _page(ChecklistItem.objects.filter(checklist_id=checklist_pk).order_by("position"), ITEM_FIELDS)
    )


def incidents_api(request: HttpRequest) -> HttpResponse:
    return _json(_page(_incidents(request).order_by("-declared_at"), INCIDENT_FIELDS))


def items_api(request: HttpRequest, pk: int) -> HttpResponse:
    items = ChecklistItem.objects.filter(checklist__incident_id=pk).order_by(
        "checklist__module__title", "position"
    )
    return _json(_page(items, ITEM_FIELDS))


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
