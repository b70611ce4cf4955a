"""A script payload in every safeguarding text field comes out as literal text."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident_console.safeguarding.selectors import rules_for
from incident_console.safeguarding.services import add_deadline, update_rule
from tests.access.test_xss import PAYLOAD
from tests.conftest import World
from tests.safeguarding.helpers import safeguarding_roles, today


@pytest.mark.django_db
def test_a_script_payload_in_every_safeguarding_text_field_is_shown_literally(world: World) -> None:
    safeguarding_roles(world)
    gold, admin = world.people["gold"], world.people["admin"]
    _policy, rules = rules_for(world.a)
    rule = next(r for r in rules if r.kind == "referral_decision")
    update_rule(
        rule=rule,
        actor=admin,
        expected_version=rule.version,
        amount=1,
        unit="working_days",
        start_label=PAYLOAD,
    )
    start = today() - timedelta(days=10)
    item = add_deadline(
        incident=world.incident_a,
        actor=gold,
        kind="referral_decision",
        case_reference=PAYLOAD[:50],
        start_date=start,
        due_on=today(),
        override_reason=PAYLOAD,
        owner=world.people["bronze"],
        note=PAYLOAD,
    )
    incident = world.incident_a.pk
    pages = [
        (world.client_for("gold"), "/"),
        (world.client_for("gold"), f"/incidents/{incident}/safeguarding/"),
        (world.client_for("gold"), f"/incidents/{incident}/safeguarding/new/"),
        (world.client_for("gold"), f"/incidents/{incident}/safeguarding/{item.pk}/"),
        (world.client_for("gold"), f"/incidents/{incident}/safeguarding/{item.pk}/complete/"),
        (world.client_for("admin"), f"/councils/{world.a.pk}/safeguarding-timings/"),
    ]
    for client, url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url
    # The timeline names the kind of item and its due date, never the text typed into it.
    timeline = world.client_for("gold").get(f"/incidents/{incident}/timeline/").content.decode()
    assert "&lt;script&gt;" not in timeline and "<script>alert" not in timeline
    assert f"Safeguarding deadline {item.pk} (referral decision) added" in timeline
