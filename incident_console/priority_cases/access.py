"""Who may see and keep the priority cases list of an incident.

| action | who |
|---|---|
| `view_priority_cases` | the sensitivity rule (incidents/sensitivity.py), see below |
| `manage_priority_cases` | the same people, while the incident is open |
| `read_priority_case_access_log` | the council's DPO and Caldicott guardian |

The sensitivity rule: a council-level social care role in the incident's council, or Gold or a
social care cell role held now on this open incident.
People who may see the incident but not the list get 403; another council's incident gives 404.
"""

from __future__ import annotations

from typing import Any

from rules.predicates import predicate
from rules.rulesets import add_rule

from incident_console.accounts.models import Role
from incident_console.incidents.access import _incident_of, council_roles, is_open
from incident_console.incidents.sensitivity import may_see_service_user_data

LOG_READERS = frozenset({Role.DPO, Role.CALDICOTT})


@predicate
def sees_service_user_data(user: Any, obj: Any) -> bool:
    return may_see_service_user_data(user, _incident_of(obj))


@predicate
def reads_access_log(user: Any, obj: Any) -> bool:
    return bool(council_roles(user).get(_incident_of(obj).council_id, frozenset()) & LOG_READERS)


RULES = {
    "view_priority_cases": sees_service_user_data,
    "manage_priority_cases": is_open & sees_service_user_data,
    "read_priority_case_access_log": reads_access_log,
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)
