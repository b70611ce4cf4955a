"""Reads for emergency payments and bank-detail changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from incident_console.incidents.models import Incident

from .models import BankDetailChange, ChangeState, EmergencyPayment, PayeeType, PaymentState


def payments_for(incident: Incident) -> QuerySet[EmergencyPayment]:
    return EmergencyPayment.objects.filter(incident=incident).select_related(
        "incident", "requested_by", "authorised_by", "rejected_by", "paid_by", "reconciled_by"
    )


def payment_for(incident: Incident, pk: int) -> EmergencyPayment | None:
    return payments_for(incident).select_related("possible_duplicate_of__incident").filter(pk=pk).first()


def changes_for(incident: Incident) -> QuerySet[BankDetailChange]:
    return BankDetailChange.objects.filter(incident=incident).select_related(
        "incident", "requested_by", "call_back_by", "confirmed_by", "rejected_by"
    )


def change_for(incident: Incident, pk: int) -> BankDetailChange | None:
    return changes_for(incident).filter(pk=pk).first()


@dataclass
class Total:
    label: str
    count: int = 0
    amount: Decimal = Decimal("0.00")


@dataclass
class Totals:
    by_payee_type: list[Total] = field(default_factory=list)
    by_state: list[Total] = field(default_factory=list)
    committed: Total = field(default_factory=lambda: Total(""))


def totals(payments: list[EmergencyPayment]) -> Totals:
    """Counts and sums of the payments given, by payee type and by state. Rejected payments count
    in their state but not in the payee-type totals or the total committed."""
    by_type = {value: Total(str(label)) for value, label in PayeeType.choices}
    by_state = {value: Total(str(label)) for value, label in PaymentState.choices}
    committed = Total(str(PaymentState.REQUESTED.label))
    for p in payments:
        by_state[p.state].count += 1
        by_state[p.state].amount += p.amount
        if p.state != PaymentState.REJECTED:
            by_type[p.payee_type].count += 1
            by_type[p.payee_type].amount += p.amount
            committed.count += 1
            committed.amount += p.amount
    return Totals(by_payee_type=list(by_type.values()), by_state=list(by_state.values()), committed=committed)


def unconfirmed_changes_by_payee(changes: list[BankDetailChange]) -> dict[str, list[BankDetailChange]]:
    """Changes not (yet) confirmed, by payee reference (case-insensitive)."""
    found: dict[str, list[BankDetailChange]] = {}
    for change in changes:
        if change.state != ChangeState.CONFIRMED:
            found.setdefault(change.payee_reference.casefold(), []).append(change)
    return found


def bank_warnings(
    payment: EmergencyPayment, unconfirmed: dict[str, list[BankDetailChange]]
) -> list[BankDetailChange]:
    """Unconfirmed bank-detail changes to this payee recorded before the payment was requested."""
    return [
        c
        for c in unconfirmed.get(payment.payee_reference.casefold(), [])
        if c.requested_at <= payment.requested_at
    ]


def with_bank_warnings(
    payments: list[EmergencyPayment], changes: list[BankDetailChange]
) -> list[EmergencyPayment]:
    unconfirmed = unconfirmed_changes_by_payee(changes)
    for payment in payments:
        payment.bank_warnings = bank_warnings(payment, unconfirmed)  # type: ignore[attr-defined]
    return payments
