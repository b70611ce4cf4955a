"""Building blocks for emergency payments tests."""

from __future__ import annotations

from typing import Any

from incident_console.command.models import Assignment
from incident_console.command.services import assign_role
from incident_console.payments.models import BankDetailChange, EmergencyPayment
from incident_console.payments.services import (
    authorise_payment,
    record_call_back,
    request_bank_change,
    request_payment,
)
from tests.conftest import World


def payment_roles(w: World) -> None:
    """gold holds Gold and bronze holds Silver in the adult social care cell on council A's
    incident: both may see payments and, taking part as lead and responder, make them."""
    if Assignment.objects.filter(incident=w.incident_a, relinquished_at__isnull=True).exists():
        return
    gold = w.people["gold"]
    assign_role(incident=w.incident_a, actor=gold, user=gold, tier="gold")
    assign_role(
        incident=w.incident_a, actor=gold, user=w.people["bronze"], tier="silver", cell="adult_social_care"
    )


def payment_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "payee_type": "provider",
        "payee_reference": "PRV-1001",
        "payee_name": "Meadow Home Care Ltd",
        "amount": "12450.00",
        "method": "bacs",
        "reason": "Weekly home-care invoice; finance system down.",
    }
    fields.update(changes)
    return fields


def a_payment(w: World, requester: str = "bronze", **changes: Any) -> EmergencyPayment:
    """A payment requested by bronze (or ``requester``) on council A's incident."""
    payment_roles(w)
    existing = EmergencyPayment.objects.filter(incident=w.incident_a).first()
    if existing is not None and not changes and requester == "bronze":
        return existing
    return request_payment(incident=w.incident_a, actor=w.people[requester], **payment_fields(**changes))


def an_authorised_payment(w: World) -> EmergencyPayment:
    """Requested by the council admin and authorised by gold: version 2."""
    payment = a_payment(w, requester="admin")
    return authorise_payment(payment=payment, actor=w.people["gold"], expected_version=1)


def change_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "payee_reference": "PRV-1001",
        "payee_name": "Meadow Home Care Ltd",
        "sort_code": "30-94-57",
        "account_number": "00733445",
        "received_via": "letter",
    }
    fields.update(changes)
    return fields


def a_change(w: World, requester: str = "bronze", **changes: Any) -> BankDetailChange:
    """A bank detail change recorded by bronze (or ``requester``) on council A's incident, awaiting
    a call-back."""
    payment_roles(w)
    existing = BankDetailChange.objects.filter(incident=w.incident_a).first()
    if existing is not None and not changes and requester == "bronze":
        return existing
    return request_bank_change(incident=w.incident_a, actor=w.people[requester], **change_fields(**changes))


def a_called_back_change(w: World) -> BankDetailChange:
    """Recorded by the council admin, call-back confirmed it: awaiting a second person, version 2."""
    change = a_change(w, requester="admin")
    return record_call_back(
        change=change,
        actor=w.people["admin"],
        expected_version=1,
        known_number_source="contacts_register",
        known_number="01632 960 001",
        number_held_before=True,
        outcome="confirmed",
    )
