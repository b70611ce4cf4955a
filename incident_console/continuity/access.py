"""Who may see and reconcile manual records, and who may let an incident close without them.

Manual records name service users, so they follow the one sensitivity rule
(`incidents.sensitivity.may_see_service_user_data`): a council-level social care role in the
incident's council, or Gold or a social care cell role in its command structure, whatever the
base role. Everyone else who may see the incident gets 403; people who may not see the incident
get 404.

| action | who |
|---|---|
| `view_manual_records` | may see service-user data on the incident |
| `add_manual_record`, `reconcile_manual_record` | open incident, and may see service-user data |
| `override_close_guard` | open incident, the current Gold of the incident's own council (no deputy) |

Verifying (or returning) a record also needs someone other than the person who entered it:
`may_verify`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.predicates import predicate
from rules.rulesets import add_rule

from incident_console.incidents.access import _incident_of, can, is_open
from incident_console.incidents.sensitivity import may_see_service_user_data

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User

    from .models import ManualRecord


@predicate
def sees_service_user_data(user: User, obj: Any) -> bool:
    return may_see_service_user_data(user, _incident_of(obj))


@predicate
def holds_incident_gold(user: User, obj: Any) -> bool:
    """The person is Gold for the incident's own council now (cached per request on the user)."""
    if not user.is_authenticated:
        return False
    from incident_console.command.models import Assignment
    from incident_console.lib.choices import Tier

    incident = _incident_of(obj)
    cache: dict[int, bool] = user.__dict__.setdefault("_incident_gold_cache", {})
    if incident.pk not in cache:
        cache[incident.pk] = Assignment.objects.filter(
            incident=incident,
            council_id=incident.council_id,
            user=user,
            tier=Tier.GOLD,
            cell="",
            is_deputy=False,
            relinquished_at__isnull=True,
        ).exists()
    return cache[incident.pk]


RULES = {
    "view_manual_records": sees_service_user_data,
    "add_manual_record": is_open & sees_service_user_data,
    "reconcile_manual_record": is_open & sees_service_user_data,
    "override_close_guard": is_open & holds_incident_gold,
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)


def may_verify(user: User | AnonymousUser, record: ManualRecord) -> bool:
    """Verify or return an entered record: a second person, never the one who entered it."""
    return record.entered_by_id != user.pk and can(user, "reconcile_manual_record", record.incident)
