"""A script payload in every priority case text field comes out as literal text, and the CSV export
cannot run a formula."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident_console.lib.time import now
from incident_console.priority_cases.services import record_contact
from tests.access.test_xss import PAYLOAD
from tests.conftest import World
from tests.priority_cases.helpers import a_case


@pytest.mark.django_db
def test_a_script_payload_in_every_priority_case_text_field_is_shown_literally(world: World) -> None:
    gold = world.people["gold"]
    gold.full_name = PAYLOAD
    gold.save()
    case = a_case(
        world,
        reference=PAYLOAD[:100],
        why_at_risk=PAYLOAD,
        notes=PAYLOAD,
        next_contact_due=now() + timedelta(hours=1),
    )
    record_contact(
        case=case,
        actor=gold,
        contacted_at=now() - timedelta(minutes=1),
        contacted_by=gold,
        result="contacted_safe",
        outcome=PAYLOAD,
        next_contact_due=now() + timedelta(hours=2),
    )
    client = world.client_for("gold")
    pk = world.incident_a.pk
    for url in [
        f"/incidents/{pk}/priority-cases/",
        f"/incidents/{pk}/priority-cases/{case.pk}/",
        f"/incidents/{pk}/priority-cases/{case.pk}/edit/",
        f"/incidents/{pk}/timeline/",
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url
    log = world.client_for("dpo").get(f"/incidents/{pk}/priority-cases/access-log/").content.decode()
    assert "<script>alert" not in log and "&lt;script&gt;" in log


@pytest.mark.django_db
def test_the_csv_export_turns_formulas_into_text(world: World) -> None:
    a_case(world, reference="@SUM(A1)", why_at_risk="=cmd|' /C calc'!A0", notes="-2+3")
    body = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/priority-cases/export.csv")
    text = body.content.decode()
    assert "'@SUM(A1)" in text and "'=cmd" in text and "'-2+3" in text
    assert "\n=cmd" not in text and ",=cmd" not in text
