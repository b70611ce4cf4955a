"""Every write to incidents: declaring, editing, moving through the lifecycle, participation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from incident_console.lib.choices import Classification, Stage
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import london, now
from incident_console.timeline.services import record

from .models import (
    Incident,
    Invitation,
    Outcome,
    ParticipantRole,
    Participation,
    ReferenceCounter,
    Severity,
    Status,
)

if TYPE_CHECKING:
    from incident_console.accounts.models import Council, User

# The only moves an incident can make. Each needs a reason where the value is True.
TRANSITIONS: dict[tuple[str, str], bool] = {
    (Status.DECLARED, Status.RESPONSE): False,
    (Status.RESPONSE, Status.RECOVERY): False,
    (Status.RECOVERY, Status.CLOSED): False,
    (Status.RECOVERY, Status.RESPONSE): True,  # things got worse
}
# Standing down as a false alarm closes an incident that never reached recovery.
STAND_DOWN_FROM = {Status.DECLARED, Status.RESPONSE}

EDITABLE_FIELDS = (
    "title",
    "summary",
    "severity",
    "lga_stage",
    "services_affected",
    "aware_at",
    "classification",
    "council_email_unavailable",
    "escalate_after_minutes",
)


def allocate_reference(*, council: Council, year: int) -> str:
    """Take the next number for this council and year. The counter row is locked, so concurrent
    declarations get distinct numbers; the unique constraint on (council, reference) backs it up."""
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(council=council, year=year)
        counter = ReferenceCounter.objects.select_for_update().get(council=council, year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return f"{council.reference_prefix}-{year}-{counter.last_number:03d}"


@transaction.atomic
def declare_incident(
    *,
    council: Council,
    actor: User,
    title: str,
    aware_at: datetime,
    summary: str = "",
    severity: str = Severity.HIGH,
    services_affected: list[str] | None = None,
    classification: str = Classification.OFFICIAL_SENSITIVE,
    is_exercise: bool = False,
    council_email_unavailable: bool = False,
    escalate_after_minutes: int | None = None,
    shared_with: list[Council] | None = None,
    apply_guidance: bool = True,
) -> Incident:
    declared_at = now()
    if aware_at > declared_at:
        raise ValidationError({"aware_at": _("The time the council became aware cannot be in the future.")})
    _check_shared_with(council, shared_with or [])
    incident = Incident.objects.create(
        council=council,
        reference=allocate_reference(council=council, year=london(declared_at).year),
        title=title,
        summary=summary,
        severity=severity,
        services_affected=list(services_affected or []),
        aware_at=aware_at,
        declared_at=declared_at,
        classification=classification,
        is_exercise=is_exercise,
        council_email_unavailable=council_email_unavailable,
        escalate_after_minutes=escalate_after_minutes,
        created_by=actor,
    )
    if shared_with:
        incident.shared_with.set(shared_with)
    Participation.objects.create(incident=incident, user=actor, role=ParticipantRole.LEAD, added_by=actor)
    record(
        incident=incident,
        kind="incident_declared",
        actor=actor,
        summary=_("%(ref)s declared: %(title)s") % {"ref": incident.reference, "title": title},
        data={
            "severity": severity,
            "services_affected": incident.services_affected,
            "aware_at": aware_at,
            "is_exercise": is_exercise,
            "council_email_unavailable": council_email_unavailable,
            "escalate_after_minutes": escalate_after_minutes,
            "shared_with": [c.slug for c in shared_with or []],
        },
    )
    if apply_guidance:
        from incident_console.guidance.services import apply_modules_for_services

        apply_modules_for_services(incident=incident, actor=actor)
    from incident_console.reports.grab_pack import queue_first_pack  # a recent copy from the start

    queue_first_pack(incident=incident)
    return incident


def _check_shared_with(council: Council, shared_with: list[Council]) -> None:
    if not shared_with:
        return
    connected = set(council.connected_councils.values_list("id", flat=True))
    strangers = [c.name for c in shared_with if c.pk not in connected]
    if strangers:
        raise ValidationError(
            {
                "shared_with": _("Only connected councils can be given access. Not connected: %(names)s")
                % {"names": ", ".join(strangers)}
            }
        )


def _lock_current(incident: Incident, expected_version: int | None) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    return locked


@transaction.atomic
def update_incident(
    *,
    incident: Incident,
    actor: User,
    expected_version: int | None,
    shared_with: list[Council] | None = None,
    **changes: Any,
) -> Incident:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    locked = _lock_current(incident, expected_version)
    if "aware_at" in changes and changes["aware_at"] > now():
        raise ValidationError({"aware_at": _("The time the council became aware cannot be in the future.")})
    changed: dict[str, dict[str, Any]] = {}
    for field, value in changes.items():
        old = getattr(locked, field)
        if old != value:
            changed[field] = {"from": old, "to": value}
            setattr(locked, field, value)
    if shared_with is not None:
        _check_shared_with(locked.council, shared_with)
        old_shared = sorted(locked.shared_with.values_list("slug", flat=True))
        new_shared = sorted(c.slug for c in shared_with)
        if old_shared != new_shared:
            locked.shared_with.set(shared_with)
            changed["shared_with"] = {"from": old_shared, "to": new_shared}
    if not changed:
        return locked
    locked.version += 1
    locked.save()
    record(
        incident=locked,
        kind="incident_updated",
        actor=actor,
        summary=_("Incident details changed: %(fields)s") % {"fields": ", ".join(changed)},
        data={"changes": changed},
    )
    return locked


def allowed_moves(incident: Incident) -> list[tuple[str, bool]]:
    """(target status, reason required) pairs open to this incident now."""
    moves = [(to, needs) for (frm, to), needs in TRANSITIONS.items() if frm == incident.status]
    return moves


@transaction.atomic
def transition_incident(
    *, incident: Incident, actor: User, to_status: str, reason: str = "", expected_version: int | None = None
) -> Incident:
    locked = _lock_current(incident, expected_version)
    key = (locked.status, to_status)
    if key not in TRANSITIONS:
        raise ValidationError(
            {
                "to_status": _("An incident cannot move from %(frm)s to %(to)s. Allowed: %(allowed)s.")
                % {
                    "frm": Status(locked.status).label,
                    "to": Status(to_status).label if to_status in Status.values else to_status,
                    "allowed": ", ".join(str(Status(t).label) for t, _r in allowed_moves(locked))
                    or _("none"),
                }
            }
        )
    reason = reason.strip()
    if TRANSITIONS[key] and not reason:
        raise ValidationError({"reason": _("Say why the incident is moving back to response.")})
    if to_status == Status.CLOSED:
        _check_manual_records(locked)
    old = locked.status
    locked.status = to_status
    if to_status == Status.CLOSED:
        locked.closed_at = now()
        locked.outcome = Outcome.RESOLVED
        locked.retain_until = _retain_until(locked)
        _end_outside_access(locked, actor)
    elif old == Status.CLOSED:
        locked.retain_until = None
    if to_status == Status.RECOVERY:
        locked.lga_stage = Stage.RECOVERY
    locked.version += 1
    locked.save()
    if to_status == Status.CLOSED:
        _request_archive(locked, actor)
    record(
        incident=locked,
        kind="incident_status_changed",
        actor=actor,
        summary=_("Status changed from %(frm)s to %(to)s")
        % {"frm": Status(old).label, "to": Status(to_status).label},
        data={"from": old, "to": to_status, "reason": reason},
    )
    if (old, to_status) == (Status.RESPONSE, Status.RECOVERY):
        _record_recovery_handover(locked, actor)
    return locked


def _record_recovery_handover(incident: Incident, actor: User) -> None:
    """Moving from response to recovery records what the response hands over, just after the
    status change, in the same transaction."""
    from incident_console.lessons.services import create_handover

    create_handover(incident=incident, actor=actor)


def _check_manual_records(incident: Incident) -> None:
    """Case work recorded on paper must be reconciled into the restored systems (or Gold must
    decide to close anyway) before the incident ends, however it ends: closing from recovery and
    standing down as a false alarm both pass this guard, so going back from recovery to response
    and then standing down cannot skip it. A false alarm with no manual records is not held."""
    from incident_console.continuity.services import check_can_close

    check_can_close(incident)


def _retain_until(incident: Incident) -> datetime:
    """Closing starts the retention period: the council's setting (exercises too; they may be
    purged at any time regardless)."""
    assert incident.closed_at is not None
    return incident.closed_at + timedelta(days=incident.council.retention)


def _request_archive(incident: Incident, actor: User) -> None:
    """Closing requests the archive export; recorded just before the closing event, so the
    closing event stays the timeline's last word. The worker builds it after commit."""
    from incident_console.closure.services import request_archive

    request_archive(incident=incident, actor=actor)


