"""Writes for the systems recovery tracker and the external notifications log."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from incident_console.assessments import services as assessment_services
from incident_console.assessments.models import CONTENT_FIELDS, Assessment, AssessmentVersion
from incident_console.command.services import record_decision
from incident_console.incidents import access
from incident_console.incidents.models import Incident
from incident_console.lib.choices import Service
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import london, now
from incident_console.timeline.services import record

from .models import (
    USUAL_BODIES,
    AffectedSystem,
    Body,
    ExternalNotification,
    Method,
    RestorePriority,
    SystemKind,
    SystemState,
    TellingDecision,
)
from .selectors import awaiting_ico_report

if TYPE_CHECKING:
    from incident_console.accounts.models import Council, User


def _check_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed."))


def _check_system(
    incident: Incident, name: str, kind: str, services: list[str], shared_with: list[Council]
) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Enter the name of the system.")
    if kind not in SystemKind.values:
        errors["kind"] = _("Choose the kind of system.")
    unknown = [s for s in services if s not in Service.values]
    if unknown:
        errors["services"] = _("Choose services from the list.")
    allowed = {incident.council_id, *incident.shared_with.values_list("pk", flat=True)}
    strangers = [c.name for c in shared_with if c.pk not in allowed]
    if strangers:
        errors["shared_with"] = _(
            "Only councils the incident is shared with can be named. Not shared: %(names)s"
        ) % {"names": ", ".join(strangers)}
    if errors:
        raise ValidationError(errors)


def _check_priority(priority: str) -> None:
    if priority not in RestorePriority.values:
        raise ValidationError({"priority": _("Choose the restore priority: critical, high, medium or low.")})


@transaction.atomic
def add_system(
    *,
    incident: Incident,
    actor: User,
    name: str,
    kind: str,
    services: list[str],
    shared_with: list[Council] | None = None,
    state: str = SystemState.UNAVAILABLE,
    priority: str = RestorePriority.MEDIUM,
    owner: User | None = None,
    expected_on: date | None = None,
    notes: str = "",
) -> AffectedSystem:
    _check_open(incident)
    _check_system(incident, name, kind, services, shared_with or [])
    if state not in SystemState.values:
        raise ValidationError({"state": _("Choose the state of the system.")})
    _check_priority(priority)
    stamp = now()
    try:
        with transaction.atomic():
            system = AffectedSystem.objects.create(
                incident=incident,
                name=name.strip(),
                kind=kind,
                services=list(services),
                state=state,
                priority=priority,
                owner=owner,
                expected_on=expected_on,
                notes=notes.strip(),
                created_by=actor,
                created_at=stamp,
                updated_at=stamp,
            )
    except IntegrityError as error:
        raise ValidationError({"name": _("This incident already tracks a system with that name.")}) from error
    system.shared_with.set(shared_with or [])
    record(
        incident=incident,
        kind="system_added",
        actor=actor,
        summary=_("System added to the recovery tracker: %(name)s (%(state)s)")
        % {"name": system.name, "state": system.get_state_display()},
        data={"system": system.pk, "state": state, "priority": priority, "services": system.services},
    )
    return system


@transaction.atomic
def update_system(
    *,
    system: AffectedSystem,
    actor: User,
    expected_version: int | None,
    name: str,
    kind: str,
    services: list[str],
    shared_with: list[Council],
    state: str,
    owner: User | None,
    expected_on: date | None,
    notes: str,
    priority: str | None = None,
) -> AffectedSystem:
    locked = AffectedSystem.objects.select_for_update().select_related("incident").get(pk=system.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    _check_system(locked.incident, name, kind, services, shared_with)
    if state not in SystemState.values:
        raise ValidationError({"state": _("Choose the state of the system.")})
    if priority is not None:
        _check_priority(priority)
    before = locked.state
    if (
        AffectedSystem.objects.filter(incident=locked.incident, name=name.strip())
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError({"name": _("This incident already tracks a system with that name.")})
    locked.name = name.strip()
    locked.kind = kind
    locked.services = list(services)
    locked.state = state
    if priority is not None:
        locked.priority = priority
    locked.owner = owner
    locked.expected_on = expected_on
    locked.notes = notes.strip()
    locked.version += 1
    locked.updated_at = now()
    locked.save()
    locked.shared_with.set(shared_with)
    summary = (
        _("%(name)s is now %(state)s (was %(before)s)")
        % {
            "name": locked.name,
            "state": locked.get_state_display(),
            "before": SystemState(before).label,
        }
        if before != state
        else _("Recovery details of %(name)s changed") % {"name": locked.name}
    )
    record(
        incident=locked.incident,
        kind="system_updated",
        actor=actor,
        summary=summary,
        data={"system": locked.pk, "state": state, "before": before, "priority": locked.priority},
    )
    return locked


def _is_shared(system: AffectedSystem, shared_ids: set[int]) -> bool:
    return len(system.services) > 1 or bool(shared_ids)


@transaction.atomic
def set_restore_order(
    *,
    incident: Incident,
    actor: User,
    order: dict[int, int | None],
    expected_versions: dict[int, int | None] | None,
    rationale: str,
) -> list[AffectedSystem]:
    """Set the agreed restore order. Where a system serves several services or councils, the
    order is a decision between them: it goes into the decision log with its rationale.

    ``expected_versions`` holds each system's version when the order was shown; if any system has
    changed or been added since, nothing is saved (StaleEditError). None skips the check."""
    _check_open(incident)
    systems = list(
        AffectedSystem.objects.select_for_update().filter(incident=incident).prefetch_related("shared_with")
    )
    if expected_versions is not None:
        changed = [s for s in systems if expected_versions.get(s.pk) != s.version]
        if changed:
            raise StaleEditError(
                current_version=changed[0].version,
                message=_(
                    "Someone else changed the restore order or its systems after you opened this page. "
                    "Your order has not been saved: review the current order shown beside each system, "
                    "then save again if yours should replace it."
                ),
            )
    by_id = {s.pk: s for s in systems}
    errors: dict[str, str] = {}
    unknown = [pk for pk in order if pk not in by_id]
    if unknown:
        errors["__all__"] = _("Some systems are no longer on the tracker. Reload the page and try again.")
    numbers = [n for n in order.values() if n is not None]
    if any(n < 1 or n > 999 for n in numbers):
        errors["__all__"] = _("Use whole numbers from 1 for the order.")
    elif len(numbers) != len(set(numbers)):
        errors["__all__"] = _("Give each system a different place in the order.")
    shared = [s for s in systems if _is_shared(s, {c.pk for c in s.shared_with.all()}) and order.get(s.pk)]
    if shared and not rationale.strip():
        errors["rationale"] = _(
            "Say why this order: it decides between services or councils that share a system, "
            "so it goes in the decision log."
        )
    if errors:
        raise ValidationError(errors)
    for pk, number in order.items():
        by_id[pk].restore_order = number
        by_id[pk].version += 1
        by_id[pk].updated_at = now()
    AffectedSystem.objects.bulk_update(
        [by_id[pk] for pk in order], ["restore_order", "version", "updated_at"]
    )
    ranked = sorted((s for s in systems if s.restore_order), key=lambda s: s.restore_order or 0)
    wording = "; ".join(f"{s.restore_order}. {s.name}" for s in ranked) or _("no order")
    record(
        incident=incident,
        kind="restore_order_set",
        actor=actor,
        summary=_("Restore order agreed: %(order)s") % {"order": wording},
        data={"order": {str(s.pk): s.restore_order for s in systems}},
    )
    if shared:
        record_decision(
            incident=incident,
            actor=actor,
            decision_maker=actor,
            decided_at=now(),
            decision=_("Restore IT systems in this order: %(order)s") % {"order": wording},
            rationale=rationale.strip(),
            information=_("Systems shared between services or councils: %(names)s")
            % {"names": ", ".join(s.name for s in shared)},
        )
    return ranked


@transaction.atomic
def log_notification(
    *,
    incident: Incident,
    actor: User,
    body: str,
    notified_at: datetime,
    told_by: User,
    method: str,
    name: str = "",
    council_told: Council | None = None,
    reference: str = "",
    notes: str = "",
    assessment: Assessment | None = None,
    late_reason: str = "",
) -> ExternalNotification:
    """Log who was told. A report to the ICO linked to a data-loss assessment is also recorded on
    the assessment (a new version with the report time and ICO case reference), through the
    assessments service, in the same transaction: that stops its council's 72-hour clock."""
    errors: dict[str, str] = {}
    if body not in Body.values:
        errors["body"] = _("Choose who was told.")
    if method not in Method.values:
        errors["method"] = _("Choose how they were told.")
    if body == Body.OTHER and not name.strip():
        errors["name"] = _("Enter who was told.")
    if body == Body.CONNECTED_COUNCIL:
        connected = set(incident.council.connected_councils.values_list("pk", flat=True))
        if council_told is None:
            errors["council_told"] = _("Choose the connected council.")
        elif council_told.pk not in connected:
            errors["council_told"] = _("Choose one of the councils connected to %(council)s.") % {
                "council": incident.council.name
            }
    if notified_at > now():
        errors["notified_at"] = _("The time they were told cannot be in the future.")
    elif notified_at < incident.aware_at:
        errors["notified_at"] = _(
            "The time they were told cannot be before the council became aware (%(aware)s)."
        ) % {"aware": f"{london(incident.aware_at):%d/%m/%Y %H:%M}"}
    _check_link(incident=incident, actor=actor, body=body, assessment=assessment, errors=errors)
    if errors:
        raise ValidationError(errors)
    if assessment is not None:
        _record_ico_report(
            assessment=assessment,
            actor=actor,
            reported_at=notified_at,
            reference=reference.strip(),
            late_reason=late_reason,
        )
    entry = ExternalNotification.objects.create(
        incident=incident,
        body=body,
        council_told=council_told if body == Body.CONNECTED_COUNCIL else None,
        name=name.strip(),
        notified_at=notified_at,
        told_by=told_by,
        method=method,
        reference=reference.strip(),
        notes=notes.strip(),
        assessment=assessment,
        recorded_by=actor,
        recorded_at=now(),
    )
    record(
        incident=incident,
        kind="external_notification_logged",
        actor=actor,
        summary=_("%(who)s told by %(by)s at %(at)s%(ref)s")
        % {
            "who": entry.who,
            "by": told_by.display_name,
            "at": f"{london(notified_at):%d/%m/%Y %H:%M}",
            "ref": f" (ref {entry.reference})" if entry.reference else "",
        },
        data={
            "notification": entry.pk,
            "body": body,
            "reference": entry.reference,
            "assessment": assessment.pk if assessment else None,
        },
    )
    return entry


