"""Who may see and change the systems recovery tracker and the external notifications log.

| action | who |
|---|---|
| `view_recovery` | council-wide member or participant as lead, responder or staff (never partners) |
| `manage_systems`, `log_external_notification` | open incident, council admin, lead or responder |
| `set_restore_order` | open incident, council admin, incident lead or the current Gold |
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.rulesets import add_rule

from incident_console.command.access import holds_gold
from incident_console.incidents.access import (
    is_council_admin,
    is_council_wide_member,
    is_open,
    leads,
    responds,
    works_on,
)

if TYPE_CHECKING:
    pass


RULES = {
    "view_recovery": is_council_wide_member | works_on,
    "manage_systems": is_open & (is_council_admin | responds),
    "log_external_notification": is_open & (is_council_admin | responds),
    "set_restore_order": is_open & (is_council_admin | leads | holds_gold),
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)
