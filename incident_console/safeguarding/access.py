"""Who may see and change safeguarding critical timings.

The register names service users by their local case reference, so it follows the one rule for
service-user data (incidents.sensitivity): people who may see the incident but not that data get
403, people who may not see the incident get 404.

| action | who |
|---|---|
| `view_deadlines` | may see service-user data on the incident, and is a council-wide member or works on it |
| `manage_deadlines` | the above, on an open incident, as council admin, lead or responder |
| council timings | council admins of that council (`may_manage_timings`) |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.predicates import predicate
from rules.rulesets import add_rule

from incident_console.accounts.models import Role
from incident_console.incidents.access import (
    council_roles,
    is_council_admin,
    is_council_wide_member,
    is_open,
    responds,
    works_on,
)
from incident_console.incidents.sensitivity import may_see_service_user_data

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


@predicate
def sees_service_user_data(user: User, obj: Any) -> bool:
    from incident_console.incidents.models import Incident

    incident = obj if isinstance(obj, Incident) else obj.incident
    return may_see_service_user_data(user, incident)


RULES = {
    "view_deadlines": (is_council_wide_member | works_on) & sees_service_user_data,
    "manage_deadlines": is_open & (is_council_admin | responds) & sees_service_user_data,
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)


def member_council_ids(user: User | AnonymousUser) -> set[int]:
    return set(council_roles(user))


def may_manage_timings(user: User | AnonymousUser, council_id: int) -> bool:
    """Council admins set their council's timescales."""
    return Role.COUNCIL_ADMIN in council_roles(user).get(council_id, frozenset())


def timing_councils(user: User | AnonymousUser) -> list[tuple[int, str]]:
    """(id, name) of the councils whose timescales this person sets, by name. No query once the
    person's roles are known."""
    roles = council_roles(user)
    names: dict[int, str] = getattr(user, "_council_names_cache", {})
    return sorted(
        ((cid, names.get(cid, "")) for cid, held in roles.items() if Role.COUNCIL_ADMIN in held),
        key=lambda row: row[1],
    )
