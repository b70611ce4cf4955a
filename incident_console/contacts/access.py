"""Who may see and keep a council's partner contacts: council-wide members see them; council admins
add them. Contacts of another council are never listed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from incident_console.accounts.models import COUNCIL_WIDE_ROLES, Role
from incident_console.incidents.access import council_roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


def viewer_council_ids(user: User | AnonymousUser) -> set[int]:
    return {cid for cid, roles in council_roles(user).items() if roles & COUNCIL_WIDE_ROLES}


def admin_council_ids(user: User | AnonymousUser) -> set[int]:
    return {cid for cid, roles in council_roles(user).items() if Role.COUNCIL_ADMIN in roles}
