"""The demo key contacts register, from fixtures/demo.yaml (through the services)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.accounts.models import Membership, User
from incident_console.incidents.models import Incident
from incident_console.lib.time import now

from .models import ContactAccess, PartnerContact
from .services import add_contact, mark_verified, record_access


def load_contacts_demo(*, incident: Incident, people: dict[str, User], spec: dict[str, Any]) -> None:
    council = incident.council
    for username, role in spec.get("social_care_roles", {}).items():
        Membership.objects.get_or_create(user=people[username], council=council, role=role)
    admin = people["admin"]
    families = []
    for row in spec.get("register", []):
        row = dict(row)
        added_days_ago = row.pop("added_days_ago", 0)
        verified_days_ago = row.pop("verified_days_ago", None)
        verified_by = row.pop("verified_by", "admin")
        for_incident = row.pop("for_incident", False)
        contact = add_contact(
            council=council, actor=admin, incident=incident if for_incident else None, **row
        )
        if added_days_ago:
            PartnerContact.objects.filter(pk=contact.pk).update(
                created_at=now() - timedelta(days=added_days_ago)
            )
        if verified_days_ago is not None:
            mark_verified(contact=contact, actor=people[verified_by])
            PartnerContact.objects.filter(pk=contact.pk).update(
                verified_at=now() - timedelta(days=verified_days_ago)
            )
        if contact.is_sensitive:
            families.append(contact)
    for username in spec.get("viewed_by", []):
        record_access(
            contacts=families, actor=people[username], via=ContactAccess.Via.PAGE, what="Contacts list"
        )
