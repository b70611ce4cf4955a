"""Who may see and do what with PDF jobs, sitreps and the communications log.

Sitrep and comms rules join `incidents.access` (registered as `incidents.<action>`), so pages call
the same `access.can` and `access.require` as everything else inside an incident.

- `view_sitreps` (drafts, the full variant), `view_comms`: council-wide member or participant as
  lead, responder or staff (never partners);
- `view_partner_sitreps` (issued sitreps, partner variant only): anyone who may see the incident;
- `draft_sitrep`, `issue_sitrep`, `record_comms`: open incident; council admin, lead, responder, or a
  current Gold or Silver holder;
- `approve_sitrep`: open incident; the current Gold commander or Gold deputy, or, while nobody
  holds Gold, the incident lead.

A PDF job's download follows its kind's variant: the variant names the incident rule needed, or
decides itself (`kinds.Variant.may_download`); jobs with no incident need membership of the council.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404
from rules.predicates import predicate
from rules.rulesets import add_rule

from incident_console.command.access import holds_gold_or_silver
from incident_console.command.models import Assignment
from incident_console.incidents import access
from incident_console.incidents.access import (
    AccessDenied,
    _incident_of,
    council_roles,
    is_council_admin,
    is_council_wide_member,
    is_open,
    leads,
    responds,
    takes_part,
    works_on,
)
from incident_console.lib.choices import Tier

from . import kinds
from .models import PdfJob

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


@predicate
def holds_gold(user: User, obj: Any) -> bool:
    """The current Gold commander or Gold deputy (not a cell's representative at Gold)."""
    if not user.is_authenticated:
        return False
    incident = _incident_of(obj)
    cache: dict[int, bool] = user.__dict__.setdefault("_gold_holder_cache", {})
    if incident.pk not in cache:
        cache[incident.pk] = Assignment.objects.filter(
            incident=incident, user=user, relinquished_at__isnull=True, tier=Tier.GOLD, cell=""
        ).exists()
    return cache[incident.pk]


@predicate
def leads_without_gold(user: User, obj: Any) -> bool:
    """An incident lead stands in for Gold only while nobody holds the Gold role."""
    incident = _incident_of(obj)
    if not leads(user, incident):
        return False
    return not Assignment.objects.filter(
        incident=incident, relinquished_at__isnull=True, tier=Tier.GOLD, cell=""
    ).exists()


RULES = {
    "view_sitreps": is_council_wide_member | works_on,
    "view_partner_sitreps": is_council_wide_member | takes_part,
    "draft_sitrep": is_open & (is_council_admin | responds | holds_gold_or_silver),
    "issue_sitrep": is_open & (is_council_admin | responds | holds_gold_or_silver),
    "approve_sitrep": is_open & (holds_gold | leads_without_gold),
    "view_comms": is_council_wide_member | works_on,
    "record_comms": is_open & (is_council_admin | responds | holds_gold_or_silver),
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)


def _sees(user: User | AnonymousUser, job: PdfJob) -> bool:
    if job.incident is not None:
        return access.can(user, "view_incident", job.incident)
    return job.council_id in council_roles(user)


def may_download(user: User | AnonymousUser, job: PdfJob) -> bool:
    if not user.is_authenticated or not _sees(user, job):
        return False
    spec = kinds.registered().get(job.kind)
    variant = spec.variants.get(job.variant) if spec else None
    if variant is None:
        return False
    if variant.may_download is not None:
        return bool(variant.may_download(user, job))
    if job.incident is None:
        return True
    return access.can(user, variant.access_action, job.incident)


def downloaded(user: User, job: PdfJob) -> None:
    """What a download of this job's variant must leave behind (an access log for restricted ones)."""
    spec = kinds.registered().get(job.kind)
    variant = spec.variants.get(job.variant) if spec else None
    if variant is not None and variant.on_download is not None:
        variant.on_download(user, job)


def job_for(user: User | AnonymousUser, job_id: int) -> PdfJob:
    """The job, 404 if the person cannot see its incident or council, 403 if not this variant."""
    job = PdfJob.objects.select_related("incident").filter(pk=job_id).first()
    if job is None or not _sees(user, job):
        raise Http404
    if not may_download(user, job):
        raise AccessDenied("download_pdf")
    return job
