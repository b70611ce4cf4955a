"""Reads for closure pages: an incident's archives, one archive, a council's purge records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from incident_console.incidents import access as inc_access
from incident_console.incidents.models import Incident

from .access import admin_council_ids
from .models import ArchiveJob, PurgeRecord

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


def archives(incident: Incident) -> QuerySet[ArchiveJob]:
    return ArchiveJob.objects.filter(incident=incident).select_related("requested_by").order_by("-pk")


def archive_for(user: User | AnonymousUser, job_id: int, action: str = "view_archives") -> ArchiveJob:
    """The archive if this person may see its incident (else 404) and do ``action`` (else 403)."""
    job = (
        ArchiveJob.objects.select_related("incident", "incident__council", "requested_by")
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        raise Http404
    inc_access.require(user, action, job.incident)
    return job


def purge_records(user: User | AnonymousUser) -> QuerySet[PurgeRecord]:
    return (
        PurgeRecord.objects.filter(council_id__in=admin_council_ids(user))
        .select_related("purged_by", "council")
        .order_by("-purged_at", "-pk")
    )
