"""Writes for partner contacts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from incident_console.lib.errors import ValidationError
from incident_console.lib.time import now

from .models import PartnerContact

if TYPE_CHECKING:
    from incident_console.accounts.models import Council, User


@transaction.atomic
def add_contact(
    *,
    council: Council,
    actor: User,
    organisation: str,
    role: str,
    name: str,
    phone: str = "",
    email: str = "",
    is_spoc: bool = False,
) -> PartnerContact:
    errors: dict[str, str] = {}
    for field, value, message in (
        ("organisation", organisation, _("Enter the organisation.")),
        ("role", role, _("Enter their role.")),
        ("name", name, _("Enter their name.")),
    ):
        if not value.strip():
            errors[field] = message
    if not phone.strip() and not email.strip():
        errors["phone"] = _("Enter a phone number or an email address.")
    if errors:
        raise ValidationError(errors)
    return PartnerContact.objects.create(
        council=council,
        organisation=organisation.strip(),
        role=role.strip(),
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        is_spoc=is_spoc,
        created_at=now(),
    )