@transaction.atomic
def record_not_needed(
    *,
    incident: Incident,
    actor: User,
    body: str,
    reason: str,
    decided_by: User,
    decided_at: datetime | None = None,
) -> ExternalNotification:
    """Record that one of the usual bodies will not be told about this incident, with the reason,
    who decided and when. It then no longer shows as missing. Not for a body already logged as
    told (telling it after this decision is still allowed, and both show in the log)."""
    # Lock the incident so two people cannot record the same body at once.
    Incident.objects.select_for_update().only("id").get(pk=incident.pk)
    decided_at = decided_at or now()
    errors: dict[str, str] = {}
    if body not in USUAL_BODIES:
        errors["body"] = _("Choose one of the usual bodies.")
    else:
        label = str(Body(body).label)
        earlier = ExternalNotification.objects.filter(incident=incident, body=body)
        if earlier.filter(decision=TellingDecision.TOLD).exists():
            errors["body"] = _("%(body)s is already recorded as told.") % {"body": label}
        elif earlier.filter(decision=TellingDecision.NOT_NEEDED).exists():
            errors["body"] = _("%(body)s is already recorded as not needing telling.") % {"body": label}
        elif body == Body.ICO and awaiting_ico_report(actor, incident):
            errors["body"] = _(
                "A data-loss assessment is waiting for its report to the ICO. Record the report, or "
                "change the SIRO's decision on the assessment first."
            )
    if not reason.strip():
        errors["reason"] = _("Say why they do not need telling about this incident.")
    if decided_at > now():
        errors["decided_at"] = _("The time of the decision cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    entry = ExternalNotification.objects.create(
        incident=incident,
        body=body,
        decision=TellingDecision.NOT_NEEDED,
        reason=reason.strip(),
        decided_by=decided_by,
        decided_at=decided_at,
        recorded_by=actor,
        recorded_at=now(),
    )
    record(
        incident=incident,
        kind="external_notification_not_needed",
        actor=actor,
        summary=_("%(who)s does not need telling, decided by %(by)s at %(at)s: %(reason)s")
        % {
            "who": entry.who,
            "by": decided_by.display_name,
            "at": f"{london(decided_at):%d/%m/%Y %H:%M}",
            "reason": entry.reason,
        },
        data={"notification": entry.pk, "body": body, "reason": entry.reason},
    )
    return entry