@transaction.atomic
def stand_down(
    *, incident: Incident, actor: User, reason: str, expected_version: int | None = None
) -> Incident:
    """Close an incident that turned out to be a false alarm. Always recorded with a reason. Like
    closing, it is refused while manual records are not reconciled and Gold has not decided to
    close anyway."""
    locked = _lock_current(incident, expected_version)
    if locked.status not in STAND_DOWN_FROM:
        raise ValidationError(
            {
                "to_status": _(
                    "Only a declared incident or one in response can be stood down as a false alarm."
                )
            }
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the incident is being stood down.")})
    _check_manual_records(locked)
    old = locked.status
    locked.status = Status.CLOSED
    locked.outcome = Outcome.FALSE_ALARM
    locked.closed_at = now()
    locked.retain_until = _retain_until(locked)
    _end_outside_access(locked, actor)
    locked.version += 1
    locked.save()
    _request_archive(locked, actor)
    record(
        incident=locked,
        kind="incident_stood_down",
        actor=actor,
        summary=_("Stood down as a false alarm"),
        data={"from": old, "reason": reason},
    )
    return locked


@transaction.atomic
def add_participant(*, incident: Incident, actor: User, user: User, role: str) -> Participation:
    if role not in ParticipantRole.values:
        raise ValidationError({"role": _("Choose a part in the incident.")})
    existing = Participation.objects.select_for_update().filter(
        incident=incident, user=user, ended_at__isnull=True
    )
    current = existing.first()
    if current and current.role == role:
        return current
    if current:
        current.ended_at = now()
        current.save(update_fields=["ended_at"])
    participation = Participation.objects.create(incident=incident, user=user, role=role, added_by=actor)
    record(
        incident=incident,
        kind="participant_added",
        actor=actor,
        summary=_("%(name)s joined as %(role)s")
        % {"name": user.display_name, "role": ParticipantRole(role).label},
        data={"user": user.pk, "role": role},
    )
    return participation


@transaction.atomic
def end_participation(*, incident: Incident, actor: User, user: User) -> None:
    updated = Participation.objects.filter(incident=incident, user=user, ended_at__isnull=True).update(
        ended_at=now()
    )
    if updated:
        record(
            incident=incident,
            kind="participant_removed",
            actor=actor,
            summary=_("%(name)s no longer takes part") % {"name": user.display_name},
            data={"user": user.pk},
        )


# --- Invitations for outside responders (mutual aid) and partners ---------------------------------

INVITATION_VALID_FOR_HOURS = (24, 72, 168)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def invite(
    *,
    incident: Incident,
    actor: User,
    role: str,
    name: str,
    organisation: str,
    email: str = "",
    valid_for_hours: int = 72,
) -> tuple[Invitation, str]:
    """A single-use link for someone outside the council. Returns the invitation and the raw token,
    which is shown once to the person inviting and never stored."""
    if not incident.is_open:
        raise ValidationError(_("A closed incident cannot take new people."))
    if role not in (ParticipantRole.RESPONDER, ParticipantRole.PARTNER):
        raise ValidationError({"role": _("Choose mutual aid responder or partner.")})
    if valid_for_hours not in INVITATION_VALID_FOR_HOURS:
        raise ValidationError({"valid_for_hours": _("Choose how long the invitation lasts.")})
    raw = secrets.token_urlsafe(32)
    stamp = now()
    invitation = Invitation.objects.create(
        incident=incident,
        role=role,
        name=name.strip(),
        organisation=organisation.strip(),
        email=email.strip(),
        token_hash=_token_hash(raw),
        invited_by=actor,
        created_at=stamp,
        expires_at=stamp + timedelta(hours=valid_for_hours),
    )
    record(
        incident=incident,
        kind="invitation_created",
        actor=actor,
        summary=_("Invited %(name)s (%(org)s) as %(role)s")
        % {"name": invitation.name, "org": invitation.organisation, "role": invitation.get_role_display()},
        data={"invitation": invitation.pk, "expires_at": invitation.expires_at},
    )
    return invitation, raw


def invitation_for_token(raw: str) -> Invitation | None:
    return Invitation.objects.select_related("incident__council").filter(token_hash=_token_hash(raw)).first()


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, actor: User) -> None:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.state != "open":
        raise ValidationError(_("Only an open invitation can be withdrawn."))
    locked.withdrawn_at = now()
    locked.save(update_fields=["withdrawn_at"])
    record(
        incident=locked.incident,
        kind="invitation_withdrawn",
        actor=actor,
        summary=_("Withdrew the invitation for %(name)s") % {"name": locked.name},
        data={"invitation": locked.pk},
    )


