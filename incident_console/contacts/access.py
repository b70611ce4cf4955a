"""Who may see and keep a council's key contacts.

- Council-wide members (and holders of a council-level social care role) see the register of
  their council; council admins add, edit, verify, import and export it.
- Vulnerable-family contacts are personal data. They are seen, added and edited only under the
  one sensitivity rule (incidents/sensitivity.py): people holding a council-level social care
  role (Role.SOCIAL_CARE_ADULTS / SOCIAL_CARE_CHILDREN) there, or currently holding Gold or a role
  in an adult or children's social care cell of an open incident of that council, whatever their
  base role. They are never in partner outputs or the general export.
- The access log of those contacts is read by the council's DPO and Caldicott guardian.
Contacts of another council are never listed and give 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from incident_console.accounts.models import COUNCIL_WIDE_ROLES, SOCIAL_CARE_ROLES, Role
from incident_console.incidents.access import council_roles
from incident_console.incidents.sensitivity import sensitive_council_ids as sensitive_council_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User

    from .models import PartnerContact


def viewer_council_ids(user: User | AnonymousUser) -> set[int]:
    return {
        cid for cid, roles in council_roles(user).items() if roles & (COUNCIL_WIDE_ROLES | SOCIAL_CARE_ROLES)
    }


def may_open_register(user: User | AnonymousUser) -> bool:
    """The contacts list opens to a council-wide member, and to anyone the sensitivity rule lets
    see vulnerable-family contacts (a member of staff holding a social care cell sees those only)."""
    return bool(viewer_council_ids(user) or sensitive_council_ids(user))


def admin_council_ids(user: User | AnonymousUser) -> set[int]:
    return {cid for cid, roles in council_roles(user).items() if Role.COUNCIL_ADMIN in roles}


def log_reader_council_ids(user: User | AnonymousUser) -> set[int]:
    return {cid for cid, roles in council_roles(user).items() if roles & {Role.DPO, Role.CALDICOTT}}


def may_see(user: User | AnonymousUser, contact: PartnerContact) -> bool:
    if contact.is_sensitive:
        return contact.council_id in sensitive_council_ids(user)
    return contact.council_id in viewer_council_ids(user)


def may_edit(user: User | AnonymousUser, contact: PartnerContact) -> bool:
    if contact.is_sensitive:
        return contact.council_id in sensitive_council_ids(user)
    return contact.council_id in admin_council_ids(user)


def editor_council_ids(user: User | AnonymousUser) -> set[int]:
    """Councils where this person may add some kind of contact."""
    return admin_council_ids(user) | sensitive_council_ids(user)


def may_know_of(user: User | AnonymousUser, contact: PartnerContact) -> bool:
    """A member of the contact's council may be told the general register exists (403, not 404);
    vulnerable-family contacts stay invisible (404) to anyone who may not see them."""
    return not contact.is_sensitive and contact.council_id in council_roles(user)