def _check_link(
    *, incident: Incident, actor: User, body: str, assessment: Assessment | None, errors: dict[str, str]
) -> None:
    """Whether the link to a data-loss assessment makes sense and this person may make it. When the
    host council's assessment is waiting for its ICO report and this person may see it, a report
    to the ICO must name it, or the clock would run on as if nobody had told the ICO."""
    if assessment is None:
        if body == Body.ICO and awaiting_ico_report(actor, incident):
            errors["assessment"] = _(
                "Choose the data-loss assessment this report is for. It is waiting for its ICO "
                "report, and linking it records the report there and stops its 72-hour clock."
            )
        return
    if body != Body.ICO:
        errors["assessment"] = _("Only a report to the ICO can be linked to a data-loss assessment.")
    elif assessment.incident_id != incident.pk:
        errors["assessment"] = _("Choose one of this incident's data-loss assessments.")
    elif not access.can(actor, "edit_assessment", assessment):
        errors["assessment"] = _(
            "You cannot record the ICO report on this assessment. Ask its council's data protection "
            "officer, SIRO or Gold to log it, or log the ICO without the link."
        )


# Where a reason from the assessments service belongs on the notification form.
_ASSESSMENT_FIELDS = {
    "ico_reported_at": "notified_at",
    "ico_reference": "reference",
    "late_reason": "late_reason",
}


