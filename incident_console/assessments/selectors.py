"""Reads for assessments: scoped lists, the detail with every version and sign-off, the 72-hour
clocks per controller council, and the sign-off check."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from incident_console.accounts.models import Council
from incident_console.incidents import access as incident_access
from incident_console.incidents.models import Incident
from incident_console.lib.time import now

from . import access
from .clock import Clock, ClockState, clock_state
from .models import (
    Assessment,
    AssessmentState,
    AssessmentVersion,
    ControllerAwareness,
    ReportDecision,
    SignOff,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


def assessments_for(user: User | AnonymousUser, incident: Incident) -> QuerySet[Assessment]:
    """The incident's assessments this person may see."""
    return (
        Assessment.objects.filter(incident=incident)
        .filter(access.visible_q(user, incident))
        .distinct()
        .select_related("council", "current", "current__author", "created_by")
        .order_by("created_at", "pk")
    )


def assessment_for(user: User | AnonymousUser, pk: int, action: str = "view_assessment") -> Assessment:
    """One assessment: 404 when its incident is hidden from this person, 403 when the assessment is."""
    assessment = (
        Assessment.objects.select_related("incident", "council", "current", "current__author", "created_by")
        .filter(pk=pk, incident__in=incident_access.visible_incidents(user))
        .first()
    )
    if assessment is None:
        raise Http404
    incident_access.require(user, action, assessment)
    return assessment


def versions(assessment: Assessment) -> list[AssessmentVersion]:
    """Every version, newest first, with its sign-offs and whether each still matches."""
    rows = list(
        AssessmentVersion.objects.filter(assessment=assessment)
        .select_related("author")
        .prefetch_related(Prefetch("sign_offs", queryset=SignOff.objects.select_related("person")))
        .order_by("-number")
    )
    for version in rows:
        digest = version.content_hash()
        for signed in version.sign_offs.all():
            signed.matches = signed.content_hash == digest  # type: ignore[attr-defined]
            signed.covers_current = version.pk == assessment.current_id  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class Mismatch:
    sign_off: SignOff
    expected: str
    found: str

    def describe(self) -> str:
        s = self.sign_off
        return (
            f"sign-off {s.pk} ({s.role}, {s.person.username}, {s.signed_at.isoformat()}) of assessment "
            f"{s.version.assessment_id} version {s.version.number}: "
            f"signed {self.expected}, content now {self.found}"
        )


def verify_sign_offs(sign_offs: Iterable[SignOff] | None = None) -> list[Mismatch]:
    """Every sign-off whose stored SHA-256 no longer matches the content of the version it signed."""
    if sign_offs is None:
        sign_offs = SignOff.objects.select_related("version", "person").order_by("pk")
    found: list[Mismatch] = []
    hashes: dict[int, str] = {}
    for signed in sign_offs:
        digest = hashes.setdefault(signed.version_id, signed.version.content_hash())
        if digest != signed.content_hash:
            found.append(Mismatch(sign_off=signed, expected=signed.content_hash, found=digest))
    return found


def _controllers(incidents: list[Incident]) -> dict[int, list[tuple[int, str, datetime | None]]]:
    """Per incident: (council id, council name, awareness) for the host and each shared council.
    One query, two when any incident is shared (the connected councils' awareness)."""
    ids = [i.pk for i in incidents]
    shared: dict[int, list[tuple[int, str]]] = {}
    names: dict[int, str] = {}
    rows: Iterable[tuple[int, int, str]]
    prefetched = [incident_access.prefetched_shared_councils(i) for i in incidents]
    if all(councils is not None for councils in prefetched):
        rows = [
            (i.pk, council.pk, council.name)
            for i, councils in zip(incidents, prefetched, strict=True)
            for council in councils or []
        ]
    else:
        rows = Incident.shared_with.through.objects.filter(incident_id__in=ids).values_list(
            "incident_id", "council_id", "council__name"
        )
    for incident_id, council_id, name in rows:
        shared.setdefault(incident_id, []).append((council_id, name))
    aware: dict[tuple[int, int], datetime] = {}
    if shared:
        aware = {
            (row.incident_id, row.council_id): row.aware_at
            for row in ControllerAwareness.objects.filter(incident_id__in=list(shared))
        }
    hosts = {i.council_id for i in incidents}
    if any("council" not in i._state.fields_cache for i in incidents):
        names = dict(Council.objects.filter(pk__in=hosts).values_list("pk", "name"))
    result: dict[int, list[tuple[int, str, datetime | None]]] = {}
    for incident in incidents:
        host_name = names.get(incident.council_id) or incident.council.name
        found: list[tuple[int, str, datetime | None]] = [(incident.council_id, host_name, incident.aware_at)]
        for council_id, name in sorted(shared.get(incident.pk, [])):
            found.append((council_id, name, aware.get((incident.pk, council_id))))
        result[incident.pk] = found
    return result


