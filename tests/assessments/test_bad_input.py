"""Bad input: a message per field, nothing saved half-way, 409 on stale edits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident_console.assessments import services
from incident_console.assessments.models import Assessment, AssessmentVersion
from incident_console.lib.errors import ValidationError
from incident_console.lib.time import now
from tests.assessments.helpers import an_assessment, command_roles, content
from tests.conftest import World

pytestmark = pytest.mark.django_db


def create(world: World, actor: str = "bronze", **overrides: object) -> dict[str, list[str]]:
    command_roles(world)
    with pytest.raises(ValidationError) as excinfo:
        services.create_assessment(
            incident=world.incident_a,
            council=world.a,
            actor=world.people[actor],
            title="Servers",
            content=content(**overrides),
        )
    return dict(excinfo.value.message_dict)


def test_negative_absurd_and_out_of_range_numbers_each_get_a_message_and_nothing_is_saved(
    world: World,
) -> None:
    errors = create(world, people_affected=-3, records_affected=10**12, likelihood=0, severity=9)
    assert errors["people_affected"] == ["The number cannot be negative."]
    assert "100,000,000" in errors["records_affected"][0]
    assert "from 1 to 5" in errors["likelihood"][0]
    assert "from 1 to 5" in errors["severity"][0]
    assert not Assessment.objects.exists()
    assert not AssessmentVersion.objects.exists()


def test_a_breach_needs_at_least_one_nature(world: World) -> None:
    assert "nature" in create(world, nature=[])
    assert "nature" in create(world, nature=["made_up"])


def test_only_the_siro_records_the_decision_and_only_the_dpo_the_advice(world: World) -> None:
    errors = create(world, report_decision="report", dpo_advice="report")
    assert "SIRO" in errors["report_decision"][0]
    assert "data protection officer" in errors["dpo_advice"][0]


def test_deciding_not_to_report_or_against_the_dpo_needs_a_reason(world: World) -> None:
    assessment = an_assessment(world)
    services.new_version(
        assessment=assessment,
        actor=world.people["dpo"],
        expected_version=None,
        content=content(dpo_advice="report"),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.new_version(
            assessment=assessment,
            actor=world.people["siro"],
            expected_version=None,
            content=content(dpo_advice="report", report_decision="not_reportable"),
        )
    assert "not to report" in excinfo.value.message_dict["decision_reason"][0]


def test_not_telling_people_needs_the_exception_relied_on_and_reasons(world: World) -> None:
    errors = create(world, tell_people="do_not_tell")
    assert "exception" in errors["tell_people_exception"][0]
    assert "reasons" in errors["tell_people_reason"][0]


def test_a_report_before_awareness_is_refused(world: World) -> None:
    assessment = an_assessment(world)
    with pytest.raises(ValidationError) as excinfo:
        services.new_version(
            assessment=assessment,
            actor=world.people["siro"],
            expected_version=None,
            content=content(
                report_decision="report",
                decision_reason="Agreed",
                ico_reference="IC-1",
                ico_reported_at=world.incident_a.aware_at - timedelta(minutes=1),
            ),
        )
    assert "before the council became aware" in excinfo.value.message_dict["ico_reported_at"][0]
    assert assessment.versions.count() == 1


def test_reporting_after_72_hours_needs_the_reasons(world: World) -> None:
    world.incident_a.aware_at = now() - timedelta(hours=80)
    world.incident_a.save(update_fields=["aware_at"])
    assessment = an_assessment(world)
    reported = content(
        report_decision="report",
        decision_reason="Agreed",
        ico_reference="IC-2",
        ico_reported_at=now() - timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.new_version(
            assessment=assessment, actor=world.people["siro"], expected_version=None, content=reported
        )
    assert "more than 72 hours" in excinfo.value.message_dict["late_reason"][0]
    services.new_version(
        assessment=assessment,
        actor=world.people["siro"],
        expected_version=None,
        content={**reported, "late_reason": "Extent unclear until forensic report."},
    )


def test_the_form_shows_field_errors_and_keeps_what_was_typed(world: World) -> None:
    command_roles(world)
    client = world.client_for("bronze")
    response = client.post(
        f"/incidents/{world.incident_a.pk}/assessments/new/",
        {
            "title": "Servers",
            "council": world.a.pk,
            "nature": ["confidentiality"],
            "people_affected": "-5",
            "likelihood": "7",
            "severity": "3",
            "exfiltration": "assumed",
            "consequences": "Kept text",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "people_affected" in errors and "likelihood" in errors
    assert "Kept text" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_stale_page_edit_gets_409_and_the_api_too(world: World) -> None:
    assessment = an_assessment(world)
    stale = assessment.version
    services.submit(assessment=assessment, actor=world.people["bronze"])
    client = world.client_for("bronze")
    data = {**content(), "title": "Servers", "version": stale, "nature": ["confidentiality"]}
    page = client.post(f"/assessments/{assessment.pk}/edit/", data)
    assert page.status_code == 409
    api = client.patch(
        f"/api/v1/assessments/{assessment.pk}/",
        {"version": stale, "likelihood": 2},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert assessment.versions.count() == 1
