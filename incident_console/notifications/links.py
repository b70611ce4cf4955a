"""Signed acknowledgement links for email and SMS.

A link names one notification, is signed with the site's secret and expires. It is bound to its
recipient: opening it needs that person's sign-in, and anyone else is told it is not theirs.
Opening it (GET) only shows a confirm page, because mail scanners open links by themselves; the
acknowledgement is the POST from that page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.urls import reverse

if TYPE_CHECKING:
    from .models import Notification

SALT = "incident_console.notifications.acknowledge"


def acknowledgement_token(notification: Notification) -> str:
    return signing.dumps({"n": notification.pk, "r": notification.recipient_id}, salt=SALT, compress=True)


def acknowledgement_url(notification: Notification) -> str:
    path = reverse("notifications:acknowledge_link", args=[acknowledgement_token(notification)])
    return f"{settings.CONSOLE_URL.rstrip('/')}{path}"


def read_token(token: str) -> tuple[int, int] | None:
    """(notification id, recipient id), or None for a link that is tampered with or too old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.ACKNOWLEDGEMENT_LINK_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("n"), int) or not isinstance(data.get("r"), int):
        return None
    return data["n"], data["r"]


def link_has_expired(token: str) -> bool:
    try:
        signing.loads(token, salt=SALT, max_age=settings.ACKNOWLEDGEMENT_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return True
    except signing.BadSignature:
        return False
    return False
