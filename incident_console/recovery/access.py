"""Who may see and change the systems recovery tracker and the external notifications log.

| action | who |
|---|---|
| `view_recovery` | council-wide member or participant as lead, responder or staff (never partners) |
| `manage_systems` | open incident, council admin, lead or responder |
| `log_external_notification` | as `manage_systems`, and the DPO or SIRO of an incident's council |
| `set_restore_order` | open incident, council admin, incident lead or the current Gold |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.predicates import predicate
from rules.rulesets import add_rule

from incident_console.accounts.models import Role
from incident_console.assessments.access import incident_councils
from incident_console.command.access import holds_gold
from incident_console.incidents.access import (
    _incident_of,
    council_roles,
    is_council_admin,
    is_council_wide_member,
    is_open,
    leads,
    responds,
    works_on,
)

if TYPE_CHECKING:
    from incident_console.accounts.models import User

ICO_REPORTERS = frozenset({Role.DPO, Role.SIRO})


@predicate
def reports_to_the_ico(user: User, obj: Any) -> bool:
    """The DPO or SIRO of one of the incident's councils: they tell the ICO, so they log it."""
    roles = council_roles(user)
    return any(roles.get(cid, frozenset()) & ICO_REPORTERS for cid in incident_councils(_incident_of(obj)))


RULES = {
    "view_recovery": is_council_wide_member | works_on,
    "manage_systems": is_open & (is_council_admin | responds),
    "log_external_notification": is_open & (is_council_admin | responds | reports_to_the_ico),
    "set_restore_order": is_open & (is_council_admin | leads | holds_gold),
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)
