"""Emergency payments: segregation of duties, duplicate warnings, money checks, the state machine,
totals, the CSV export and who may see them."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.payments import services
from incident_console.payments.models import EmergencyPayment, PaymentState
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.conftest import World, form_errors
from tests.contacts.helpers import social_worker
from tests.payments.helpers import a_payment, payment_fields, payment_roles

pytestmark = pytest.mark.django_db


def page(w: World, suffix: str = "") -> str:
    return f"/incidents/{w.incident_a.pk}/payments/{suffix}"


def api_post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json")


# --- Segregation of duties -------------------------------------------------------------------------


def test_the_requester_cannot_authorise_their_own_payment_but_a_second_person_can(world: World) -> None:
    payment = a_payment(world)
    with pytest.raises(ValidationError, match="second person must authorise"):
        services.authorise_payment(payment=payment, actor=world.people["bronze"], expected_version=1)
    with pytest.raises(ValidationError, match="second person"):
        services.reject_payment(
            payment=payment, actor=world.people["bronze"], expected_version=1, reason="No"
        )
    done = services.authorise_payment(payment=payment, actor=world.people["gold"], expected_version=1)
    assert done.state == PaymentState.AUTHORISED
    assert done.authorised_by == world.people["gold"]


def test_the_requester_sees_no_authorise_button_and_posting_it_anyway_is_refused(world: World) -> None:
    payment = a_payment(world)
    client = world.client_for("bronze")
    detail = client.get(page(world, f"{payment.pk}/")).content.decode()
    assert "Authorise payment" not in detail
    assert "a second person must authorise or reject it" in detail
    response = client.post(page(world, f"{payment.pk}/authorise/"), {"authorise-version": "1"})
    assert response.status_code == 200
    assert "You requested this payment, so a second person must authorise it." in response.content.decode()
    payment.refresh_from_db()
    assert payment.state == PaymentState.REQUESTED


def test_the_api_refuses_the_requester_authorising_their_own_payment(world: World) -> None:
    payment = a_payment(world)
    response = api_post(
        world.client_for("bronze"), f"/api/v1/payments/{payment.pk}/authorise/", {"version": 1}
    )
    assert response.status_code == 400
    assert "second person" in json.dumps(response.json())
    ok = api_post(world.client_for("gold"), f"/api/v1/payments/{payment.pk}/authorise/", {"version": 1})
    assert ok.status_code == 200
    assert ok.json()["state"] == "authorised"
    assert ok.json()["authorised_by"] == world.people["gold"].username


def test_the_database_refuses_a_payment_authorised_by_its_requester(world: World) -> None:
    payment = a_payment(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmergencyPayment.objects.filter(pk=payment.pk).update(
            authorised_by=payment.requested_by, authorised_at=now(), state=PaymentState.AUTHORISED
        )


# --- Duplicate warning -----------------------------------------------------------------------------


def test_a_payment_to_the_same_payee_for_the_same_amount_within_7_days_warns(world: World) -> None:
    first = a_payment(world)
    with pytest.raises(services.LikelyDuplicate) as raised:
        services.request_payment(incident=world.incident_a, actor=world.people["gold"], **payment_fields())
    assert raised.value.duplicates == [first]
    assert "duplicate_of" in raised.value.message_dict


def test_the_form_shows_the_not_a_duplicate_checkbox_only_for_a_likely_duplicate(world: World) -> None:
    client = world.client_for("gold")
    payment_roles(world)
    blank = client.get(page(world, "new/")).content.decode()
    assert "I have checked this is not a duplicate" not in blank
    assert client.post(page(world, "new/"), payment_fields()).status_code == 302
    again = client.post(page(world, "new/"), payment_fields())
    html = again.content.decode()
    assert again.status_code == 200
    assert "I have checked this is not a duplicate" in html
    assert "This looks like a duplicate: payment 1" in html
    assert EmergencyPayment.objects.count() == 1
    confirmed = client.post(page(world, "new/"), {**payment_fields(), "confirm_not_duplicate": "on"})
    assert confirmed.status_code == 302
    second = EmergencyPayment.objects.get(number=2)
    assert second.not_duplicate_confirmed is True
    assert second.possible_duplicate_of is not None and second.possible_duplicate_of.number == 1


def test_the_api_answers_400_with_duplicate_of_until_the_duplicate_is_confirmed(world: World) -> None:
    a_payment(world)
    client = world.client_for("gold")
    url = f"/api/v1/incidents/{world.incident_a.pk}/payments/"
    refused = api_post(client, url, payment_fields())
    assert refused.status_code == 400
    assert "duplicate_of" in refused.json()
    saved = api_post(client, url, {**payment_fields(), "confirm_not_duplicate": True})
    assert saved.status_code == 201
    assert saved.json()["not_duplicate_confirmed"] is True


def test_no_warning_8_days_later_or_for_a_different_amount(world: World) -> None:
    first = a_payment(world)
    gold = world.people["gold"]
    other = services.request_payment(
        incident=world.incident_a, actor=gold, **payment_fields(amount="12450.01")
    )
    assert other.not_duplicate_confirmed is False
    EmergencyPayment.objects.filter(pk__in=[first.pk, other.pk]).update(
        requested_at=now() - timedelta(days=8)
    )
    later = services.request_payment(incident=world.incident_a, actor=gold, **payment_fields())
    assert later.possible_duplicate_of is None


def test_a_recent_payment_on_another_incident_of_the_same_council_warns_but_not_another_councils(
    world: World,
) -> None:
    a_payment(world)
    second = factories.incident(world.a, world.people["gold"], title="Second incident")
    with pytest.raises(services.LikelyDuplicate):
        services.request_payment(incident=second, actor=world.people["gold"], **payment_fields())
    elsewhere = services.request_payment(
        incident=world.incident_b, actor=world.people_b["gold"], **payment_fields()
    )
    assert elsewhere.possible_duplicate_of is None


# --- Money -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Enter an amount more than £0.00"),
        ("-5", "Enter an amount more than £0.00"),
        ("12.345", "Enter the amount to the nearest penny, like 250.50"),
        ("twelve", "Enter the amount in pounds and pence, like 250.00"),
        ("", "Enter the amount."),
        ("12345678901", "Enter an amount less than £10,000,000,000"),
    ],
)
def test_the_form_refuses_amounts_that_are_not_pounds_and_pence(
    world: World, typed: str, message: str
) -> None:
    payment_roles(world)
    response = world.client_for("gold").post(page(world, "new/"), payment_fields(amount=typed))
    assert response.status_code == 200
    assert form_errors(response)["amount"] == [message]
    assert not EmergencyPayment.objects.exists()


def test_the_form_accepts_an_amount_typed_with_a_pound_sign_and_commas(world: World) -> None:
    payment_roles(world)
    response = world.client_for("gold").post(page(world, "new/"), payment_fields(amount="£1,250.50"))
    assert response.status_code == 302
    assert EmergencyPayment.objects.get().amount == Decimal("1250.50")


@pytest.mark.parametrize("amount", ["0", "-1", "1.234", "abc", None])
def test_the_api_refuses_bad_amounts_with_a_field_error(world: World, amount: object) -> None:
    payment_roles(world)
    response = api_post(
        world.client_for("gold"),
        f"/api/v1/incidents/{world.incident_a.pk}/payments/",
        payment_fields(amount=amount),
    )
    assert response.status_code == 400
    assert "amount" in response.json()


def test_the_service_and_the_database_refuse_a_zero_amount(world: World) -> None:
    payment_roles(world)
    with pytest.raises(ValidationError):
        services.request_payment(
            incident=world.incident_a, actor=world.people["gold"], **payment_fields(amount="0")
        )
    payment = a_payment(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmergencyPayment.objects.filter(pk=payment.pk).update(amount=Decimal("0"))


# --- State machine ---------------------------------------------------------------------------------


def test_a_payment_goes_requested_authorised_paid_reconciled_and_the_timeline_never_names_the_payee(
    world: World,
) -> None:
    payment = a_payment(world, payee_type="foster_carer", payee_name="Sam Fosterer", amount="250")
    gold = world.client_for("gold")
    bronze = world.client_for("bronze")
    assert gold.post(page(world, f"{payment.pk}/authorise/"), {"authorise-version": "1"}).status_code == 302
    assert bronze.post(page(world, f"{payment.pk}/paid/"), {"paid-version": "2"}).status_code == 302
    missing = bronze.post(page(world, f"{payment.pk}/reconcile/"), {"reconcile-version": "3"})
    assert form_errors(missing)["finance_reference"] == ["Enter the finance system reference."]
    done = bronze.post(
        page(world, f"{payment.pk}/reconcile/"),
        {"reconcile-version": "3", "reconcile-finance_reference": "AP-778812"},
    )
    assert done.status_code == 302
    payment.refresh_from_db()
    assert payment.state == PaymentState.RECONCILED
    assert payment.paid_by == world.people["bronze"]
    assert payment.finance_reference == "AP-778812"
    summaries = list(
        TimelineEvent.objects.filter(incident=world.incident_a, kind__startswith="payment_").values_list(
            "summary", flat=True
        )
    )
    assert "Emergency payment 1 (foster carer, £250.00) authorised" in summaries
    assert len(summaries) == 4
    assert not any("Sam Fosterer" in s for s in summaries)


def test_a_payment_cannot_be_paid_before_it_is_authorised(world: World) -> None:
    payment = a_payment(world)
    with pytest.raises(ValidationError, match="Only an authorised payment can be paid"):
        services.mark_paid(payment=payment, actor=world.people["gold"], expected_version=1)
    response = api_post(
        world.client_for("gold"),
        f"/api/v1/payments/{payment.pk}/reconcile/",
        {"version": 1, "finance_reference": "X1"},
    )
    assert response.status_code == 400


def test_the_authoriser_rejects_a_payment_with_a_reason(world: World) -> None:
    payment = a_payment(world)
    client = world.client_for("gold")
    empty = client.post(page(world, f"{payment.pk}/reject/"), {"reject-version": "1", "reject-reason": ""})
    assert form_errors(empty)["reason"] == ["Say why it is rejected."]
    client.post(
        page(world, f"{payment.pk}/reject/"), {"reject-version": "1", "reject-reason": "Already paid"}
    )
    payment.refresh_from_db()
    assert payment.state == PaymentState.REJECTED
    assert payment.rejection_reason == "Already paid"
    assert payment.rejected_by == world.people["gold"]


def test_a_stale_version_gets_409_on_the_page_and_in_the_api(world: World) -> None:
    payment = a_payment(world)
    services.authorise_payment(payment=payment, actor=world.people["gold"], expected_version=1)
    client = world.client_for("gold")
    response = client.post(page(world, f"{payment.pk}/paid/"), {"paid-version": "1"})
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    api = api_post(client, f"/api/v1/payments/{payment.pk}/paid/", {"version": 1})
    assert api.status_code == 409
    assert api.json()["current_version"] == 2
    with pytest.raises(StaleEditError):
        services.mark_paid(payment=payment, actor=world.people["gold"], expected_version=1)


# --- Totals, CSV and the list ----------------------------------------------------------------------


def test_the_list_page_totals_payments_by_payee_type_and_by_state(world: World) -> None:
    a_payment(world, amount="1000")
    a_payment(world, payee_reference="PRV-2", amount="500.50")
    carer = a_payment(world, payee_type="foster_carer", payee_reference="FC-9", amount="250")
    rejected = a_payment(world, payee_reference="PRV-3", amount="99")
    services.authorise_payment(payment=carer, actor=world.people["gold"], expected_version=1)
    services.reject_payment(payment=rejected, actor=world.people["gold"], expected_version=1, reason="No")
    response = world.client_for("gold").get(page(world))
    totals = response.context["totals"]
    by_type = {t.label: (t.count, t.amount) for t in totals.by_payee_type}
    assert by_type["Provider"] == (2, Decimal("1500.50"))
    assert by_type["Foster carer"] == (1, Decimal("250.00"))
    by_state = {t.label: (t.count, t.amount) for t in totals.by_state}
    assert by_state["Requested"] == (2, Decimal("1500.50"))
    assert by_state["Authorised"] == (1, Decimal("250.00"))
    assert by_state["Rejected"] == (1, Decimal("99.00"))
    assert totals.committed.amount == Decimal("1750.50")
    assert "£1,750.50" in response.content.decode()


def test_the_list_page_costs_the_same_queries_however_many_payments(
    world: World, django_assert_max_num_queries: Any
) -> None:
    a_payment(world)
    client = world.client_for("gold")
    client.get(page(world))
    with django_assert_max_num_queries(20) as first:
        client.get(page(world))
    for i in range(10):
        a_payment(world, payee_reference=f"PRV-X{i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(page(world)).status_code == 200


def test_the_csv_lists_every_payment_and_a_formula_is_not_run(world: World) -> None:
    a_payment(world, payee_name='=HYPERLINK("http://evil")', reason="+cmd")
    response = world.client_for("gold").get(page(world, "export.csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Number"
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'
    assert rows[1][4] == "12450.00"
    assert rows[1][6] == "'+cmd"


# --- Access ----------------------------------------------------------------------------------------


def test_people_without_the_service_user_data_rule_get_403_and_another_council_404(world: World) -> None:
    a_payment(world)
    assert world.client_for("admin").get(page(world)).status_code == 403
    assert world.client_for("dpo").get(page(world)).status_code == 403
    assert world.client_for("gold_b").get(page(world)).status_code == 404
    assert world.client_for("gold").get(page(world)).status_code == 200
    assert (
        world.client_for("gold").get(f"/api/v1/incidents/{world.incident_a.pk}/payments/").status_code == 200
    )
    assert (
        world.client_for("admin").get(f"/api/v1/incidents/{world.incident_a.pk}/payments/").status_code == 403
    )


def test_a_social_worker_sees_payments_but_may_not_request_them_without_a_working_part(world: World) -> None:
    payment = a_payment(world)
    social_worker(world, "staff")
    client = world.client_for("staff")
    listing = client.get(page(world))
    assert listing.status_code == 200
    assert "Meadow Home Care Ltd" in listing.content.decode()
    assert "Request a payment" not in listing.content.decode()
    assert client.get(page(world, "new/")).status_code == 403
    assert client.post(page(world, f"{payment.pk}/authorise/"), {"authorise-version": "1"}).status_code == 403


def test_the_incident_page_links_to_payments_only_for_people_who_may_see_them(world: World) -> None:
    payment_roles(world)
    url = f"/incidents/{world.incident_a.pk}/"
    assert "Emergency payments" in world.client_for("gold").get(url).content.decode()
    assert "Emergency payments" not in world.client_for("admin").get(url).content.decode()


def test_nothing_can_be_requested_on_a_closed_incident(world: World) -> None:
    payment_roles(world)
    from incident_console.incidents.models import Incident, Status

    Incident.objects.filter(pk=world.incident_a.pk).update(status=Status.CLOSED)
    world.incident_a.refresh_from_db()
    assert world.client_for("gold").get(page(world, "new/")).status_code in (403, 404)


def test_a_connected_council_sharing_the_incident_never_sees_its_payments(world: World) -> None:
    from incident_console.accounts.models import Membership, Role

    a_payment(world)
    world.a.connected_councils.add(world.b)
    world.incident_a.shared_with.add(world.b)
    Membership.objects.create(user=world.people_b["bystander"], council=world.b, role=Role.SOCIAL_CARE_ADULTS)
    client = world.client_for("bystander_b")
    assert client.get(f"/incidents/{world.incident_a.pk}/").status_code == 200
    assert client.get(page(world)).status_code == 403
    assert client.get(f"/api/v1/incidents/{world.incident_a.pk}/payments/").status_code == 403


def test_the_time_paid_cannot_be_in_the_future_or_before_authorisation(world: World) -> None:
    payment = a_payment(world)
    services.authorise_payment(payment=payment, actor=world.people["gold"], expected_version=1)
    client = world.client_for("gold")
    url = page(world, f"{payment.pk}/paid/")
    future = client.post(url, {"paid-version": "2", "paid-paid_at": "01/01/2099 09:00"})
    assert form_errors(future)["paid_at"] == ["The time it was paid cannot be in the future."]
    early = client.post(url, {"paid-version": "2", "paid-paid_at": "01/01/2020 09:00"})
    assert "cannot be before it was authorised" in form_errors(early)["paid_at"][0]
    when = (now() - timedelta(minutes=0)).isoformat()
    done = api_post(client, f"/api/v1/payments/{payment.pk}/paid/", {"version": 2, "paid_at": when})
    assert done.status_code == 200
    assert done.json()["state"] == "paid"
