"""Who may see and change emergency payments and bank-detail changes.

Payments name individuals (direct-payment recipients, foster carers), so seeing them follows the
service-user data rule (incidents.sensitivity). Another council's incident answers 404.

| action | who |
|---|---|
| `view_payments` | may see the incident's service-user data |
| `manage_payments` | also: open incident, council admin, lead or responder |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.predicates import predicate
from rules.rulesets import add_rule

from incident_console.incidents.access import (
    is_council_admin,
    is_open,
    responds,
    row_for,
)
from incident_console.incidents.models import Incident
from incident_console.incidents.sensitivity import may_see_service_user_data

from .models import BankDetailChange, EmergencyPayment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


@predicate
def sees_service_user_data(user: User, obj: Any) -> bool:
    incident = obj if isinstance(obj, Incident) else obj.incident
    return may_see_service_user_data(user, incident)


RULES = {
    "view_payments": sees_service_user_data,
    "manage_payments": sees_service_user_data & is_open & (is_council_admin | responds),
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)


def payment_for(user: User | AnonymousUser, pk: int, action: str = "view_payments") -> EmergencyPayment:
    """The payment with this id for an API call: 404 unless the person may see its incident,
    AccessDenied unless they may do ``action``."""
    return row_for(user, EmergencyPayment.objects.select_related("requested_by", "authorised_by"), pk, action)


def change_for(user: User | AnonymousUser, pk: int, action: str = "view_payments") -> BankDetailChange:
    """The bank-detail change with this id for an API call, as ``payment_for``."""
    return row_for(user, BankDetailChange.objects.select_related("requested_by"), pk, action)
