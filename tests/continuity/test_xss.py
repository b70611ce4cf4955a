"""A script payload in every manual record text field comes out as literal text."""

from __future__ import annotations

import pytest

from incident_console.continuity.models import RecordState
from incident_console.continuity.services import enter_record, return_record
from tests.access.test_xss import PAYLOAD
from tests.conftest import World
from tests.continuity.helpers import a_record, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def test_a_script_payload_in_every_manual_record_text_field_is_shown_literally(world: World) -> None:
    entry = a_record(
        world,
        RecordState.ENTERED,
        case_reference=PAYLOAD[:100],
        summary=PAYLOAD,
        attachment=upload(f"{PAYLOAD[:40]}.pdf", pdf_bytes()),
        attachment_name=f"{PAYLOAD[:40]}.pdf",
        attachment_size=len(pdf_bytes()),
    )
    entry = return_record(
        entry=entry, actor=world.people["gold"], expected_version=entry.version, reason=PAYLOAD
    )
    enter_record(
        entry=entry,
        actor=world.people["staff"],
        expected_version=entry.version,
        system_reference=PAYLOAD[:100],
    )
    client = world.client_for("gold")
    incident = world.incident_a
    for url in [
        f"/incidents/{incident.pk}/manual-records/",
        f"/incidents/{incident.pk}/manual-records/?state=all",
        f"/incidents/{incident.pk}/manual-records/{entry.pk}/",
        f"/incidents/{incident.pk}/timeline/",
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    page = client.get(f"/incidents/{incident.pk}/manual-records/{entry.pk}/").content.decode()
    assert "&lt;script&gt;" in page
