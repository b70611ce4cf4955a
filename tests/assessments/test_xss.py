"""A script payload typed into every assessment text field comes out as literal text."""

from __future__ import annotations

import pytest

from incident_console.assessments import services
from tests.access.test_xss import ESCAPED, PAYLOAD
from tests.assessments.helpers import an_assessment, content
from tests.conftest import World


@pytest.mark.django_db
def test_a_script_payload_in_every_assessment_text_field_is_shown_literally(world: World) -> None:
    assessment = an_assessment(
        world,
        systems_affected=PAYLOAD,
        data_sets=PAYLOAD,
        consequences=PAYLOAD,
        measures_taken=PAYLOAD,
        measures_proposed=PAYLOAD,
        tell_people="do_not_tell",
        tell_people_exception="disproportionate",
        tell_people_reason=PAYLOAD,
    )
    assessment.title = PAYLOAD[:200]
    assessment.save(update_fields=["title"])
    services.new_version(
        assessment=assessment,
        actor=world.people["siro"],
        expected_version=None,
        change_note=PAYLOAD,
        content=content(
            systems_affected=PAYLOAD,
            data_sets=PAYLOAD,
            consequences=PAYLOAD,
            measures_taken=PAYLOAD,
            measures_proposed=PAYLOAD,
            report_decision="not_reportable",
            decision_reason=PAYLOAD,
            tell_people="do_not_tell",
            tell_people_exception="disproportionate",
            tell_people_reason=PAYLOAD,
        ),
    )
    services.submit(assessment=assessment, actor=world.people["bronze"])
    services.sign_off(assessment=assessment, actor=world.people["dpo"], role="dpo", statement=PAYLOAD)
    client = world.client_for("dpo")
    incident = world.incident_a.pk
    for url in [
        f"/incidents/{incident}/assessments/",
        f"/incidents/{incident}/assessments/verify/",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/edit/",
        f"/assessments/{assessment.pk}/ico-draft/",
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert ESCAPED[:40] in html or "&lt;script&gt;" in html, url
