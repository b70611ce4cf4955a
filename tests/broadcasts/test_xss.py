"""A script payload in a broadcast comes out as literal text on every page that shows it."""

from __future__ import annotations

import pytest

from incident_console.broadcasts.services import send_broadcast
from incident_console.notifications import services as notifications
from incident_console.notifications.models import Notification
from tests.access.test_xss import PAYLOAD
from tests.conftest import World


@pytest.mark.django_db
def test_a_script_payload_in_a_broadcast_is_shown_literally(world: World) -> None:
    message = PAYLOAD[:140]
    broadcast = send_broadcast(
        incident=world.incident_a, actor=world.people["gold"], audience="responders", message=message
    )
    notifications.sweep()
    assert Notification.objects.filter(alert__kind="broadcast").exists()
    incident = world.incident_a
    for key, url in [
        ("gold", f"/incidents/{incident.pk}/broadcasts/"),
        ("gold", f"/incidents/{incident.pk}/broadcasts/{broadcast.pk}/"),
        ("gold", f"/incidents/{incident.pk}/timeline/"),
        ("bronze", "/notifications/"),
    ]:
        html = world.client_for(key).get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html or "&lt;img" in html, url
