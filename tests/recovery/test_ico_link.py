"""A report to the ICO is one fact: logged in the external notifications log and recorded on the
data-loss assessment it is for, whichever way it is entered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident_console.assessments import services as assessments
from incident_console.assessments.clock import ClockState
from incident_console.assessments.models import Assessment
from incident_console.assessments.reminders import IcoClockReminder, _key
from incident_console.assessments.selectors import clocks
from incident_console.lib.errors import ValidationError
from incident_console.lib.time import london, now
from incident_console.recovery.models import ExternalNotification
from incident_console.recovery.services import log_notification
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.assessments.helpers import an_assessment, content
from tests.conftest import World

pytestmark = pytest.mark.django_db


def decided_to_report(w: World) -> Assessment:
    """Council A's assessment, with the SIRO's decision to report to the ICO recorded."""
    return assessments.new_version(
        assessment=an_assessment(w),
        actor=w.people["siro"],
        expected_version=None,
        content=content(report_decision="report"),
    )


def ico_form(w: World, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "body": "ico",
        "notified_at": f"{london(now() - timedelta(minutes=5)):%Y-%m-%dT%H:%M}",
        "told_by": w.people["gold"].pk,
        "method": "online",
        "reference": "IC-445566",
    }
    form.update(changes)
    return form


def host_clock_state(w: World) -> str:
    return next(c.state for c in clocks(w.incident_a) if c.council_id == w.a.pk)


def test_logging_the_ico_linked_to_the_assessment_stops_its_clock_and_the_incident_page_counts_it_told(
    world: World,
) -> None:
    assessment = decided_to_report(world)
    gold = factories.signed_in_client(world.people["gold"])
    url = f"/incidents/{world.incident_a.pk}/external-notifications/new/"
    assert "Case management servers (Northgate Borough Council)" in gold.get(url).content.decode()
    assert host_clock_state(world) != ClockState.REPORTED

    response = gold.post(url, ico_form(world, assessment=assessment.pk))

    assert response.status_code == 302, response.content.decode()[:3000]
    assessment.refresh_from_db()
    assert assessment.current is not None
    assert assessment.current.ico_reference == "IC-445566"
    assert assessment.current.ico_reported_at is not None
    assert host_clock_state(world) == ClockState.REPORTED
    assert IcoClockReminder().settled([_key(world.incident_a.pk, world.a.pk)], now()) == {
        _key(world.incident_a.pk, world.a.pk)
    }
    kinds = set(TimelineEvent.objects.filter(incident=world.incident_a).values_list("kind", flat=True))
    assert {"external_notification_logged", "assessment_reported"} <= kinds
    page = gold.get(f"/incidents/{world.incident_a.pk}/").content.decode()
    warning = page[page.index("Not yet recorded as told:") :][:800]
    assert "Information Commissioner" not in warning and "Police / Action Fraud" in warning
    log = gold.get(f"/incidents/{world.incident_a.pk}/external-notifications/").content.decode()
    assert log.count("Information Commissioner&#x27;s Office (ICO)") == 1
    assert "IC-445566" in log and f"/assessments/{assessment.pk}/" in log


def test_the_ico_must_be_linked_while_an_assessment_the_person_sees_awaits_its_report(world: World) -> None:
    decided_to_report(world)
    response = factories.signed_in_client(world.people["gold"]).post(
        f"/incidents/{world.incident_a.pk}/external-notifications/new/", ico_form(world)
    )
    assert response.status_code == 200
    assert "Choose the data-loss assessment this report is for" in response.content.decode()
    assert not ExternalNotification.objects.exists()


def test_linking_before_the_siro_decides_to_report_is_a_form_error_and_saves_nothing(world: World) -> None:
    assessment = an_assessment(world)
    response = factories.signed_in_client(world.people["gold"]).post(
        f"/incidents/{world.incident_a.pk}/external-notifications/new/",
        ico_form(world, assessment=assessment.pk),
    )
    assert response.status_code == 200
    assert "The SIRO records the decision to report before the report is logged." in response.content.decode()
    assert not ExternalNotification.objects.exists()
    assessment.refresh_from_db()
    assert assessment.current is not None and assessment.current.ico_reported_at is None


def test_someone_who_may_not_record_on_the_assessment_is_told_so_and_nothing_is_saved(world: World) -> None:
    assessment = decided_to_report(world)
    with pytest.raises(ValidationError) as refused:
        log_notification(
            incident=world.incident_a,
            actor=world.people["admin"],
            body="ico",
            notified_at=now() - timedelta(minutes=5),
            told_by=world.people["admin"],
            method="online",
            reference="IC-1",
            assessment=assessment,
        )
    assert "You cannot record the ICO report on this assessment" in str(refused.value.message_dict)
    assert not ExternalNotification.objects.exists()
    assert host_clock_state(world) != ClockState.REPORTED


def test_the_admin_who_cannot_see_assessments_gets_no_choice_and_may_log_the_ico_unlinked(
    world: World,
) -> None:
    decided_to_report(world)
    admin = factories.signed_in_client(world.people["admin"])
    url = f"/incidents/{world.incident_a.pk}/external-notifications/new/"
    assert "Case management servers" not in admin.get(url).content.decode()
    response = admin.post(url, ico_form(world, told_by=world.people["admin"].pk))
    assert response.status_code == 302


def test_an_ico_reference_too_long_for_the_assessment_is_a_form_error(world: World) -> None:
    assessment = decided_to_report(world)
    response = factories.signed_in_client(world.people["gold"]).post(
        f"/incidents/{world.incident_a.pk}/external-notifications/new/",
        ico_form(world, assessment=assessment.pk, reference="R" * 80),
    )
    assert response.status_code == 200
    assert "An ICO case reference has at most 50 characters." in response.content.decode()


def test_an_ico_report_recorded_on_the_assessment_shows_in_the_log_once(world: World) -> None:
    assessment = assessments.new_version(
        assessment=an_assessment(world),
        actor=world.people["siro"],
        expected_version=None,
        content=content(
            report_decision="report", ico_reference="IC-777", ico_reported_at=now() - timedelta(minutes=1)
        ),
    )
    gold = factories.signed_in_client(world.people["gold"])
    log = gold.get(f"/incidents/{world.incident_a.pk}/external-notifications/").content.decode()
    assert log.count("Recorded on the data-loss assessment") == 1
    assert log.count("Information Commissioner&#x27;s Office (ICO): Northgate Borough Council") == 1
    assert f"/assessments/{assessment.pk}/" in log
    assert "IC-777" not in log

    bronze_log = factories.signed_in_client(world.people["staff"]).get(
        f"/incidents/{world.incident_a.pk}/external-notifications/"
    )
    assert bronze_log.status_code == 200
    page = bronze_log.content.decode()
    assert "Recorded on the data-loss assessment" in page
    assert f"/assessments/{assessment.pk}/" not in page, "staff may not open the assessment"


def test_the_api_links_an_ico_report_to_an_assessment(world: World) -> None:
    assessment = decided_to_report(world)
    client = world.client_for("gold")
    response = client.post(
        f"/api/v1/incidents/{world.incident_a.pk}/external-notifications/",
        {
            "body": "ico",
            "method": "online",
            "notified_at": (now() - timedelta(minutes=2)).isoformat(),
            "reference": "IC-9",
            "assessment": assessment.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["assessment"] == assessment.pk
    assert host_clock_state(world) == ClockState.REPORTED
