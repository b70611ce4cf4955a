"""Checks for contact details: UK phone numbers and email addresses, one message per field.

Phone numbers: a UK national number (0 then 9 or 10 digits, or +44 / 0044 then 9 or 10 digits)
or a UK short service number (101, 111, 999, 112, 116 xxx). Spaces, hyphens and brackets are
allowed between digits. There is no phone-number library in the stack, so this is a strict pattern.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from incident_console.lib.choices import ContactCategory

_SEPARATORS = re.compile(r"[\s\-()]")
_UK_NATIONAL = re.compile(r"^(?:0|\+44|0044)[1-9]\d{8,9}$")
_UK_SHORT = re.compile(r"^(?:101|111|999|112|116\d{3})$")

TEXT_LIMITS = {"organisation": 200, "role": 200, "name": 200}


def is_uk_phone(value: str) -> bool:
    compact = _SEPARATORS.sub("", value)
    if not re.fullmatch(r"\+?[\d]+", compact):
        return False
    return bool(_UK_NATIONAL.match(compact) or _UK_SHORT.match(compact))


def is_email(value: str) -> bool:
    try:
        validate_email(value)
    except DjangoValidationError:
        return False
    return True


def check_contact(fields: dict[str, str]) -> dict[str, str]:
    """Errors by field name for a contact's text fields; empty when they are fine."""
    errors: dict[str, str] = {}
    for field, message in (
        ("organisation", _("Enter the organisation.")),
        ("role", _("Enter their role.")),
        ("name", _("Enter their name.")),
    ):
        value = fields.get(field, "").strip()
        if not value:
            errors[field] = message
        elif len(value) > TEXT_LIMITS[field]:
            errors[field] = _("Use 200 characters or fewer.")
    category = fields.get("category", ContactCategory.PROVIDERS_PARTNERS)
    if category not in ContactCategory.values:
        errors["category"] = _("Choose a category from the list.")
    for field in ("phone", "out_of_band_phone"):
        value = fields.get(field, "").strip()
        if value and (len(value) > 40 or not is_uk_phone(value)):
            errors[field] = _(
                "Enter a UK phone number, like 01632 960 001, 07700 900 123 or +44 7700 900 123."
            )
    for field in ("email", "personal_email"):
        value = fields.get(field, "").strip()
        if value and (len(value) > 254 or not is_email(value)):
            errors[field] = _("Enter an email address like name@example.org.")
    if not any(fields.get(f, "").strip() for f in ("phone", "out_of_band_phone", "email", "personal_email")):
        errors.setdefault("phone", _("Enter a phone number or an email address."))
    return errors
