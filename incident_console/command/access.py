"""Who may see and change an incident's command structure, decision log, risks and battle rhythm.

The rules join `incidents.access` (registered as `incidents.<action>`), so pages call the same
`access.can` and `access.require` as everything else inside an incident.

| action | who |
|---|---|
| `view_command` | council-wide member or participant as lead, responder or staff (never partners) |
| `assign_roles`, `manage_rhythm` | open incident, council admin or incident lead |
| `record_decision` | open incident, council admin, incident lead, or a current Gold or Silver holder |
| `manage_risks`, `mark_rhythm_held` | open incident, council admin, lead or responder participant |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.predicates import predicate
from rules.rulesets import add_rule

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

from .models import Assignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User
    from incident_console.incidents.models import Incident


def current_roles(user: User | AnonymousUser, incident: Incident) -> list[tuple[str, str, int]]:
    """The command roles this person holds in the incident now, as (tier, cell, council id): one
    query per incident, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cache: dict[int, list[tuple[str, str, int]]] = user.__dict__.setdefault("_command_roles_cache", {})
    if incident.pk not in cache:
        cache[incident.pk] = list(
            Assignment.objects.filter(incident=incident, user=user, relinquished_at__isnull=True).values_list(
                "tier", "cell", "council_id"
            )
        )
    return cache[incident.pk]


def holds_command_role(*tiers: str) -> Any:
    """A predicate: the person holds one of these command tiers in the incident now."""

    @predicate(f"holds_{'_or_'.join(tiers)}")
    def holds(user: User, obj: Any) -> bool:
        return any(tier in tiers for tier, _cell, _council in current_roles(user, _incident_of(obj)))

    return holds


holds_gold_or_silver = holds_command_role(Tier.GOLD, Tier.SILVER)
holds_gold = holds_command_role(Tier.GOLD)


RULES = {
    "view_command": is_council_wide_member | works_on,
    "assign_roles": is_open & (is_council_admin | leads),
    "manage_rhythm": is_open & (is_council_admin | leads),
    "record_decision": is_open & (is_council_admin | leads | holds_gold_or_silver),
    "manage_risks": is_open & (is_council_admin | responds),
    "mark_rhythm_held": is_open & (is_council_admin | responds | holds_gold_or_silver),
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)
