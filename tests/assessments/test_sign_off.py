"""Sign-off: segregation of duties, the roles needed, versions and the SHA-256 of what was signed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from incident_console.assessments import selectors, services
from incident_console.assessments.models import Assessment, AssessmentVersion, SignOff
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.assessments.helpers import an_assessment, content, submitted_assessment
from tests.conftest import World

pytestmark = pytest.mark.django_db


def current(assessment: Assessment) -> AssessmentVersion:
    assert assessment.current is not None
    return assessment.current


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return dict(excinfo.value.message_dict)


def test_the_author_of_a_version_cannot_sign_it_off_even_holding_the_dpo_role(world: World) -> None:
    dpo = world.people["dpo"]
    assessment = services.create_assessment(
        incident=world.incident_a, council=world.a, actor=dpo, title="Written by the DPO", content=content()
    )
    services.submit(assessment=assessment, actor=dpo)
    with pytest.raises(ValidationError) as excinfo:
        services.sign_off(assessment=assessment, actor=dpo, role="dpo", statement="I advise reporting.")
    assert "You wrote this version" in errors_of(excinfo)["role"][0]
    assert not SignOff.objects.exists()


def test_silver_cannot_sign_off_as_the_dpo(world: World) -> None:
    assessment = submitted_assessment(world)
    silver = factories.person(world.a, username="a-silver")
    with pytest.raises(ValidationError) as excinfo:
        services.sign_off(assessment=assessment, actor=silver, role="dpo", statement="Looks fine.")
    assert "do not hold" in errors_of(excinfo)["role"][0]
    # Nor can the DPO of another council.
    with pytest.raises(ValidationError):
        services.sign_off(assessment=assessment, actor=world.people_b["dpo"], role="dpo", statement="Fine.")
    assert not SignOff.objects.exists()


def test_the_silver_page_and_api_refuse_to_let_silver_sign_as_dpo(world: World) -> None:
    assessment = submitted_assessment(world)
    author = world.client_for("bronze")  # bronze holds Silver and wrote it
    page = author.post(f"/assessments/{assessment.pk}/sign-off/", {"role": "dpo", "statement": "Fine"})
    api = author.post(
        f"/api/v1/assessments/{assessment.pk}/sign-off/",
        {"role": "dpo", "statement": "Fine"},
        content_type="application/json",
    )
    assert page.status_code == 403
    assert api.status_code == 403
    assert not SignOff.objects.exists()


def test_dpo_and_caldicott_sign_off_care_data_and_only_then_it_is_signed_off(world: World) -> None:
    assessment = submitted_assessment(world)
    services.sign_off(assessment=assessment, actor=world.people["dpo"], role="dpo", statement="Report it.")
    assessment.refresh_from_db()
    assert assessment.state == "submitted", "care data needs the Caldicott guardian too"
    signed = services.sign_off(
        assessment=assessment, actor=world.people["caldicott"], role="caldicott", statement="Tell families."
    )
    assessment.refresh_from_db()
    assert assessment.state == "signed_off"
    assert signed.content_hash == current(assessment).content_hash()
    assert len(signed.content_hash) == 64
    kinds = list(TimelineEvent.objects.filter(incident=world.incident_a).values_list("kind", flat=True))
    assert kinds.count("assessment_signed_off") == 2


def test_without_care_data_the_dpo_alone_signs_off_and_caldicott_is_not_asked(world: World) -> None:
    assessment = an_assessment(world, data_categories=["financial", "contact"])
    services.submit(assessment=assessment, actor=world.people["bronze"])
    with pytest.raises(ValidationError):
        services.sign_off(
            assessment=assessment, actor=world.people["caldicott"], role="caldicott", statement="x"
        )
    services.sign_off(assessment=assessment, actor=world.people["dpo"], role="dpo", statement="Report it.")
    assessment.refresh_from_db()
    assert assessment.state == "signed_off"


def test_a_change_after_sign_off_is_a_new_version_and_old_sign_offs_do_not_cover_it(world: World) -> None:
    assessment = submitted_assessment(world)
    services.sign_off(assessment=assessment, actor=world.people["dpo"], role="dpo", statement="Report it.")
    assessment.refresh_from_db()
    first = current(assessment)
    changed = services.new_version(
        assessment=assessment,
        actor=world.people["bronze"],
        expected_version=assessment.version,
        content=content(people_affected=5000),
        change_note="More people found",
    )
    assert current(changed).number == 2
    assert changed.state == "draft"
    assert AssessmentVersion.objects.get(pk=first.pk).people_affected == 4200, "version 1 kept as signed"
    rows = selectors.versions(changed)
    old_sign_off = rows[1].sign_offs.all()[0]
    assert old_sign_off.matches is True  # type: ignore[attr-defined]
    assert old_sign_off.covers_current is False  # type: ignore[attr-defined]
    page = world.client_for("dpo").get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Does not cover the current version" in page


def test_the_author_can_return_nothing_but_a_returned_assessment_goes_back_with_comments(
    world: World,
) -> None:
    assessment = submitted_assessment(world)
    services.return_assessment(
        assessment=assessment, actor=world.people["dpo"], role="dpo", statement="Numbers of carers missing."
    )
    assessment.refresh_from_db()
    assert assessment.state == "returned"
    assert SignOff.objects.get().outcome == "returned"
    services.submit(assessment=assessment, actor=world.people["bronze"])


def test_editing_a_signed_field_in_the_database_is_named_by_verify(world: World) -> None:
    assessment = submitted_assessment(world)
    dpo_sign = services.sign_off(assessment=assessment, actor=world.people["dpo"], role="dpo", statement="Ok")
    cal_sign = services.sign_off(
        assessment=assessment, actor=world.people["caldicott"], role="caldicott", statement="Ok"
    )
    out = StringIO()
    call_command("verify_signoffs", stdout=out)
    assert "All 2 sign-offs match" in out.getvalue()

    AssessmentVersion.objects.filter(pk=current(assessment).pk).update(people_affected=12)

    mismatches = selectors.verify_sign_offs()
    assert {m.sign_off.pk for m in mismatches} == {dpo_sign.pk, cal_sign.pk}
    err = StringIO()
    with pytest.raises(CommandError, match="2 of 2 sign-offs no longer match"):
        call_command("verify_signoffs", stdout=StringIO(), stderr=err)
    assert f"sign-off {dpo_sign.pk} (dpo, a-dpo" in err.getvalue()
    assert f"sign-off {cal_sign.pk} (caldicott, a-caldicott" in err.getvalue()
    page = world.client_for("dpo").get(f"/incidents/{world.incident_a.pk}/assessments/verify/")
    text = page.content.decode()
    assert page.status_code == 200
    assert ("No longer matches" in text and "a-caldicott" in text) or "Caldicott" in text


def test_a_version_row_cannot_be_saved_over(world: World) -> None:
    version = current(an_assessment(world))
    version.people_affected = 1
    with pytest.raises(ValueError):
        version.save()


def test_a_stale_edit_is_refused_and_nothing_is_lost(world: World) -> None:
    assessment = an_assessment(world)
    seen = assessment.version
    services.new_version(
        assessment=assessment, actor=world.people["dpo"], expected_version=seen, content=content(likelihood=5)
    )
    with pytest.raises(StaleEditError):
        services.new_version(
            assessment=assessment,
            actor=world.people["bronze"],
            expected_version=seen,
            content=content(severity=2),
        )
    assessment.refresh_from_db()
    assert current(assessment).likelihood == 5 and current(assessment).severity == 5
    assert assessment.versions.count() == 2
