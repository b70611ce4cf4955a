"""A script payload in every recovery text field comes out as literal text."""

from __future__ import annotations

import pytest

from incident_console.lib.time import now
from incident_console.recovery.services import add_system, log_notification, record_not_needed
from tests.access.test_xss import PAYLOAD
from tests.conftest import World


@pytest.mark.django_db
def test_a_script_payload_in_every_recovery_text_field_is_shown_literally(world: World) -> None:
    gold = world.people["gold"]
    incident = world.incident_a
    system = add_system(
        incident=incident, actor=gold, name=PAYLOAD, kind="other", services=["other"], notes=PAYLOAD
    )
    log_notification(
        incident=incident,
        actor=gold,
        body="other",
        name=PAYLOAD,
        notified_at=now(),
        told_by=gold,
        method="phone",
        reference=PAYLOAD[:100],
        notes=PAYLOAD,
    )
    record_not_needed(incident=incident, actor=gold, body="insurer", reason=PAYLOAD, decided_by=gold)
    client = world.client_for("gold")
    for url in [
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/systems/",
        f"/incidents/{incident.pk}/systems/{system.pk}/",
        f"/incidents/{incident.pk}/systems/order/",
        f"/incidents/{incident.pk}/external-notifications/",
        f"/incidents/{incident.pk}/timeline/",
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url
