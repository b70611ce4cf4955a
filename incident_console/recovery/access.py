"""Who may see and change the systems recovery tracker and the external notifications log.

| action | who |
|---|---|
| `view_recovery` | council-wide member or participant as lead, responder or staff (never partners) |
| `manage_systems`, `log_external_notification` | open incident, council admin, lead or responder |
| `set_restore_order` | open incident, council admin, incident lead or the current Gold |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.predicates import predicate
from rules.rulesets import add_rule

from incident_console.command.models import Assignment
from incident_console.incidents.access import (
    _incident_of,
    is_council_admin,
    is_council_wide_member,
    is_open,
    leads,
    responds,
    works_on,
)
from incident_console.lib.choices import Tier

if TYPE_CHECKING:
    from incident_console.accounts.models import User


@predicate
def holds_gold(user: User, obj: Any) -> bool:
    if not user.is_authenticated:
        return False
    return Assignment.objects.filter(
        incident=_incident_of(obj), user=user, tier=Tier.GOLD, relinquished_at__isnull=True
    ).exists()


RULES = {
    "view_recovery": is_council_wide_member | works_on,
    "manage_systems": is_open & (is_council_admin | responds),
    "log_external_notification": is_open & (is_council_admin | responds),
    "set_restore_order": is_open & (is_council_admin | leads | holds_gold),
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)
