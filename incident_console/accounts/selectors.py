"""Reads for account pages and the API. Every read that serves a person is scoped here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet

from incident_console.lib.time import now

from .models import ApiToken, Membership, User
from .tokens import hash_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# API tokens -------------------------------------------------------------------------------------


def api_token_for_key(key: str) -> ApiToken | None:
    """The token a presented key belongs to, with its owner; None for a key nobody holds."""
    if not key:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()


def api_tokens_of(user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """Every token this person owns, newest first (active, expired and revoked)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(user_id=user.pk).select_related("revoked_by").order_by("-created_at", "-id")
    )


def active_api_tokens_in_councils(council_ids: set[int]) -> QuerySet[ApiToken]:
    """Unrevoked, unexpired tokens of anyone who belongs to one of these councils, by person."""
    members = Membership.objects.filter(user_id=OuterRef("user_id"), council_id__in=council_ids)
    return (
        ApiToken.objects.filter(Exists(members), revoked_at__isnull=True, expires_at__gt=now())
        .select_related("user")
        .order_by("user__full_name", "user__username", "-created_at", "-id")
    )


def api_token_by_id(pk: int) -> ApiToken | None:
    """Unscoped: callers check access.may_revoke before showing or changing it."""
    return ApiToken.objects.select_related("user").filter(pk=pk).first()
