"""The exercise incident's emergency payments and bank-detail change, from fixtures/demo.yaml.
Everything goes through the services, so the timeline is real."""

from __future__ import annotations

from typing import Any

from incident_console.accounts.models import User
from incident_console.incidents.models import Incident

from .services import authorise_payment, mark_paid, request_bank_change, request_payment


def load_payments_demo(*, incident: Incident, people: dict[str, User], spec: dict[str, Any]) -> None:
    # The change comes first: the payment to the same payee afterwards shows the warning.
    for row in spec.get("bank_detail_changes", []):
        request_bank_change(
            incident=incident,
            actor=people[row["requested_by"]],
            payee_reference=row["payee_reference"],
            payee_name=row["payee_name"],
            sort_code=row["sort_code"],
            account_number=row["account_number"],
            received_via=row["received_via"],
            notes=row.get("notes", ""),
        )
    for row in spec.get("payments", []):
        payment = request_payment(
            incident=incident,
            actor=people[row["requested_by"]],
            payee_type=row["payee_type"],
            payee_reference=row["payee_reference"],
            payee_name=row["payee_name"],
            amount=row["amount"],
            method=row["method"],
            reason=row["reason"],
        )
        if row.get("authorised_by"):
            payment = authorise_payment(
                payment=payment, actor=people[row["authorised_by"]], expected_version=payment.version
            )
        if row.get("paid_by"):
            payment = mark_paid(
                payment=payment, actor=people[row["paid_by"]], expected_version=payment.version
            )
