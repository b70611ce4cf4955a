"""Building blocks for key contacts tests."""

from __future__ import annotations

from typing import Any

from incident_console.accounts.models import Membership, Role, User
from incident_console.contacts.models import PartnerContact
from incident_console.contacts.services import add_contact
from incident_console.lib.choices import ContactCategory
from tests.conftest import World


def a_contact(w: World, **fields: Any) -> PartnerContact:
    values: dict[str, Any] = {
        "organisation": "Northgate Police",
        "role": "Duty inspector",
        "name": "Sam Reid",
        "phone": "01632 960 001",
    }
    values.update(fields)
    return add_contact(council=w.a, actor=w.people["admin"], **values)


def a_family(w: World, **fields: Any) -> PartnerContact:
    values: dict[str, Any] = {
        "category": ContactCategory.VULNERABLE_FAMILIES,
        "organisation": "Family",
        "role": "Parent",
        "name": "Alex Family",
        "phone": "07700 900 777",
        "address": "1 Example Road",
    }
    values.update(fields)
    return add_contact(council=w.a, actor=w.people["admin"], **values)


def social_worker(w: World, key: str = "bronze", role: str = Role.SOCIAL_CARE_CHILDREN) -> User:
    """Give a person of council A a council-level social care role (alongside their base role)."""
    user = w.people[key]
    Membership.objects.create(user=user, council=w.a, role=role)
    return user


def a_register(w: World) -> PartnerContact:
    """A register with the council's own SPOC, a partner SPOC, a contact that needs checking, a
    verified one and a vulnerable-family contact that social care has viewed. Returns the partner."""
    from datetime import timedelta

    from incident_console.contacts.models import ContactAccess
    from incident_console.contacts.services import mark_verified, record_access
    from incident_console.lib.time import now

    a_contact(w, category=ContactCategory.STAFF, name="Pat Own", role="Emergency planning", is_spoc=True)
    partner = a_contact(w, is_spoc=True, out_of_band_phone="07700 900 150", notes="Ask for the duty desk")
    stale = a_contact(w, category=ContactCategory.SCHOOLS, organisation="Northgate High", name="Lee Hughes")
    PartnerContact.objects.filter(pk=stale.pk).update(created_at=now() - timedelta(days=120))
    mark_verified(contact=partner, actor=w.people["admin"])
    family = a_family(w)
    record_access(
        contacts=[family], actor=w.people["bronze"], via=ContactAccess.Via.PAGE, what="Contacts list"
    )
    return partner
