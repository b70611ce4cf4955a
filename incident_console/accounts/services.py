"""Writes to accounts. Keyword-only, typed, atomic; each records what it did in the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from incident_console.lib.time import now

from . import audit, tokens
from .models import ApiToken, User
from .two_factor import has_two_factor, requires_two_factor

# API tokens -------------------------------------------------------------------------------------


class SecondFactorRequired(ValidationError):
    """The account signs in with a second factor, and this request has not passed one."""


@dataclass(frozen=True)
class IssuedApiToken:
    token: ApiToken
    key: str  # shown to the owner once, never stored


def needs_second_factor_for_tokens(user: User) -> bool:
    """Accounts that must use, or have set up, a second factor get tokens only after passing it."""
    return requires_two_factor(user) or has_two_factor(user)


@transaction.atomic
def issue_api_token(
    *,
    user: User,
    name: str,
    expires_in_days: int = tokens.DEFAULT_EXPIRY_DAYS,
    second_factor: bool,
) -> IssuedApiToken:
    """A new token for ``user``, issued by ``user`` (nobody issues tokens for someone else).

    ``second_factor`` says whether this request passed a second factor (a verified session, or a
    current authenticator code checked by the caller). Accounts that need one get nothing without it.
    """
    if needs_second_factor_for_tokens(user) and not second_factor:
        raise SecondFactorRequired(
            _(
                "This account signs in with a second factor: enter the current 6-digit code from your "
                "authenticator app to create a token."
            ),
            code="second_factor_required",
        )
    clean_name = (name or "").strip()
    errors: dict[str, str] = {}
    if not clean_name:
        errors["name"] = _("Enter a name for the token")
    elif len(clean_name) > tokens.NAME_MAX_LENGTH:
        errors["name"] = _("The name must be %(limit)d characters or fewer") % {
            "limit": tokens.NAME_MAX_LENGTH
        }
    if expires_in_days not in tokens.EXPIRY_DAYS:
        errors["expires_in_days"] = _("Choose 1, 7, 30 or 90 days")
    if errors:
        raise ValidationError(errors)

    key = tokens.new_key()
    created_at = now()
    token = ApiToken.objects.create(
        user=user,
        created_by=user,
        name=clean_name,
        key_hash=tokens.hash_key(key),
        key_prefix=tokens.key_prefix(key),
        second_factor=second_factor,
        created_at=created_at,
        expires_at=created_at + timedelta(days=expires_in_days),
    )
    audit.record_for_person(
        user,
        actor=user,
        kind="api_token_created",
        summary=_("Created API token “%(name)s” (%(prefix)s…)")
        % {"name": clean_name, "prefix": token.key_prefix},
        data={"token_id": token.pk, "expires_at": token.expires_at.isoformat()},
    )
    return IssuedApiToken(token=token, key=key)


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: User) -> ApiToken:
    """Stop a token working. Revoking it again changes nothing (the first revocation is kept).
    The caller has checked ``access.may_revoke(actor, token)``."""
    locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    audit.record_for_person(
        locked.user,
        actor=actor,
        kind="api_token_revoked",
        summary=_("Revoked API token “%(name)s” (%(prefix)s…)")
        % {"name": locked.name, "prefix": locked.key_prefix},
        data={"token_id": locked.pk},
    )
    return locked


def record_api_token_use(*, token: ApiToken, at: datetime) -> None:
    """Note that the token was used: one conditional UPDATE, at most once a minute per token."""
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=at - tokens.LAST_USED_RESOLUTION)
    if token.last_used_at is None or token.last_used_at < at - tokens.LAST_USED_RESOLUTION:
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=at)
        token.last_used_at = at


# Contact details ------------------------------------------------------------------------------


@transaction.atomic
def update_contact_details(*, user: User, mobile_phone: str, personal_email: str) -> User:
    """The person's out-of-band routes (validated by ContactDetailsForm)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    changed = [
        name
        for name, value in (("mobile_phone", mobile_phone), ("personal_email", personal_email))
        if getattr(locked, name) != value
    ]
    if not changed:
        return locked
    locked.mobile_phone, locked.personal_email = mobile_phone, personal_email
    locked.save(update_fields=changed)
    audit.record_for_person(
        locked,
        actor=user,
        kind="contact_details_changed",
        summary=_("Changed their contact details (%(fields)s)")
        % {"fields": ", ".join(name.replace("_", " ") for name in changed)},
        data={"fields": changed},
    )
    return locked
