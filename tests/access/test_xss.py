"""A script payload typed into every free-text field comes out as literal text on every page."""

from __future__ import annotations

import pytest

from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.guidance.services import add_item, update_item
from incident_console.incidents.services import transition_incident, update_incident
from tests.conftest import World

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.mark.django_db
def test_a_script_payload_in_every_text_field_is_shown_literally(world: World) -> None:
    gold = world.people["gold"]
    gold.full_name = PAYLOAD
    gold.save()
    incident = update_incident(
        incident=world.incident_a, actor=gold, expected_version=None, title=PAYLOAD, summary=PAYLOAD
    )
    item = ChecklistItem.objects.filter(checklist__incident=incident).first()
    assert item is not None
    update_item(
        item=item,
        actor=gold,
        expected_version=None,
        status=ItemStatus.NOT_APPLICABLE,
        not_applicable_reason=PAYLOAD,
        note=PAYLOAD,
        owner=gold,
    )
    custom = add_item(checklist=item.checklist, actor=gold, title=PAYLOAD)
    transition_incident(incident=incident, actor=gold, to_status="response")
    client = world.client_for("gold")
    pages = [
        "/",
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/timeline/",
        f"/incidents/{incident.pk}/edit/",
        f"/actions/{item.pk}/",
        f"/actions/{custom.pk}/",
        f"/incidents/{incident.pk}/actions/new/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert PAYLOAD not in html, url
        assert "<script>alert" not in html, url
        assert ESCAPED in html or "&lt;script&gt;" in html, url
    api = client.get(f"/api/v1/incidents/{incident.pk}/")
    assert api["Content-Type"] == "application/json"
    assert api.json()["title"] == PAYLOAD


@pytest.mark.django_db
def test_a_script_payload_in_rota_text_is_shown_literally(world: World) -> None:
    from datetime import timedelta

    from incident_console.lib.time import now
    from incident_console.rotas.services import add_override
    from tests import factories

    gold = world.people["gold"]
    gold.full_name = PAYLOAD
    gold.save()
    rota = factories.rota(world.a, [gold, world.people["staff"]], name=PAYLOAD, owner=gold)
    add_override(
        rota=rota, actor=gold, user=gold, start=now(), end=now() + timedelta(hours=2), reason=PAYLOAD
    )
    client = world.client_for("gold")
    for url in [
        "/rotas/",
        f"/rotas/{rota.pk}/",
        "/rotas/mine/",
        f"/rotas/{rota.pk}/overrides/new/",
        f"/rotas/{rota.pk}/hours/",
        f"/rotas/{rota.pk}/swaps/new/",
        f"/rotas/{rota.pk}/import/",
    ]:
        html = client.get(url).content.decode()
        assert PAYLOAD not in html, url
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;" in html, url
