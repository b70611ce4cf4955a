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
