"""A script payload typed into every command text field comes out as literal text."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident_console.command.models import Handover
from incident_console.command.services import add_rhythm_entry, add_risk, assign_role, record_decision
from incident_console.lib.time import now
from tests.access.test_xss import ESCAPED, PAYLOAD
from tests.conftest import World


@pytest.mark.django_db
def test_a_script_payload_in_every_command_text_field_is_shown_literally(world: World) -> None:
    gold = world.people["gold"]
    incident = world.incident_a
    assign_role(incident=incident, actor=gold, user=world.people["bronze"], tier="silver", cell=PAYLOAD[:60])
    add_risk(incident=incident, actor=gold, title=PAYLOAD, likelihood=2, impact=2, mitigations=PAYLOAD)
    assign_role(
        incident=incident,
        actor=gold,
        user=gold,
        tier="silver",
        cell=PAYLOAD[:60],
        situation=PAYLOAD,
        decisions_pending=PAYLOAD,
    )
    record_decision(
        incident=incident,
        actor=gold,
        decision_maker=gold,
        decided_at=now() - timedelta(minutes=1),
        maker_role=PAYLOAD[:120],
        decision=PAYLOAD,
        rationale=PAYLOAD,
        options_considered=PAYLOAD,
        information=PAYLOAD,
        risks=PAYLOAD,
        informed=PAYLOAD,
    )
    add_rhythm_entry(incident=incident, actor=gold, kind="gold", title=PAYLOAD, times=["00:00"], weekdays=[])
    handover = Handover.objects.get()
    client = world.client_for("gold")
    pages = [
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/command/",
        f"/incidents/{incident.pk}/command/handovers/{handover.pk}/",
        f"/incidents/{incident.pk}/decisions/",
        f"/incidents/{incident.pk}/decisions/print/",
        f"/incidents/{incident.pk}/risks/",
        f"/incidents/{incident.pk}/battle-rhythm/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert ESCAPED[:40] in html or "&lt;script&gt;" in html, url
