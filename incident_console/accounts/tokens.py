"""API token helpers that need no database: key generation, hashing, expiry choices, the form.

A token's key is shown to its owner once. The database keeps only its SHA-256 hash (a 256-bit
random key needs no slow hash) and the first few characters, so people can tell tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

KEY_PREFIX_LENGTH = 8
NAME_MAX_LENGTH = 100
EXPIRY_DAYS = (1, 7, 30, 90)
DEFAULT_EXPIRY_DAYS = 30
MAX_EXPIRY_DAYS = max(EXPIRY_DAYS)
DEFAULT_NAME = "API token"

# last_used_at is written at most this often per token, so busy clients do not write every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def new_key() -> str:
    return secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_prefix(key: str) -> str:
    return key[:KEY_PREFIX_LENGTH]


def expiry_choices() -> list[tuple[int, Any]]:
    labels = {
        1: _("1 day"),
        7: _("7 days"),
        30: _("30 days"),
        90: _("90 days"),
    }
    return [(days, labels[days]) for days in EXPIRY_DAYS]


class ApiTokenForm(forms.Form):
    """The "Create a token" form on the Tokens page."""

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Say what will use it, for example “Silver's reporting script”."),
        error_messages={
            "required": _("Enter a name for the token"),
            "max_length": _("The name must be %(limit_value)d characters or fewer"),
        },
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=expiry_choices,
        coerce=int,
        initial=DEFAULT_EXPIRY_DAYS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose when the token expires"),
            "invalid_choice": _("Choose 1, 7, 30 or 90 days"),
        },
    )
