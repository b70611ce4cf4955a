"""On the demo: the register holds the Thursday referral and court deadline, one item is overdue
on the dashboard, and its reminder climbs from bronze to Silver (adult social care) to Gold."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from pytest_django import Settings

from incident_console.accounts.models import User
from incident_console.incidents.demo import load_demo
from incident_console.lib.time import now
from incident_console.notifications import services
from incident_console.notifications.models import Alert
from incident_console.safeguarding.models import Deadline
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_register_shows_on_the_page_and_the_dashboard_and_escalates(
    modules: None, settings: Settings
) -> None:
    settings.ESCALATE_AFTER_MINUTES = 2
    report = load_demo(password="demo-password-for-tests-only")
    assert report.incident is not None
    assert Deadline.objects.filter(incident=report.incident).count() == 4
    assert Deadline.objects.get(case_reference="FC-2291").due_at.weekday() == 3  # Thursday

    silver = factories.signed_in_client(User.objects.get(username="silver"))
    page = silver.get(f"/incidents/{report.incident.pk}/safeguarding/").content.decode()
    assert "MASH-4412" in page and "Overdue" in page
    assert "MASH-4398" in silver.get("/").content.decode()
    admin = factories.signed_in_client(User.objects.get(username="admin"))
    assert "MASH-4398" not in admin.get("/").content.decode()

    start = now()
    for minutes in (0, 3, 6):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            services.sweep()
    alert = Alert.objects.get(
        source_key=f"deadline:{Deadline.objects.get(case_reference='MASH-4398').pk}",
        kind="safeguarding_deadline_overdue",
    )
    heard = list(alert.notifications.order_by("step").values_list("recipient__username", flat=True))
    assert heard == ["bronze", "silver", "gold"]
