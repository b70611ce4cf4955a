"""Writes for manual records, their reconciliation and the close-incident guard.

Timeline summaries never carry the case reference or the summary: the timeline is seen by more
people than the records are. They say which record (by number), what kind and which service.
"""

from __future__ import annotations

from datetime import datetime
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incident_console.command.services import record_decision
from incident_console.incidents.access import AccessDenied
from incident_console.incidents.models import Incident
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.timeline.services import record

from . import selectors
from .models import Activity, ClosureOverride, ManualRecord, ManualService, RecordState
from .uploads import check_attachment

if TYPE_CHECKING:
    from incident_console.accounts.models import User


def _check_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed."))


@transaction.atomic
def add_record(
    *,
    incident: Incident,
    actor: User,
    service: str,
    case_reference: str,
    activity: str,
    happened_at: datetime,
    summary: str,
    attachment: IO[bytes] | None = None,
    attachment_name: str = "",
    attachment_size: int = 0,
) -> ManualRecord:
    """Record case work done on paper or by phone. ``attachment`` is a photo or scan of the paper
    form (JPEG, PNG or PDF), checked before it is stored under a random name."""
    _check_open(incident)
    errors: dict[str, str] = {}
    if service not in ManualService.values:
        errors["service"] = _("Choose adult social care or children's social care.")
    if not case_reference.strip():
        errors["case_reference"] = _("Enter the local case reference.")
    elif len(case_reference.strip()) > 100:
        errors["case_reference"] = _("The case reference must be 100 characters or fewer.")
    if activity not in Activity.values:
        errors["activity"] = _("Choose what was done.")
    if happened_at > now():
        errors["happened_at"] = _("When it happened cannot be in the future.")
    if not summary.strip():
        errors["summary"] = _("Enter a summary of what was done.")
    checked = None
    if attachment is not None and "attachment" not in errors:
        try:
            checked = check_attachment(attachment, name=attachment_name, size=attachment_size)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    entry = ManualRecord(
        incident=incident,
        council_id=incident.council_id,
        service=service,
        case_reference=case_reference.strip(),
        activity=activity,
        happened_at=happened_at,
        summary=summary.strip(),
        recorded_by=actor,
        recorded_at=now(),
    )
    if attachment is not None and checked is not None:
        from django.core.files import File

        entry.attachment.save(checked.name, File(attachment), save=False)
        entry.attachment_name = checked.name
        entry.attachment_type = checked.content_type
        entry.attachment_size = checked.size
    try:
        entry.save()
        record(
            incident=incident,
            kind="manual_record_added",
            actor=actor,
            summary=_("%(record)s recorded") % {"record": entry.describe()},
            data={"record": entry.pk, "service": service, "activity": activity, "attachment": bool(checked)},
        )
    except Exception:
        if entry.attachment:
            entry.attachment.delete(save=False)  # no row will point at it
        raise
    return entry


