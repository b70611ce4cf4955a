"""Who may see and change the lessons log and the handover from response to recovery.

| action | who |
|---|---|
| `view_lessons`, `view_recovery_handover` | council-wide member or lead, responder, staff (not partners) |
| `manage_lessons` | open incident: council admin, lead or responder; closed: council admin or lead |
| `acknowledge_recovery_handover`, `refresh_recovery_handover` | council admin, lead or current Gold |
"""

from __future__ import annotations

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

RULES = {
    "view_lessons": is_council_wide_member | works_on,
    "manage_lessons": (is_open & (is_council_admin | responds)) | (~is_open & (is_council_admin | leads)),
    "view_recovery_handover": is_council_wide_member | works_on,
    "acknowledge_recovery_handover": is_council_admin | leads | holds_gold,
    "refresh_recovery_handover": is_council_admin | leads | holds_gold,
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)
