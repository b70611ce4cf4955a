"""A script payload in every payments text field comes out as literal text."""

from __future__ import annotations

import pytest

from incident_console.payments import services
from tests.access.test_xss import PAYLOAD
from tests.conftest import World
from tests.payments.helpers import a_change, a_payment


@pytest.mark.django_db
def test_a_script_payload_in_every_payments_text_field_is_shown_literally(world: World) -> None:
    payment = a_payment(world, payee_reference=PAYLOAD[:100], payee_name=PAYLOAD, reason=PAYLOAD)
    rejected = a_payment(world, payee_reference="R-1", payee_name=PAYLOAD, reason=PAYLOAD)
    services.reject_payment(payment=rejected, actor=world.people["gold"], expected_version=1, reason=PAYLOAD)
    change = a_change(world, payee_reference=PAYLOAD[:100], payee_name=PAYLOAD, notes=PAYLOAD)
    services.record_call_back(
        change=change,
        actor=world.people["gold"],
        expected_version=1,
        known_number_source="contract",
        known_number="01632 960 001",
        number_held_before=True,
        outcome="not_confirmed",
        notes=PAYLOAD,
    )
    incident = world.incident_a
    client = world.client_for("gold")
    for url in [
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/payments/",
        f"/incidents/{incident.pk}/payments/{payment.pk}/",
        f"/incidents/{incident.pk}/payments/{rejected.pk}/",
        f"/incidents/{incident.pk}/bank-detail-changes/{change.pk}/",
        f"/incidents/{incident.pk}/timeline/",
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    for url in [
        f"/incidents/{incident.pk}/payments/",
        f"/incidents/{incident.pk}/payments/{payment.pk}/",
        f"/incidents/{incident.pk}/payments/{rejected.pk}/",
        f"/incidents/{incident.pk}/bank-detail-changes/{change.pk}/",
    ]:
        assert "&lt;script&gt;" in client.get(url).content.decode(), url
