"""The grab pack: one printable PDF with what a responder needs when the network is gone.

Key contacts (the register by category, SPOCs first; never vulnerable families), the command
structure with every contact route, the rotas for the next seven days, the open actions, the
decision log and the battle rhythm: from a snapshot, rendered by the worker through the shared
PDF jobs. Always marked OFFICIAL-SENSITIVE.

So that a recent copy always exists: declaring an incident queues a first pack, and beat's sweep
(every ``GRAB_PACK_SWEEP_SECONDS``) asks for one for every live incident that has no general pack
made, or being made, within the last ``GRAB_PACK_REFRESH_HOURS``. The incident row is the durable
record of that work; the queue only makes the first pack come sooner. The same content asks for
the same job while that job is within the window; a copy older than the window is made afresh even
if nothing changed (its date is what tells a reader it is current), and a failed one is tried again.

The restricted edition adds the service-user data the general one never carries (vulnerable-family
contacts, and the other restricted sections in ``RESTRICTED_SECTIONS``). It is made for one named
person who may see that data, carries their name on every page, is downloadable by them alone, and
every making and download of it is written to the vulnerable-family contacts' access log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from incident_console.lib.choices import Classification
from incident_console.lib.time import london, now
from incident_console.timeline.services import record

from .models import JobState, PdfJob, sha256_of

if TYPE_CHECKING:
    from incident_console.accounts.models import User
    from incident_console.contacts.models import PartnerContact
    from incident_console.incidents.models import Incident

KIND = "grab-pack"  # registered in registry.py
GENERAL = "general"
RESTRICTED = "restricted"
ROTA_DAYS = 7
# After a general pack fails for good, the sweep waits this long before trying that incident again.
FAILED_BACKOFF = timedelta(hours=1)
MADE_OR_MAKING = (JobState.QUEUED, JobState.RENDERING, JobState.DONE)

logger = logging.getLogger(__name__)


def refresh_window() -> timedelta:
    """How old the newest general pack may be before a fresh one is made (GRAB_PACK_REFRESH_HOURS)."""
    return timedelta(hours=settings.GRAB_PACK_REFRESH_HOURS)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _routes(user: User) -> dict[str, str]:
    return {
        "name": user.display_name,
        "job_title": user.job_title,
        "mobile": user.mobile_phone,
        "work_email": user.email,
        "personal_email": user.personal_email,
    }


def _contacts(incident: Incident) -> list[dict[str, Any]]:
    """The general edition: the council's register and this incident's additions, by category,
    SPOCs first. Never vulnerable families (personal data under the social care rule)."""
    from incident_console.contacts.models import PartnerContact
    from incident_console.lib.choices import ContactCategory

    rows = (
        PartnerContact.objects.filter(council_id=incident.council_id)
        .filter(Q(incident__isnull=True) | Q(incident=incident))
        .exclude(category=ContactCategory.VULNERABLE_FAMILIES)
        .order_by("-is_spoc", "organisation", "name")
    )
    groups: dict[str, list[dict[str, Any]]] = {value: [] for value in ContactCategory.values}
    for c in rows:
        groups.setdefault(c.category, []).append(_contact_row(c))
    labels = dict(ContactCategory.choices)
    return [
        {"category": str(labels.get(key, key)), "contacts": found} for key, found in groups.items() if found
    ]


def _contact_row(c: PartnerContact) -> dict[str, Any]:
    return {
        "id": c.pk,
        "organisation": c.organisation,
        "role": c.role,
        "name": c.name,
        "phone": c.phone,
        "out_of_band_phone": c.out_of_band_phone,
        "email": c.email,
        "personal_email": c.personal_email,
        "address": c.address,
        "notes": c.notes,
        "spoc": c.is_spoc,
    }


def _families(incident: Incident) -> list[dict[str, Any]]:
    """Restricted edition only: the council's vulnerable-family contacts and this incident's."""
    from incident_console.contacts.models import PartnerContact
    from incident_console.lib.choices import ContactCategory

    rows = (
        PartnerContact.objects.filter(council_id=incident.council_id)
        .filter(category=ContactCategory.VULNERABLE_FAMILIES)
        .filter(Q(incident__isnull=True) | Q(incident=incident))
        .order_by("name", "pk")
    )
    return [_contact_row(c) for c in rows]


def _manual_records(incident: Incident) -> list[dict[str, Any]]:
    """Restricted edition only: manual case records not yet reconciled, oldest first."""
    from incident_console.continuity.selectors import unreconciled

    return [
        {
            "number": r.pk,
            "service": str(r.get_service_display()),
            "case_reference": r.case_reference,
            "activity": str(r.get_activity_display()),
            "happened_at": _iso(r.happened_at),
            "state": str(r.get_state_display()),
            "summary": r.summary,
        }
        for r in unreconciled(incident).order_by("happened_at", "pk")
    ]


def _priority_cases(incident: Incident) -> list[dict[str, Any]]:
    """Restricted edition only: the open priority cases, soonest contact first."""
    from incident_console.priority_cases.models import CaseStatus, PriorityCase

    cases = (
        PriorityCase.objects.filter(incident=incident)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("owner")
        .order_by("next_contact_due", "pk")
    )
    return [
        {
            "id": c.pk,
            "reference": c.reference,
            "service": str(c.get_service_display()),
            "why_at_risk": c.why_at_risk,
            "next_contact_due": _iso(c.next_contact_due),
            "owner": c.owner.display_name,
        }
        for c in cases
    ]


# The sections only the restricted edition carries: (snapshot key, builder).
RESTRICTED_SECTIONS: tuple[tuple[str, Callable[[Incident], list[dict[str, Any]]]], ...] = (
    ("families", _families),
    ("priority_cases", _priority_cases),
    ("manual_records", _manual_records),
)


def _command(incident: Incident) -> list[dict[str, Any]]:
    """One row per person holding a role (holder, then deputy), with every route to reach them."""
    from incident_console.command.selectors import board

    rows: list[dict[str, Any]] = []
    for slot in board(incident):
        for assignment, deputy in ((slot.holder, False), (slot.deputy, True)):
            if assignment is not None:
                rows.append(
                    {"role": slot.role_name, "council": slot.council_name, "deputy": deputy}
                    | _routes(assignment.user)
                )
    return rows


def _rotas(incident: Incident, at: datetime) -> list[dict[str, Any]]:
    from incident_console.accounts.models import User
    from incident_console.rotas.models import Rota
    from incident_console.rotas.selectors import rotas_with_everything, shifts_for

    rotas = rotas_with_everything(
        Rota.objects.filter(council_id=incident.council_id).filter(
            Q(incident__isnull=True) | Q(incident=incident)
        )
    )
    found: list[tuple[Any, list[Any]]] = [
        (rota, shifts_for(rota, at, at + timedelta(days=ROTA_DAYS))) for rota in rotas
    ]
    people = {
        u.pk: u
        for u in User.objects.filter(pk__in={s.person for _r, shifts in found for s in shifts if s.person})
    }
    return [
        {
            "rota": rota.name,
            "shifts": [
                {
                    "start": _iso(s.start),
                    "end": _iso(s.end),
                    "label": s.label,
                    "person": people[s.person].display_name if s.person in people else "",
                    "mobile": people[s.person].mobile_phone if s.person in people else "",
                }
                for s in shifts
            ],
        }
        for rota, shifts in found
    ]


def _open_actions(incident: Incident) -> list[dict[str, Any]]:
    from incident_console.guidance.models import ChecklistItem, ItemStatus

    items = (
        ChecklistItem.objects.filter(checklist__incident=incident)
        .exclude(status__in=[ItemStatus.DONE, ItemStatus.NOT_APPLICABLE])
        .select_related("owner", "checklist__module")
        .order_by("due_at", "pk")
    )
    return [
        {
            "title": i.title,
            "module": i.checklist.module.title,
            "status": str(ItemStatus(i.status).label),
            "owner": i.owner.display_name if i.owner else "",
            "due_at": _iso(i.due_at),
        }
        for i in items
    ]


def _decisions(incident: Incident) -> list[dict[str, Any]]:
    from incident_console.command.selectors import decisions

    return [
        {
            "number": d.sequence,
            "decided_at": _iso(d.decided_at),
            "maker": d.decision_maker.display_name,
            "decision": d.decision,
            "rationale": d.rationale,
        }
        for d in decisions(incident)
    ]


def _rhythm(incident: Incident) -> list[dict[str, Any]]:
    from incident_console.command.models import RhythmEntry

    return [
        {
            "title": e.title,
            "kind": str(e.get_kind_display()),
            "times": ", ".join(e.times),
            "days": e.weekdays_display(),
        }
        for e in RhythmEntry.objects.filter(incident=incident).order_by("kind", "title")
    ]


def snapshot(incident: Incident, at: datetime | None = None) -> dict[str, Any]:
    at = at or now()
    return {
        "document": {
            # Always OFFICIAL-SENSITIVE: it lists people's personal phones and emails.
            "marking": Classification.OFFICIAL_SENSITIVE,
            "exercise": incident.is_exercise,
            "reference": incident.reference,
            "title": str(_("Grab pack")),
            "subtitle": incident.council.name,
        },
        "incident": {
            "reference": incident.reference,
            "title": incident.title,
            "council": incident.council.name,
        },
        "made_at": at.isoformat(),
        "contacts": _contacts(incident),
        "command": _command(incident),
        "rotas": _rotas(incident, at),
        "open_actions": _open_actions(incident),
        "decisions": _decisions(incident),
        "rhythm": _rhythm(incident),
    }


@transaction.atomic
def request_grab_pack(*, incident: Incident, actor: User | None, at: datetime | None = None) -> PdfJob:
    """Queue a grab pack of the incident as it is now; the same content asks for the same job."""
    return _request_general(incident=incident, actor=actor, at=at)[0]


def _request_general(*, incident: Incident, actor: User | None, at: datetime | None) -> tuple[PdfJob, bool]:
    data = snapshot(incident, at)
    job, asked = _request(incident=incident, actor=actor, data=data, variant=GENERAL, at=at)
    if asked:
        record(
            incident=incident,
            kind="grab_pack_requested",
            actor=actor,
            summary=_("Grab pack requested") if actor else _("Scheduled grab pack requested"),
            data={"job": job.pk},
        )
    return job, asked


@transaction.atomic
def request_restricted_grab_pack(*, incident: Incident, actor: User, at: datetime | None = None) -> PdfJob:
    """Queue the restricted edition for ``actor`` (the caller has checked they may see service-user
    data on this incident). Every making is logged against each vulnerable family it names."""
    from incident_console.contacts.models import ContactAccess

    data = snapshot(incident, at)
    for key, build in RESTRICTED_SECTIONS:
        data[key] = build(incident)
    data["document"]["edition"] = RESTRICTED
    data["document"]["prepared_for"] = actor.display_name
    job, asked = _request(incident=incident, actor=actor, data=data, variant=RESTRICTED, at=at)
    _log_views(job, actor, ContactAccess.Via.EXPORT, _("Restricted grab pack made (PDF %(job)s)"))
    if asked:
        record(
            incident=incident,
            kind="grab_pack_requested",
            actor=actor,
            summary=_("Restricted grab pack requested for %(name)s") % {"name": actor.display_name},
            data={"job": job.pk, "edition": RESTRICTED},
        )
    return job


def log_restricted_download(user: User, job: PdfJob) -> None:
    """Each download of a restricted edition is a view of every family and priority case in it."""
    from incident_console.contacts.models import ContactAccess

    _log_views(job, user, ContactAccess.Via.EXPORT, _("Restricted grab pack downloaded (PDF %(job)s)"))


def _log_views(job: PdfJob, actor: User, via: str, what: str) -> None:
    """Write the families' and the priority cases' access logs for this restricted edition."""
    from incident_console.contacts.models import PartnerContact
    from incident_console.contacts.services import record_access
    from incident_console.priority_cases.models import PriorityCase
    from incident_console.priority_cases.services import record_access as record_case_access

    text = what % {"job": job.pk}
    families = [row["id"] for row in job.snapshot.get("families", [])]
    record_access(contacts=PartnerContact.objects.filter(pk__in=families), actor=actor, via=via, what=text)
    cases = [row["id"] for row in job.snapshot.get("priority_cases", [])]
    if cases and job.incident is not None:
        record_case_access(
            incident=job.incident,
            cases=PriorityCase.objects.filter(pk__in=cases),
            actor=actor,
            via=via,
            what=text,
        )


def _request(
    *, incident: Incident, actor: User | None, data: dict[str, Any], variant: str, at: datetime | None
) -> tuple[PdfJob, bool]:
    """The job for this content: the existing one while it is usable, else a fresh attempt.
    Returns the job and whether anything was asked for (a new job, or a failed one queued again).

    Usable means queued, rendering, or made within the refresh window. A failed job made within
    the window is queued again through the PDF jobs' retry; one made before it, or a made copy
    older than it, is replaced by a new job of the same content under a numbered key."""
    from incident_console.incidents.models import Incident

    from .services import request_pdf, retry_job

    at = at or now()
    # One request at a time per incident, so two never choose the same numbered key.
    Incident.objects.select_for_update().only("id").get(pk=incident.pk)
    content = {k: v for k, v in data.items() if k != "made_at"}
    owner = f":{actor.pk}" if variant == RESTRICTED and actor is not None else ""
    base = f"{KIND}:{incident.pk}:{variant[0]}{owner}:{sha256_of(content)[:24]}"
    same = PdfJob.objects.filter(kind=KIND, incident=incident, key__startswith=base)
    existing = same.order_by("-created_at", "-pk").first()
    if existing is not None:
        fresh = existing.created_at >= at - refresh_window()
        if existing.state == JobState.FAILED and fresh:
            return retry_job(job=existing, actor=actor), True
        if existing.state in (JobState.QUEUED, JobState.RENDERING) or (
            existing.state == JobState.DONE and fresh
        ):
            return existing, False
    key = base if existing is None else f"{base}:{same.count() + 1}"
    edition = _(" (restricted, for %(name)s)") % {"name": actor.display_name} if owner and actor else ""
    job = request_pdf(
        council=incident.council,
        incident=incident,
        kind=KIND,
        variant=variant,
        key=key,
        title=f"{incident.reference} grab pack{edition} {london(at):%d %b %Y %H:%M}"[:200],
        snapshot=data,
        requested_by=actor,
    )
    return job, True


def _live() -> QuerySet[Incident]:
    """Incidents not yet closed (declared, response or recovery), as ``Incident.is_open`` says."""
    from incident_console.incidents.models import Incident, Status

    return Incident.objects.exclude(status=Status.CLOSED)


def due(at: datetime | None = None) -> QuerySet[Incident]:
    """Live incidents with no general grab pack made or being made within the refresh window, nor
    one that failed for good within the last ``FAILED_BACKOFF`` (a newly declared one has none)."""
    at = at or now()
    recent = PdfJob.objects.filter(kind=KIND, variant=GENERAL, incident=OuterRef("pk")).filter(
        Q(created_at__gte=at - refresh_window(), state__in=MADE_OR_MAKING)
        | Q(state=JobState.FAILED, finished_at__gte=at - FAILED_BACKOFF)
    )
    return _live().exclude(Exists(recent))


def refresh_due(at: datetime | None = None) -> int:
    """Beat's sweep: a general grab pack for every live incident that is due one. Returns how many
    were asked for. One incident that cannot be snapshotted does not stop the others."""
    asked = 0
    for incident in due(at).select_related("council").order_by("pk"):
        try:
            with transaction.atomic():
                asked += _request_general(incident=incident, actor=None, at=at)[1]
        except Exception:
            logger.exception("Grab pack refresh failed for incident %s", incident.pk)
    return asked


def refresh_one(incident_id: int, at: datetime | None = None) -> bool:
    """The first pack of a newly declared incident (queued on commit), if it is still due one."""
    incident = due(at).select_related("council").filter(pk=incident_id).first()
    if incident is None:
        return False
    with transaction.atomic():
        return _request_general(incident=incident, actor=None, at=at)[1]


def queue_first_pack(*, incident: Incident) -> None:
    """Called when an incident is declared: after commit, ask the worker for its first pack. If the
    broker is away nothing is lost: the sweep finds the live incident with no pack."""
    from . import tasks

    if not settings.GRAB_PACK_ON_DECLARE:
        return
    incident_id = incident.pk
    transaction.on_commit(lambda: tasks.queue_first_pack(incident_id))


def latest(incident: Incident, *, restricted_for: User | None = None) -> PdfJob | None:
    return _packs(incident, restricted_for).first()


def recent(incident: Incident, limit: int = 10, *, restricted_for: User | None = None) -> list[PdfJob]:
    """The general editions, or (``restricted_for``) the restricted editions made for that person."""
    return list(_packs(incident, restricted_for)[:limit])


def _packs(incident: Incident, restricted_for: User | None) -> QuerySet[PdfJob]:
    packs = PdfJob.objects.filter(kind=KIND, incident=incident).order_by("-created_at", "-pk")
    if restricted_for is None:
        return packs.filter(variant=GENERAL)
    return packs.filter(variant=RESTRICTED, requested_by=restricted_for)