@transaction.atomic
def accept_invitation(*, raw_token: str, username: str, full_name: str, password: str) -> User:
    """Creates the invited person's account and gives them their part in the incident, once."""
    from incident_console.accounts.models import User

    found = invitation_for_token(raw_token)
    if found is None:
        raise ValidationError(_("This invitation link is not valid."))
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.state != "open":
        raise ValidationError(
            {
                "accepted": _("This invitation has already been used."),
                "withdrawn": _("This invitation was withdrawn."),
                "expired": _("This invitation has expired. Ask the council for a new one."),
            }[invitation.state]
        )
    if not invitation.incident.is_open:
        raise ValidationError(_("The incident this invitation was for has closed."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("That username is taken. Choose another.")})
    user = User(username=username, full_name=full_name.strip(), job_title=invitation.organisation)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    user.save()
    Participation.objects.create(
        incident=invitation.incident,
        user=user,
        role=invitation.role,
        added_by=invitation.invited_by,
        invitation=invitation,
        ends_with_incident=True,
    )
    invitation.accepted_at = now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        incident=invitation.incident,
        kind="invitation_accepted",
        actor=user,
        summary=_("%(name)s (%(org)s) accepted the invitation and joined as %(role)s")
        % {"name": user.display_name, "org": invitation.organisation, "role": invitation.get_role_display()},
        data={"invitation": invitation.pk, "user": user.pk},
    )
    return user


