"""Who must use a second factor, and whether they have one.

Council admins, DPOs, Caldicott guardians, SIROs and responders (the people eligible for Gold,
Silver and command rotas), and anyone taking part in an incident as a lead or responder (such as
a mutual aid responder from another organisation), must sign in with a time-based one-time code
(TOTP). Staff and partners may enrol. The factor lives in the console itself, never in the
council's identity provider.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

TWO_FACTOR_ROLES = frozenset(
    {
        Role.COUNCIL_ADMIN,
        Role.DPO,
        Role.CALDICOTT,
        Role.SIRO,
        Role.RESPONDER,
        # They open vulnerable-family contacts (personal data).
        Role.SOCIAL_CARE_ADULTS,
        Role.SOCIAL_CARE_CHILDREN,
    }
)
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def requires_two_factor(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    cached: bool | None = getattr(user, "_requires_two_factor_cache", None)
    if cached is None:
        cached = (
            Membership.objects.filter(user=user, is_active=True, role__in=TWO_FACTOR_ROLES).exists()
            or user.participations.filter(ended_at__isnull=True, role__in=("lead", "responder")).exists()
        )
        user._requires_two_factor_cache = cached  # type: ignore[attr-defined]
    return cached


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device else 0


def session_passed_two_factor(user: User | AnonymousUser) -> bool:
    """True when this request's session was verified with a second factor (django-otp)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


# --- Writes: enrolment, verification, recovery codes --------------------------------------------

RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class SecondFactorError(ValidationError):
    """A code that did not match; the message says what to do."""


def _audit(
    user: User, *, actor: User | None, kind: str, summary: str, data: dict[str, object] | None = None
) -> None:
    from .audit import record_for_person

    record_for_person(user, actor=actor, kind=kind, summary=summary, data=data or {})


def start_enrolment(user: User) -> TOTPDevice:
    """An authenticator-app secret waiting for its first code. Re-used until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


@transaction.atomic
def confirm_enrolment(*, user: User, code: str) -> list[str]:
    """Check the first code from the new authenticator; on success it replaces any old one and
    fresh recovery codes are issued (returned once, to be shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise SecondFactorError(_("Start setting up your authenticator app again."))
    if not device.verify_token(_normalise(code)):
        raise SecondFactorError(
            _("That code did not match. Check the time on your phone and enter the newest code.")
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _replace_recovery_codes(user)
    _audit(user, actor=user, kind="two_factor_enrolled", summary=_("Set up two-factor sign-in"))
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _i in range(5))
        + "-"
        + "".join(secrets.choice(RECOVERY_ALPHABET) for _i in range(5))
        for _n in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=_normalise(c)) for c in codes])
    return codes


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """Replace every recovery code (the old ones stop working)."""
    codes = _replace_recovery_codes(user)
    _audit(user, actor=user, kind="recovery_codes_replaced", summary=_("Issued new recovery codes"))
    return codes


def verify_second_factor(*, user: User, code: str) -> Device:
    """Match a 6-digit authenticator code or a one-time recovery code. A recovery code is used up."""
    token = _normalise(code)
    if not token:
        raise SecondFactorError(_("Enter the 6-digit code from your authenticator app, or a recovery code."))
    if token.isdigit():
        device = totp_device(user)
        if device is not None:
            allowed, _detail = device.verify_is_allowed()
            if not allowed:
                raise SecondFactorError(
                    _("Too many wrong codes in a row. Wait a few seconds, then enter the newest code.")
                )
            if device.verify_token(token):
                return device
    else:
        static = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
        if static is not None and static.verify_token(token):
            left = static.token_set.count()
            _audit(
                user,
                actor=user,
                kind="recovery_code_used",
                summary=_("Signed in with a recovery code (%(left)s left)") % {"left": left},
                data={"codes_left": left},
            )
            return static
    raise SecondFactorError(_("That code did not match. Enter the newest code from your authenticator app."))


@transaction.atomic
def turn_off_two_factor(*, user: User) -> None:
    """Only for people who are not required to use a second factor."""
    if requires_two_factor(user):
        raise ValidationError(_("Your role needs two-factor sign-in, so it cannot be turned off."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(user, actor=user, kind="two_factor_removed", summary=_("Turned off two-factor sign-in"))


def set_up_known_secret(*, user: User, secret_hex: str) -> TOTPDevice:
    """Demo data only: an authenticator with a documented secret, so the demo can be tried."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="Demo authenticator", key=secret_hex, confirmed=True)
