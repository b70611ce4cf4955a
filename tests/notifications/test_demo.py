"""On the demo, reminders climb the ladder on one exercise and find nobody on the other."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from pytest_django import Settings

from incident_console.incidents.demo import load_demo
from incident_console.incidents.models import Incident
from incident_console.lib.time import now
from incident_console.notifications import services
from incident_console.notifications.models import Alert, AlertState, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_overdue_demo_action_climbs_from_bronze_to_silver_to_gold(
    modules: None, settings: Settings
) -> None:
    settings.ESCALATE_AFTER_MINUTES = 2
    report = load_demo(password="demo-password-for-tests-only")
    start = now()
    for minutes in (0, 3, 6):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            services.sweep()

    alert = Alert.objects.get(incident=report.incident, kind="checklist_item_overdue")
    heard = list(alert.notifications.order_by("step").values_list("recipient__username", flat=True))
    assert heard == ["bronze", "silver", "gold"]


def test_the_fernley_exercise_with_nobody_on_call_shows_an_unrouted_alert(modules: None) -> None:
    load_demo(password="demo-password-for-tests-only")
    services.sweep()

    fernley = Incident.objects.get(council__slug="fernley", is_exercise=True)
    alert = Alert.objects.get(incident=fernley)
    assert alert.state == AlertState.UNROUTED
    assert not Notification.objects.filter(alert=alert).exists()
    assert fernley.created_by is not None
    page = factories.signed_in_client(fernley.created_by).get(f"/incidents/{fernley.pk}/").content.decode()
    assert "Nobody could be found to remind" in page
    assert alert.subject in page
