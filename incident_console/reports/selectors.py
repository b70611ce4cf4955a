"""Reads for sitreps and the communications log, scoped to one incident the caller may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from .models import CommsEntry, Distribution, Sitrep, SitrepStatus

if TYPE_CHECKING:
    from incident_console.incidents.models import Incident


def sitreps(incident: Incident, *, issued_only: bool = False) -> QuerySet[Sitrep]:
    rows = Sitrep.objects.filter(incident=incident).select_related(
        "prepared_by", "approved_by", "issued_by", "amends", "full_pdf", "partner_pdf"
    )
    if issued_only:
        rows = rows.filter(status=SitrepStatus.ISSUED)
    return rows.order_by("-number", "-amendment", "-created_at")


def sitrep_for(incident: Incident, sitrep_id: int) -> Sitrep | None:
    return (
        sitreps(incident)
        .prefetch_related(
            Prefetch("distribution", queryset=Distribution.objects.select_related("recorded_by"))
        )
        .filter(pk=sitrep_id)
        .first()
    )


def comms(incident: Incident) -> QuerySet[CommsEntry]:
    return (
        CommsEntry.objects.filter(incident=incident).select_related("recorded_by").order_by("-sent_at", "-pk")
    )
