"""Who may see and download an incident's archive exports, and who may reset or purge.

Rules join `incidents.access` (registered as `incidents.<action>`):

- `view_archives` (the archive page, progress, downloads): the council admin, the incident's
  leads, and the council's DPO and SIRO. Never partners or staff; responders only as leads;
- `download_archive` (the ZIP itself): it holds manual case records, payments to people,
  safeguarding deadlines and priority cases, so only the council's DPO and SIRO (who keep the
  record) and people holding a council-level social care role, among those who may see archives;
- `purge_incident`, `reset_exercise`: council admin only.

Purge records are listed per council to its council admins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.predicates import predicate
from rules.rulesets import add_rule

from incident_console.accounts.models import Role
from incident_console.incidents.access import _incident_of, council_roles, is_council_admin, leads

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


@predicate
def is_dpo_or_siro(user: User, obj: Any) -> bool:
    roles = council_roles(user).get(_incident_of(obj).council_id, frozenset())
    return bool(roles & {Role.DPO, Role.SIRO})


@predicate
def has_social_care_role(user: User, obj: Any) -> bool:
    from incident_console.incidents.sensitivity import social_care_council_ids

    return _incident_of(obj).council_id in social_care_council_ids(user)


RULES = {
    "view_archives": is_council_admin | leads | is_dpo_or_siro,
    "download_archive": (is_council_admin | leads | is_dpo_or_siro) & (is_dpo_or_siro | has_social_care_role),
    "purge_incident": is_council_admin,
    "reset_exercise": is_council_admin,
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)


def admin_council_ids(user: User | AnonymousUser) -> list[int]:
    """Councils whose purge records this person may read (council admins only)."""
    return sorted(cid for cid, roles in council_roles(user).items() if Role.COUNCIL_ADMIN in roles)