@transaction.atomic
def keep_access_after_closure(*, participation: Participation, actor: User, keep: bool) -> Participation:
    """Renew (or stop renewing) an invited person's access beyond the incident's closure."""
    locked = (
        Participation.objects.select_for_update().select_related("user", "incident").get(pk=participation.pk)
    )
    if locked.ends_with_incident != (not keep):
        locked.ends_with_incident = not keep
        locked.save(update_fields=["ends_with_incident"])
        record(
            incident=locked.incident,
            kind="access_renewed" if keep else "access_renewal_withdrawn",
            actor=actor,
            summary=(
                _("%(name)s keeps access after the incident closes")
                if keep
                else _("%(name)s's access will end when the incident closes")
            )
            % {"name": locked.user.display_name},
            data={"user": locked.user_id},
        )
    return locked


def _end_outside_access(incident: Incident, actor: User) -> None:
    ending = list(
        Participation.objects.filter(
            incident=incident, ends_with_incident=True, ended_at__isnull=True
        ).select_related("user")
    )
    if not ending:
        return
    Participation.objects.filter(pk__in=[p.pk for p in ending]).update(ended_at=now())
    record(
        incident=incident,
        kind="outside_access_ended",
        actor=actor,
        summary=_("Access ended with the incident for %(names)s")
        % {"names": ", ".join(p.user.display_name for p in ending)},
        data={"users": [p.user_id for p in ending]},
    )