def _lock(entry: ManualRecord, expected_version: int | None) -> ManualRecord:
    locked = ManualRecord.objects.select_for_update().select_related("incident").get(pk=entry.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    return locked


def _wrong_state(entry: ManualRecord, allowed: str) -> ValidationError:
    return ValidationError(
        _("%(record)s is %(state)s: it can only be %(allowed)s.")
        % {
            "record": str(entry),
            "state": str(entry.get_state_display()).lower(),
            "allowed": allowed,
        }
    )


@transaction.atomic
def enter_record(
    *, entry: ManualRecord, actor: User, expected_version: int | None, system_reference: str
) -> ManualRecord:
    """The record has been typed into the restored system: who did it, when, and that system's
    reference for it."""
    locked = _lock(entry, expected_version)
    if locked.state != RecordState.PENDING:
        raise _wrong_state(locked, _("entered while it is waiting to be entered"))
    reference = system_reference.strip()
    if not reference:
        raise ValidationError({"system_reference": _("Enter the reference the restored system gave it.")})
    if len(reference) > 100:
        raise ValidationError({"system_reference": _("The reference must be 100 characters or fewer.")})
    locked.state = RecordState.ENTERED
    locked.entered_by = actor
    locked.entered_at = now()
    locked.system_reference = reference
    locked.version += 1
    locked.save()
    record(
        incident=locked.incident,
        kind="manual_record_entered",
        actor=actor,
        summary=_("%(record)s entered into the restored system") % {"record": locked.describe()},
        data={"record": locked.pk},
    )
    return locked


@transaction.atomic
def verify_record(*, entry: ManualRecord, actor: User, expected_version: int | None) -> ManualRecord:
    """A second person checked the entry in the restored system against the paper record."""
    locked = _lock(entry, expected_version)
    if locked.state != RecordState.ENTERED:
        raise _wrong_state(locked, _("verified once it has been entered"))
    if locked.entered_by_id == actor.pk:
        raise ValidationError(
            _("You entered this record, so someone else must verify it: a second person checks every entry.")
        )
    locked.state = RecordState.VERIFIED
    locked.verified_by = actor
    locked.verified_at = now()
    locked.version += 1
    locked.save()
    record(
        incident=locked.incident,
        kind="manual_record_verified",
        actor=actor,
        summary=_("%(record)s verified in the restored system") % {"record": locked.describe()},
        data={"record": locked.pk},
    )
    return locked


@transaction.atomic
def return_record(
    *, entry: ManualRecord, actor: User, expected_version: int | None, reason: str
) -> ManualRecord:
    """The verifier found the entry wrong: back to pending, with the reason, to be entered again."""
    locked = _lock(entry, expected_version)
    if locked.state != RecordState.ENTERED:
        raise _wrong_state(locked, _("returned once it has been entered and before it is verified"))
    if locked.entered_by_id == actor.pk:
        raise ValidationError(_("You entered this record, so someone else must check it and return it."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with the entry, so it can be put right.")})
    locked.state = RecordState.PENDING
    locked.returned_reason = reason
    locked.returned_by = actor
    locked.returned_at = now()
    locked.entered_by = None
    locked.entered_at = None
    locked.system_reference = ""
    locked.version += 1
    locked.save()
    record(
        incident=locked.incident,
        kind="manual_record_returned",
        actor=actor,
        summary=_("%(record)s returned to be entered again") % {"record": locked.describe()},
        data={"record": locked.pk},
    )
    return locked


# --- The close-incident guard ----------------------------------------------------------------------


def check_can_close(incident: Incident) -> None:
    """Raise a ValidationError on ``to_status`` while manual records are not reconciled, unless
    Gold has recorded a decision to close anyway that covers them all."""
    guard = selectors.close_guard(incident)
    if guard.blocked:
        raise ValidationError(
            {
                "to_status": ngettext(
                    "%(count)d manual record is not yet reconciled (entered into the restored system "
                    "and verified). Reconcile it, or Gold records a decision to close anyway.",
                    "%(count)d manual records are not yet reconciled (entered into the restored system "
                    "and verified). Reconcile them, or Gold records a decision to close anyway.",
                    guard.uncovered,
                )
                % {"count": guard.uncovered}
            }
        )


@transaction.atomic
def override_close_guard(*, incident: Incident, actor: User, rationale: str) -> ClosureOverride:
    """Gold decides the incident may close with manual records not yet reconciled. Recorded in the
    decision log; covers the records recorded until now."""
    _check_open(incident)
    from .access import holds_incident_gold

    if not holds_incident_gold.test(actor, incident):
        raise AccessDenied("override_close_guard")
    count = selectors.unreconciled(incident).count()
    if count == 0:
        raise ValidationError(
            _("Every manual record is reconciled: the incident can close without a decision.")
        )
    if not rationale.strip():
        raise ValidationError({"rationale": _("Say why the incident may close before these are reconciled.")})
    decision = record_decision(
        incident=incident,
        actor=actor,
        decision_maker=actor,
        decided_at=now(),
        decision=ngettext(
            "Close the incident with %(count)d manual record not yet reconciled.",
            "Close the incident with %(count)d manual records not yet reconciled.",
            count,
        )
        % {"count": count},
        rationale=rationale.strip(),
        information=_("Manual records waiting to be entered or verified at the time of the decision."),
    )
    return ClosureOverride.objects.create(
        incident=incident,
        council_id=incident.council_id,
        decision=decision,
        decided_by=actor,
        unreconciled_count=count,
        created_at=decision.recorded_at,
    )
