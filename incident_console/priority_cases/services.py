"""Writes for priority cases. Timeline events name the case by its number and service only: never
the local case reference or why the case is at risk (the timeline is read more widely)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from incident_console.incidents.models import Incident
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import london, now
from incident_console.timeline.services import record

from . import selectors
from .models import (
    CaseContact,
    CaseService,
    CaseStatus,
    ContactResult,
    PriorityCase,
    PriorityCaseAccess,
    RiskLevel,
)

if TYPE_CHECKING:
    from incident_console.accounts.models import User


def when(value: datetime) -> str:
    """A time as people say it: Tue 8 Dec 10:00 (UK time)."""
    local = london(value)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def _reference_taken() -> str:
    return _("This incident already lists a priority case with that reference.")


def _check_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed."))


def _check_case(
    incident: Incident,
    *,
    reference: str,
    service: str,
    why_at_risk: str,
    risk_level: str,
    owner: User | None,
    next_contact_due: datetime | None,
    status: str,
    closed_reason: str,
) -> None:
    errors: dict[str, str] = {}
    if not reference.strip():
        errors["reference"] = _("Enter the local case reference.")
    if service not in CaseService.values:
        errors["service"] = _("Choose adult or children's social care.")
    if not why_at_risk.strip():
        errors["why_at_risk"] = _("Say why this case is at risk.")
    if risk_level and risk_level not in RiskLevel.values:
        errors["risk_level"] = _("Choose high or medium, or leave the risk level blank.")
    if status not in CaseStatus.values:
        errors["status"] = _("Choose a status from the list.")
    if owner is None:
        errors["owner"] = _("Choose who owns this case.")
    elif not selectors.eligible_owners(incident).filter(pk=owner.pk).exists():
        errors["owner"] = _(
            "Choose someone who may see priority cases: a social care worker of the council, Gold, "
            "or someone in the adult or children's social care cell."
        )
    if status == CaseStatus.CLOSED:
        if not closed_reason.strip():
            errors["closed_reason"] = _("Say why the case is closed.")
    elif next_contact_due is None:
        errors["next_contact_due"] = _("Enter when the case must next be contacted.")
    if errors:
        raise ValidationError(errors)


def _label(case: PriorityCase) -> dict[str, object]:
    return {"number": case.number, "service": case.service_words}


@transaction.atomic
def add_case(
    *,
    incident: Incident,
    actor: User,
    reference: str,
    service: str,
    why_at_risk: str,
    owner: User | None,
    next_contact_due: datetime | None,
    risk_level: str = "",
    notes: str = "",
) -> PriorityCase:
    _check_open(incident)
    _check_case(
        incident,
        reference=reference,
        service=service,
        why_at_risk=why_at_risk,
        risk_level=risk_level,
        owner=owner,
        next_contact_due=next_contact_due,
        status=CaseStatus.AWAITING,
        closed_reason="",
    )
    assert owner is not None and next_contact_due is not None  # checked above
    Incident.objects.select_for_update().only("id").get(pk=incident.pk)
    if PriorityCase.objects.filter(incident=incident, reference=reference.strip()).exists():
        raise ValidationError({"reference": _reference_taken()})
    last = PriorityCase.objects.filter(incident=incident).aggregate(last=Max("number"))["last"] or 0
    stamp = now()
    try:
        with transaction.atomic():
            case = PriorityCase.objects.create(
                council_id=incident.council_id,
                incident=incident,
                number=last + 1,
                reference=reference.strip(),
                service=service,
                why_at_risk=why_at_risk.strip(),
                risk_level=risk_level,
                next_contact_due=next_contact_due,
                owner=owner,
                notes=notes.strip(),
                created_by=actor,
                created_at=stamp,
                updated_at=stamp,
            )
    except IntegrityError as error:
        raise ValidationError({"reference": _reference_taken()}) from error
    record(
        incident=incident,
        kind="priority_case_added",
        actor=actor,
        summary=_("Priority case %(number)s (%(service)s) added; first contact due %(due)s")
        % {**_label(case), "due": when(next_contact_due)},
        data={"case": case.pk, "number": case.number, "service": service},
    )
    return case


@transaction.atomic
def update_case(
    *,
    case: PriorityCase,
    actor: User,
    expected_version: int | None,
    reference: str,
    service: str,
    why_at_risk: str,
    owner: User | None,
    next_contact_due: datetime | None,
    status: str,
    risk_level: str = "",
    closed_reason: str = "",
    notes: str = "",
) -> PriorityCase:
    locked = PriorityCase.objects.select_for_update().select_related("incident").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    _check_case(
        locked.incident,
        reference=reference,
        service=service,
        why_at_risk=why_at_risk,
        risk_level=risk_level,
        owner=owner,
        next_contact_due=next_contact_due,
        status=status,
        closed_reason=closed_reason,
    )
    if (
        PriorityCase.objects.filter(incident=locked.incident, reference=reference.strip())
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError({"reference": _reference_taken()})
    before = locked.status
    assert owner is not None
    locked.reference = reference.strip()
    locked.service = service
    locked.why_at_risk = why_at_risk.strip()
    locked.risk_level = risk_level
    locked.owner = owner
    locked.next_contact_due = next_contact_due
    locked.status = status
    locked.closed_reason = closed_reason.strip() if status == CaseStatus.CLOSED else ""
    locked.notes = notes.strip()
    locked.version += 1
    locked.updated_at = now()
    locked.save()
    if status == CaseStatus.CLOSED and before != CaseStatus.CLOSED:
        summary = _("Priority case %(number)s (%(service)s) closed") % _label(locked)
    elif status != before:
        summary = _("Priority case %(number)s (%(service)s) is now %(status)s") % {
            **_label(locked),
            "status": locked.get_status_display(),
        }
    else:
        summary = _("Priority case %(number)s (%(service)s) updated") % _label(locked)
    record(
        incident=locked.incident,
        kind="priority_case_updated",
        actor=actor,
        summary=summary,
        data={"case": locked.pk, "number": locked.number, "status": status, "before": before},
    )
    return locked


@transaction.atomic
def record_contact(
    *,
    case: PriorityCase,
    actor: User,
    contacted_at: datetime,
    contacted_by: User | None,
    result: str,
    outcome: str,
    next_contact_due: datetime | None,
    expected_version: int | None = None,
) -> CaseContact:
    """Append a contact to the case's history and move its next contact due."""
    locked = PriorityCase.objects.select_for_update().select_related("incident").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    errors: dict[str, str] = {}
    if not locked.is_open:
        errors["__all__"] = _("This case is closed. Reopen it before recording a contact.")
    if result not in ContactResult.values:
        errors["result"] = _("Choose whether the person was safe or a concern was escalated.")
    if not outcome.strip():
        errors["outcome"] = _("Say what happened when you made contact.")
    if contacted_by is None:
        errors["contacted_by"] = _("Choose who made the contact.")
    stamp = now()
    if contacted_at > stamp:
        errors["contacted_at"] = _("The time of the contact cannot be in the future.")
    if next_contact_due is None:
        errors["next_contact_due"] = _("Enter when the case must next be contacted.")
    elif next_contact_due <= contacted_at:
        errors["next_contact_due"] = _("The next contact must be after this one.")
    if errors:
        raise ValidationError(errors)
    assert next_contact_due is not None and contacted_by is not None
    contact = CaseContact.objects.create(
        council_id=locked.council_id,
        case=locked,
        contacted_at=contacted_at,
        contacted_by=contacted_by,
        result=result,
        outcome=outcome.strip(),
        next_contact_due=next_contact_due,
        recorded_by=actor,
        recorded_at=stamp,
    )
    if locked.last_contacted_at is None or contacted_at >= locked.last_contacted_at:
        locked.last_contacted_at = contacted_at
        locked.status = result
    locked.next_contact_due = next_contact_due
    locked.version += 1
    locked.updated_at = stamp
    locked.save()
    summary = (
        _("Priority case %(number)s (%(service)s) contacted; next contact due %(due)s")
        if result == ContactResult.SAFE
        else _(
            "Priority case %(number)s (%(service)s) contacted, concern escalated; next contact due %(due)s"
        )
    )
    record(
        incident=locked.incident,
        kind="priority_case_contacted",
        actor=actor,
        summary=summary % {**_label(locked), "due": when(next_contact_due)},
        data={"case": locked.pk, "number": locked.number, "contact": contact.pk, "result": result},
    )
    return contact


def record_access(
    *, incident: Incident, cases: Iterable[PriorityCase], actor: User, via: str, what: str
) -> int:
    """Log a view of the list or of cases: one row per case shown, or one row for an empty list."""
    stamp = now()
    rows = [
        PriorityCaseAccess(
            council_id=incident.council_id,
            incident=incident,
            case=case,
            actor=actor,
            via=via,
            what=what[:200],
            occurred_at=stamp,
        )
        for case in cases
    ] or [
        PriorityCaseAccess(
            council_id=incident.council_id,
            incident=incident,
            case=None,
            actor=actor,
            via=via,
            what=what[:200],
            occurred_at=stamp,
        )
    ]
    PriorityCaseAccess.objects.bulk_create(rows)
    return len(rows)