def _record_ico_report(
    *, assessment: Assessment, actor: User, reported_at: datetime, reference: str, late_reason: str
) -> None:
    # Lock first, so two people logging the same report at once cannot both record it.
    locked = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    current = AssessmentVersion.objects.filter(pk=locked.current_id).first() if locked.current_id else None
    if current is None:
        raise ValidationError({"assessment": _("This assessment has no content yet.")})
    if current.ico_reported_at is not None:
        raise ValidationError(
            {
                "assessment": _("This assessment already records its ICO report (%(at)s).")
                % {"at": f"{london(current.ico_reported_at):%d/%m/%Y %H:%M}"}
            }
        )
    limit = AssessmentVersion._meta.get_field("ico_reference").max_length or 50
    if len(reference) > limit:
        raise ValidationError(
            {"reference": _("An ICO case reference has at most %(n)s characters.") % {"n": limit}}
        )
    content = {
        **{name: getattr(current, name) for name in CONTENT_FIELDS},
        "ico_reported_at": reported_at,
        "ico_reference": reference,
        "late_reason": late_reason.strip() or current.late_reason,
    }
    try:
        assessment_services.new_version(
            assessment=locked,
            actor=actor,
            expected_version=None,
            content=content,
            change_note=_("Reported to the ICO (logged in the external notifications log)"),
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise ValidationError({"assessment": error.messages}) from error
        moved: dict[str, list[str]] = {}
        for field, messages in error.message_dict.items():
            moved.setdefault(_ASSESSMENT_FIELDS.get(field, "assessment"), []).extend(messages)
        raise ValidationError(moved) from error