def clocks_for(incidents: Iterable[Incident], at: datetime | None = None) -> dict[int, list[Clock]]:
    """The 72-hour clocks of these incidents, one per controller council, in two to four queries."""
    at = at or now()
    incidents = list(incidents)
    if not incidents:
        return {}
    controllers = _controllers(incidents)
    positions: dict[tuple[int, int], list[tuple[str, datetime | None]]] = {}
    rows = AssessmentVersion.objects.filter(
        assessment__incident_id__in=[i.pk for i in incidents], assessment__current_id=F("pk")
    ).values_list("assessment__incident_id", "assessment__council_id", "report_decision", "ico_reported_at")
    for incident_id, council_id, decision, reported_at in rows:
        positions.setdefault((incident_id, council_id), []).append((decision, reported_at))
    result: dict[int, list[Clock]] = {}
    for incident in incidents:
        clocks = []
        for council_id, name, aware_at in controllers[incident.pk]:
            found = positions.get((incident.pk, council_id), [])
            reported = [r for _d, r in found if r is not None]
            not_reportable = bool(found) and all(d == ReportDecision.NOT_REPORTABLE for d, _r in found)
            clocks.append(
                Clock(
                    council_id=council_id,
                    council_name=name,
                    aware_at=aware_at,
                    at=at,
                    state=clock_state(
                        aware_at=aware_at, at=at, reported=bool(reported), not_reportable=not_reportable
                    ),
                    reported_at=min(reported) if reported else None,
                )
            )
        result[incident.pk] = clocks
    return result


def clocks(incident: Incident, at: datetime | None = None) -> list[Clock]:
    return clocks_for([incident], at)[incident.pk]


def controller_awareness(incident: Incident) -> QuerySet[ControllerAwareness]:
    return ControllerAwareness.objects.filter(incident=incident).select_related("council", "recorded_by")


def sign_offs_of(assessments: Iterable[Assessment]) -> list[SignOff]:
    return list(
        SignOff.objects.filter(version__assessment__in=list(assessments))
        .select_related("version", "version__assessment", "person")
        .order_by("version__assessment_id", "version__number", "signed_at", "pk")
    )


def dpo_contacts(council_id: int) -> list[User]:
    from incident_console.accounts.models import Membership, Role, User

    ids = Membership.objects.filter(council_id=council_id, role=Role.DPO, is_active=True).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username"))


def ico_draft_context(assessment: Assessment) -> dict[str, Any]:
    """Everything Article 33 asks for, from the current version."""
    incident = assessment.incident
    current = assessment.current
    assert current is not None
    clock = next((c for c in clocks(incident) if c.council_id == assessment.council_id), None)
    return {
        "assessment": assessment,
        "current": current,
        "incident": incident,
        "council": assessment.council,
        "dpos": dpo_contacts(assessment.council_id),
        "clock": clock,
        "sign_offs": list(current.sign_offs.select_related("person").all()),
        "classification": incident.classification,
        "is_exercise": incident.is_exercise,
        "generated_at": now(),
    }


def position(incident: Incident, at: datetime | None = None) -> dict[str, Any]:
    """The data-protection position for a sitrep: status and the ICO clock only, per controller
    council, with no assessment content. ``ico_deadline`` is the earliest deadline still running."""
    states = dict(AssessmentState.choices)
    latest: dict[int, str] = {}
    for council_id, state in (
        Assessment.objects.filter(incident=incident)
        .order_by("created_at", "pk")
        .values_list("council_id", "state")
    ):
        latest[council_id] = str(states.get(state, state))
    parts: list[str] = []
    running: list[datetime] = []
    for clock in clocks(incident, at):
        assessment = latest.get(clock.council_id, str(_("no data-loss assessment recorded")))
        left = f" ({clock.remaining_display})" if clock.remaining_display else ""
        parts.append(f"{clock.council_name}: {assessment}; ICO clock {clock.label.lower()}{left}")
        if clock.deadline and clock.state in (ClockState.RUNNING, ClockState.WARNING, ClockState.OVERDUE):
            running.append(clock.deadline)
    return {"status": ". ".join(parts), "ico_deadline": min(running).isoformat() if running else None}
