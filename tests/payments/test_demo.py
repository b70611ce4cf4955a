"""On the demo: the three home-care providers and a foster carer's allowance, one paid, one
authorised, and a letter asking to change Brightcare's bank details waiting for the call-back."""

from __future__ import annotations

import pytest

from incident_console.accounts.models import User
from incident_console.incidents.demo import load_demo
from incident_console.incidents.models import Incident
from incident_console.payments.models import ChangeState, EmergencyPayment
from tests import factories


@pytest.mark.django_db
def test_the_demo_tells_the_emergency_payments_story(modules: None) -> None:
    load_demo(password="demo-password-for-tests-only")
    incident = Incident.objects.filter(payments__isnull=False).distinct().get()
    states = sorted(EmergencyPayment.objects.filter(incident=incident).values_list("state", flat=True))
    assert states == ["authorised", "paid", "requested", "requested"]
    change = incident.bank_detail_changes.get()
    assert change.state == ChangeState.AWAITING_CALL_BACK
    silver = factories.signed_in_client(User.objects.get(username="silver"))
    page = silver.get(f"/incidents/{incident.pk}/payments/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Brightcare Home Support" in html and "Unconfirmed bank detail change" in html
    assert "••••9954" in html
    admin = factories.signed_in_client(User.objects.get(username="admin"))
    assert admin.get(f"/incidents/{incident.pk}/payments/").status_code == 403
