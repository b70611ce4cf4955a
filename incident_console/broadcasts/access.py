"""Who may see and send an incident's staff broadcasts.

| action | who |
|---|---|
| `view_broadcasts` | council-wide member or participant as lead, responder or staff (never partners) |
| `send_broadcast` | open incident, council admin, incident lead, or a current Gold or Silver holder |
"""

from __future__ import annotations

from rules.rulesets import add_rule

from incident_console.command.access import holds_gold_or_silver
from incident_console.incidents.access import (
    is_council_admin,
    is_council_wide_member,
    is_open,
    leads,
    works_on,
)

RULES = {
    "view_broadcasts": is_council_wide_member | works_on,
    "send_broadcast": is_open & (is_council_admin | leads | holds_gold_or_silver),
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)
