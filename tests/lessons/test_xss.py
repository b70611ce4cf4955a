"""A script payload in every lessons and handover text field comes out as literal text."""

from __future__ import annotations

import pytest

from incident_console.command.services import add_risk
from incident_console.lessons.services import acknowledge_handover, add_lesson, change_lesson_status
from incident_console.recovery.services import add_system
from tests.access.test_xss import ESCAPED, PAYLOAD
from tests.conftest import World
from tests.contacts.helpers import a_contact
from tests.lessons.helpers import a_recovery_handover

pytestmark = pytest.mark.django_db


def test_a_script_payload_in_every_lesson_and_handover_field_is_shown_literally(world: World) -> None:
    gold = world.people["gold"]
    gold.full_name = PAYLOAD
    gold.save()
    incident = world.incident_a
    lesson = add_lesson(
        incident=incident,
        actor=gold,
        what_happened=PAYLOAD,
        learned=PAYLOAD,
        action=PAYLOAD,
        owner=gold,
        category="other",
    )
    change_lesson_status(
        lesson=lesson, actor=gold, expected_version=None, status="not_taken_forward", reason=PAYLOAD
    )
    add_lesson(incident=incident, actor=gold, what_happened=PAYLOAD, learned=PAYLOAD, owner=gold)
    add_risk(
        incident=incident, actor=gold, title=PAYLOAD, likelihood=3, impact=3, mitigations=PAYLOAD, owner=gold
    )
    add_system(incident=incident, actor=gold, name=PAYLOAD, kind="other", services=["other"], owner=gold)
    a_contact(world, is_spoc=True, organisation=PAYLOAD, name=PAYLOAD, role=PAYLOAD)
    handover = a_recovery_handover(world)
    client = world.client_for("gold")
    handover_url = f"/incidents/{incident.pk}/recovery-handovers/{handover.pk}/"
    pages = [
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/lessons/",
        f"/incidents/{incident.pk}/lessons/{lesson.pk}/",
        f"/incidents/{incident.pk}/recovery-handovers/",
        handover_url,
        f"/incidents/{incident.pk}/timeline/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url
    handover_page = client.get(handover_url).content.decode()
    assert handover_page.count(ESCAPED) >= 6  # risk, mitigations, system, SPOC (3), lesson, owners

    acknowledge_handover(handover=handover, actor=gold, note=PAYLOAD)
    acknowledged = client.get(handover_url).content.decode()
    assert "<script>alert" not in acknowledged and ESCAPED in acknowledged
