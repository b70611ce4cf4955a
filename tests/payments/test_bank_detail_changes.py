"""Bank-detail changes: a call-back on a number held before the request, then a second person."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from incident_console.lib.errors import ValidationError
from incident_console.lib.time import now
from incident_console.payments import services
from incident_console.payments.models import BankDetailChange, ChangeState, EmergencyPayment
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World, form_errors
from tests.contacts.helpers import social_worker
from tests.payments.helpers import a_change, a_payment, change_fields, payment_roles

pytestmark = pytest.mark.django_db


def page(w: World, suffix: str = "") -> str:
    return f"/incidents/{w.incident_a.pk}/bank-detail-changes/{suffix}"


def call_back(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "call_back-version": "1",
        "call_back-known_number_source": "contacts_register",
        "call_back-known_number": "01632 960 001",
        "call_back-number_held_before": "on",
        "call_back-outcome": "confirmed",
    }
    fields.update(changes)
    return fields


def test_a_change_is_recorded_awaiting_a_call_back_and_the_account_number_is_masked_on_the_list(
    world: World,
) -> None:
    payment_roles(world)
    client = world.client_for("bronze")
    response = client.post(page(world, "new/"), change_fields())
    assert response.status_code == 302
    change = BankDetailChange.objects.get()
    assert change.state == ChangeState.AWAITING_CALL_BACK
    assert change.sort_code == "309457"
    listing = client.get(f"/incidents/{world.incident_a.pk}/payments/").content.decode()
    assert "••••3445" in listing
    assert "00733445" not in listing
    detail = client.get(page(world, f"{change.pk}/")).content.decode()
    assert "00733445" in detail
    assert "30-94-57" in detail
    event = TimelineEvent.objects.get(incident=world.incident_a, kind="bank_change_requested")
    assert "Meadow" not in event.summary


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("sort_code", "12345", "Enter a sort code of 6 digits, like 30-94-57"),
        ("sort_code", "ab-cd-ef", "Enter a sort code of 6 digits, like 30-94-57"),
        ("account_number", "1234567", "Enter an account number of 8 digits, like 00733445"),
        ("account_number", "1234567x", "Enter an account number of 8 digits, like 00733445"),
    ],
)
def test_sort_codes_and_account_numbers_are_checked(
    world: World, field: str, typed: str, message: str
) -> None:
    payment_roles(world)
    response = world.client_for("bronze").post(page(world, "new/"), change_fields(**{field: typed}))
    assert form_errors(response)[field] == [message]
    api = world.client_for("bronze").post(
        f"/api/v1/incidents/{world.incident_a.pk}/bank-detail-changes/",
        data=json.dumps(change_fields(**{field: typed})),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()[field] == [message]


def test_the_api_masks_the_account_number(world: World) -> None:
    change = a_change(world)
    data = world.client_for("gold").get(f"/api/v1/bank-detail-changes/{change.pk}/").json()
    assert data["account_number"] == "••••3445"


def test_someone_who_may_only_look_sees_the_account_number_masked_on_the_detail_page(world: World) -> None:
    change = a_change(world)
    social_worker(world, "staff")
    detail = world.client_for("staff").get(page(world, f"{change.pk}/")).content.decode()
    assert "••••3445" in detail
    assert "00733445" not in detail
    assert "Record the call-back" not in detail


def test_the_call_back_must_use_a_uk_number_held_before_the_request(world: World) -> None:
    change = a_change(world)
    client = world.client_for("bronze")
    response = client.post(
        page(world, f"{change.pk}/call-back/"),
        call_back(**{"call_back-known_number": "not a phone", "call_back-number_held_before": ""}),
    )
    errors = form_errors(response)
    assert errors["known_number"] == [
        "Enter the UK phone number you called, like 01632 960 001 or 07700 900 123."
    ]
    assert errors["number_held_before"] == [
        "Call back only on a number held before the request arrived, never one given in the request."
    ]
    change.refresh_from_db()
    assert change.state == ChangeState.AWAITING_CALL_BACK


def test_a_confirmed_call_back_then_a_second_person_makes_the_change_usable(world: World) -> None:
    change = a_change(world)
    bronze = world.client_for("bronze")
    assert bronze.post(page(world, f"{change.pk}/call-back/"), call_back()).status_code == 302
    change.refresh_from_db()
    assert change.state == ChangeState.AWAITING_CONFIRMATION
    assert change.call_back_by == world.people["bronze"]
    assert change.known_number == "01632 960 001"
    # The person who recorded the change may not confirm it.
    assert "a second person must confirm it" in bronze.get(page(world, f"{change.pk}/")).content.decode()
    refused = bronze.post(page(world, f"{change.pk}/confirm/"), {"confirm-version": "2"})
    assert "You recorded this change, so a second person must confirm it." in refused.content.decode()
    gold = world.client_for("gold")
    assert gold.post(page(world, f"{change.pk}/confirm/"), {"confirm-version": "2"}).status_code == 302
    change.refresh_from_db()
    assert change.state == ChangeState.CONFIRMED
    assert change.confirmed_by == world.people["gold"]


def test_a_change_cannot_be_confirmed_before_a_call_back_confirmed_it(world: World) -> None:
    change = a_change(world)
    with pytest.raises(ValidationError, match="call-back confirmed"):
        services.confirm_bank_change(change=change, actor=world.people["gold"], expected_version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        BankDetailChange.objects.filter(pk=change.pk).update(state=ChangeState.CONFIRMED)


def test_the_database_refuses_a_change_confirmed_by_the_person_who_recorded_it(world: World) -> None:
    change = a_change(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        BankDetailChange.objects.filter(pk=change.pk).update(confirmed_by=change.requested_by)


def test_a_call_back_that_does_not_confirm_rejects_the_change_and_warns_on_the_payments_page(
    world: World,
) -> None:
    change = a_change(world)
    client = world.client_for("bronze")
    client.post(page(world, f"{change.pk}/call-back/"), call_back(**{"call_back-outcome": "not_confirmed"}))
    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED
    listing = client.get(f"/incidents/{world.incident_a.pk}/payments/").content.decode()
    assert "was rejected: possible payment diversion fraud" in listing
    event = TimelineEvent.objects.filter(incident=world.incident_a, kind="bank_change_call_back").get()
    assert "NOT confirmed" in event.summary


def test_payments_made_after_an_unconfirmed_change_show_a_warning_until_it_is_confirmed(world: World) -> None:
    before = a_payment(world)
    EmergencyPayment.objects.filter(pk=before.pk).update(requested_at=now() - timedelta(days=10))
    change = a_change(world)
    after = a_payment(world, amount="99.99")
    gold = world.client_for("gold")
    listing = gold.get(f"/incidents/{world.incident_a.pk}/payments/")
    assert [p.pk for p in listing.context["warned"]] == [after.pk]
    detail = gold.get(f"/incidents/{world.incident_a.pk}/payments/{after.pk}/").content.decode()
    assert "bank detail change (number 1) that is not confirmed" in detail
    api = gold.get(f"/api/v1/payments/{after.pk}/").json()
    assert api["unconfirmed_bank_changes"] == [change.pk]
    services.record_call_back(
        change=change,
        actor=world.people["bronze"],
        expected_version=1,
        known_number_source="finance_record",
        known_number="07700 900 123",
        number_held_before=True,
        outcome="confirmed",
    )
    services.confirm_bank_change(change=change, actor=world.people["gold"], expected_version=2)
    assert gold.get(f"/incidents/{world.incident_a.pk}/payments/").context["warned"] == []


def test_the_api_runs_the_whole_check_and_answers_409_on_a_stale_version(world: World) -> None:
    payment_roles(world)
    bronze = world.client_for("bronze")
    gold = world.client_for("gold")

    def post(client: Any, url: str, data: dict[str, Any]) -> Any:
        return client.post(url, data=json.dumps(data), content_type="application/json")

    created = post(bronze, f"/api/v1/incidents/{world.incident_a.pk}/bank-detail-changes/", change_fields())
    assert created.status_code == 201
    pk = created.json()["id"]
    body = {
        "version": 1,
        "known_number_source": "contract",
        "known_number": "01632 960 001",
        "number_held_before": True,
        "outcome": "confirmed",
    }
    assert post(bronze, f"/api/v1/bank-detail-changes/{pk}/call-back/", body).status_code == 200
    assert post(gold, f"/api/v1/bank-detail-changes/{pk}/confirm/", {"version": 1}).status_code == 409
    assert post(bronze, f"/api/v1/bank-detail-changes/{pk}/confirm/", {"version": 2}).status_code == 400
    done = post(gold, f"/api/v1/bank-detail-changes/{pk}/confirm/", {"version": 2})
    assert done.status_code == 200
    assert done.json()["state"] == "confirmed"


def test_a_change_can_be_rejected_with_a_reason(world: World) -> None:
    change = a_change(world)
    gold = world.client_for("gold")
    empty = gold.post(page(world, f"{change.pk}/reject/"), {"reject-version": "1", "reject-reason": ""})
    assert form_errors(empty)["reason"] == ["Say why it is rejected."]
    gold.post(
        page(world, f"{change.pk}/reject/"), {"reject-version": "1", "reject-reason": "Letterhead forged"}
    )
    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED
    assert change.rejection_reason == "Letterhead forged"
