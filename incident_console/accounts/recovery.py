"""Admin-assisted account recovery, for when a person has lost their phone and recovery codes
and council email cannot be used: one council admin asks, a second admin confirms.

On confirmation the person's authenticator and recovery codes are removed, a temporary password
is set (shown once to the confirming admin, to read out over the phone), every session of theirs
ends, and they must choose a new password and set up two-factor again at their next sign-in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from incident_console.lib.errors import ValidationError
from incident_console.lib.time import now

from . import audit
from .models import Council, Membership, Role, User
from .recovery_models import ResetRequest

RESET_EXPIRES_AFTER = timedelta(hours=24)
TEMPORARY_WORD_LIST = 4
WORD_LIST = """
amber birch cedar delta ember fjord grove harbour island juniper kestrel lantern meadow north
orchard pebble quarry river summit thistle upland valley willow yarrow beacon copper dune falcon
"""


def _is_admin(user: User, council: Council) -> bool:
    return Membership.objects.filter(
        user=user, council=council, role=Role.COUNCIL_ADMIN, is_active=True
    ).exists()


def administered_councils(user: User) -> QuerySet[Council]:
    return Council.objects.filter(
        memberships__user=user, memberships__role=Role.COUNCIL_ADMIN, memberships__is_active=True
    ).distinct()


def people_an_admin_can_reset(admin: User) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__council__in=administered_councils(admin), memberships__is_active=True
        )
        .exclude(pk=admin.pk)
        .order_by("full_name", "username")
        .distinct()
    )


def resets_for(admin: User) -> QuerySet[ResetRequest]:
    return (
        ResetRequest.objects.filter(council__in=administered_councils(admin))
        .select_related("council", "subject", "requested_by", "decided_by")
        .order_by("-requested_at")
    )


@transaction.atomic
def request_reset(
    *, requested_by: User, subject: User, reason: str, how_identity_was_checked: str
) -> ResetRequest:
    council = administered_councils(requested_by).filter(memberships__user=subject).first()
    if council is None:
        raise ValidationError(
            {"subject": _("You can only ask for a reset for people in a council you administer.")}
        )
    if subject.pk == requested_by.pk:
        raise ValidationError({"subject": _("Another admin has to reset your own sign-in.")})
    if ResetRequest.objects.filter(subject=subject, state=ResetRequest.State.PENDING).exists():
        raise ValidationError(
            {"subject": _("A reset for this person is already waiting for a second admin.")}
        )
    stamp = now()
    reset = ResetRequest.objects.create(
        council=council,
        subject=subject,
        requested_by=requested_by,
        reason=reason.strip(),
        how_identity_was_checked=how_identity_was_checked.strip(),
        requested_at=stamp,
        expires_at=stamp + RESET_EXPIRES_AFTER,
    )
    audit.record(
        council=council,
        actor=requested_by,
        subject=subject,
        kind="reset_requested",
        summary=_("Asked for a sign-in reset for %(name)s") % {"name": subject.display_name},
        data={"reset": reset.pk, "reason": reset.reason, "identity_check": reset.how_identity_was_checked},
    )
    return reset


def _lock_pending(reset: ResetRequest, admin: User) -> ResetRequest:
    locked = ResetRequest.objects.select_for_update().select_related("subject", "council").get(pk=reset.pk)
    if not _is_admin(admin, locked.council):
        raise ValidationError(
            _("Only a council admin of %(council)s can do this.") % {"council": locked.council}
        )
    if locked.state != ResetRequest.State.PENDING:
        raise ValidationError(
            _("This reset has already been %(state)s.") % {"state": locked.get_state_display().lower()}
        )
    return locked


def _temporary_password() -> str:
    """Four words and a number: easy to read out over the phone, long enough to be safe for once."""
    words = WORD_LIST.split()
    return (
        "-".join(secrets.choice(words) for _i in range(TEMPORARY_WORD_LIST))
        + f"-{secrets.randbelow(90) + 10}"
    )


@transaction.atomic
def confirm_reset(*, reset: ResetRequest, admin: User) -> str:
    """The second admin confirms. Returns the temporary password, to be read out once."""
    locked = _lock_pending(reset, admin)
    if admin.pk == locked.requested_by_id:
        raise ValidationError(_("A different council admin has to confirm the reset you asked for."))
    if admin.pk == locked.subject_id:
        raise ValidationError(_("You cannot confirm a reset of your own sign-in."))
    if locked.expires_at <= now():
        raise ValidationError(_("This reset request has expired. Ask for a new one."))
    subject = locked.subject
    TOTPDevice.objects.filter(user=subject).delete()
    StaticDevice.objects.filter(user=subject).delete()
    password = _temporary_password()
    subject.set_password(password)  # also ends every session the person had
    subject.must_change_password = True
    subject.save(update_fields=["password", "must_change_password"])
    locked.state = ResetRequest.State.CONFIRMED
    locked.decided_by = admin
    locked.decided_at = now()
    locked.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(
        council=locked.council,
        actor=admin,
        subject=subject,
        kind="reset_confirmed",
        summary=_("Confirmed the sign-in reset for %(name)s asked for by %(asker)s")
        % {"name": subject.display_name, "asker": locked.requested_by.display_name},
        data={"reset": locked.pk, "requested_by": locked.requested_by_id},
    )
    return password


@transaction.atomic
def cancel_reset(*, reset: ResetRequest, admin: User) -> ResetRequest:
    locked = _lock_pending(reset, admin)
    locked.state = ResetRequest.State.CANCELLED
    locked.decided_by = admin
    locked.decided_at = now()
    locked.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(
        council=locked.council,
        actor=admin,
        subject=locked.subject,
        kind="reset_cancelled",
        summary=_("Cancelled the sign-in reset for %(name)s") % {"name": locked.subject.display_name},
        data={"reset": locked.pk},
    )
    return locked
