from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.html import escape

from incident_console.incidents import services
from incident_console.incidents.models import Outcome, Status
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.timeline.models import TimelineEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return factories.council(slug="northgate", reference_prefix="CYB")


@pytest.fixture
def lead(council):
    return factories.person(council)


def kinds(incident):
    return list(TimelineEvent.objects.filter(incident=incident).values_list("kind", flat=True))


def test_declaring_an_incident_gives_it_the_next_reference_for_the_council_and_year(council, lead):
    first = factories.incident(council, lead)
    second = factories.incident(council, lead)
    year = now().year
    assert first.reference == f"CYB-{year}-001"
    assert second.reference == f"CYB-{year}-002"


def test_each_council_numbers_its_own_incidents(council, lead):
    other = factories.council(slug="fernley", reference_prefix="FDC")
    factories.incident(council, lead)
    theirs = factories.incident(other)
    assert theirs.reference.endswith("-001")
    assert theirs.reference.startswith("FDC-")


def test_declaring_records_a_timeline_event_and_makes_the_declarer_lead(council, lead):
    incident = factories.incident(council, lead, services_affected=[])
    assert kinds(incident) == ["incident_declared"]
    assert incident.participations.get().user == lead


def test_aware_time_in_the_future_is_refused_with_a_message(council, lead):
    with pytest.raises(ValidationError) as error:
        factories.incident(council, lead, aware_at=now() + timedelta(hours=1))
    assert "aware_at" in error.value.message_dict


def test_incident_moves_forward_through_response_recovery_and_closed(council, lead):
    incident = factories.incident(council, lead, services_affected=[])
    for target in (Status.RESPONSE, Status.RECOVERY, Status.CLOSED):
        incident = services.transition_incident(incident=incident, actor=lead, to_status=target)
    assert incident.status == Status.CLOSED
    assert incident.outcome == Outcome.RESOLVED
    assert incident.closed_at is not None
    assert kinds(incident).count("incident_status_changed") == 3


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ([], Status.RECOVERY),
        ([], Status.CLOSED),
        ([Status.RESPONSE], Status.DECLARED),
        ([Status.RESPONSE], Status.CLOSED),
        ([Status.RESPONSE, Status.RECOVERY, Status.CLOSED], Status.RESPONSE),
    ],
)
def test_moves_outside_the_lifecycle_are_refused_with_the_reason(council, lead, start, target):
    incident = factories.incident(council, lead, services_affected=[])
    for step in start:
        incident = services.transition_incident(incident=incident, actor=lead, to_status=step)
    before = incident.status
    with pytest.raises(ValidationError) as error:
        services.transition_incident(incident=incident, actor=lead, to_status=target)
    assert "cannot move from" in error.value.message_dict["to_status"][0]
    incident.refresh_from_db()
    assert incident.status == before


def test_recovery_can_go_back_to_response_only_with_a_reason(council, lead):
    incident = factories.incident(council, lead, services_affected=[])
    for step in (Status.RESPONSE, Status.RECOVERY):
        incident = services.transition_incident(incident=incident, actor=lead, to_status=step)
    with pytest.raises(ValidationError) as error:
        services.transition_incident(incident=incident, actor=lead, to_status=Status.RESPONSE)
    assert "reason" in error.value.message_dict
    incident = services.transition_incident(
        incident=incident, actor=lead, to_status=Status.RESPONSE, reason="Second encryption wave found"
    )
    assert incident.status == Status.RESPONSE
    last = TimelineEvent.objects.filter(incident=incident).order_by("-sequence")[0]
    assert last.data["reason"] == "Second encryption wave found"


def test_standing_down_as_a_false_alarm_closes_with_the_reason_recorded(council, lead):
    incident = factories.incident(council, lead, services_affected=[])
    with pytest.raises(ValidationError):
        services.stand_down(incident=incident, actor=lead, reason="  ")
    incident = services.stand_down(incident=incident, actor=lead, reason="Encrypted files were a test share")
    assert incident.status == Status.CLOSED
    assert incident.outcome == Outcome.FALSE_ALARM
    assert kinds(incident)[-1] == "incident_stood_down"


def test_an_incident_in_recovery_cannot_be_stood_down_as_a_false_alarm(council, lead):
    incident = factories.incident(council, lead, services_affected=[])
    for step in (Status.RESPONSE, Status.RECOVERY):
        incident = services.transition_incident(incident=incident, actor=lead, to_status=step)
    with pytest.raises(ValidationError):
        services.stand_down(incident=incident, actor=lead, reason="Not an attack")


def test_editing_with_a_stale_version_is_refused_and_changes_nothing(council, lead):
    incident = factories.incident(council, lead, services_affected=[])
    services.update_incident(incident=incident, actor=lead, expected_version=1, title="First edit")
    with pytest.raises(StaleEditError):
        services.update_incident(incident=incident, actor=lead, expected_version=1, title="Second edit")
    incident.refresh_from_db()
    assert incident.title == "First edit"
    assert incident.version == 2


def test_sharing_is_only_allowed_with_connected_councils(council, lead):
    stranger = factories.council(slug="faraway")
    with pytest.raises(ValidationError) as error:
        factories.incident(council, lead, shared_with=[stranger])
    assert "shared_with" in error.value.message_dict
    friend = factories.council(slug="fernley")
    council.connected_councils.add(friend)
    incident = factories.incident(council, lead, shared_with=[friend])
    assert list(incident.shared_with.all()) == [friend]


def test_declaring_an_incident_affecting_social_care_applies_both_modules(modules, council, lead):
    incident = factories.incident(council, lead)
    slugs = sorted(incident.checklists.values_list("module__slug", flat=True))
    assert slugs == ["adult-social-care", "childrens-social-care"]
    counts = {c.module.slug: c.items.count() for c in incident.checklists.all()}
    assert counts == {"adult-social-care": 9, "childrens-social-care": 12}


def test_a_lead_adds_a_person_who_then_sees_the_incident_and_removing_them_hides_it_again(council, lead):
    from incident_console.accounts.models import Role

    incident = factories.incident(council, lead, services_affected=[])
    worker = factories.person(council, Role.STAFF)
    client, theirs = factories.signed_in_client(lead), factories.signed_in_client(worker)
    assert theirs.get(f"/incidents/{incident.pk}/").status_code == 404
    page = client.get(f"/incidents/{incident.pk}/people/").content.decode()
    assert escape(worker.display_name) in page  # names like O'Neill are HTML-escaped
    assert (
        client.post(f"/incidents/{incident.pk}/people/", {"user": worker.pk, "role": "staff"}).status_code
        == 302
    )
    assert theirs.get(f"/incidents/{incident.pk}/").status_code == 200
    assert client.post(f"/incidents/{incident.pk}/people/{worker.pk}/remove/").status_code == 302
    assert theirs.get(f"/incidents/{incident.pk}/").status_code == 404
    assert kinds(incident)[-2:] == ["participant_added", "participant_removed"]


def test_adding_a_person_from_another_council_is_refused_with_a_form_error(council, lead):
    incident = factories.incident(council, lead, services_affected=[])
    outsider = factories.person(factories.council(slug="elsewhere"))
    client = factories.signed_in_client(lead)
    response = client.post(f"/incidents/{incident.pk}/people/", {"user": outsider.pk, "role": "responder"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not incident.participations.filter(user=outsider).exists()


def test_the_timeline_page_shows_newest_first_in_pages_of_a_hundred(council, lead):
    from incident_console.timeline.services import record

    incident = factories.incident(council, lead, services_affected=[])
    for i in range(120):
        record(incident=incident, kind="note", actor=lead, summary=f"Event number {i}")
    client = factories.signed_in_client(lead)
    first = client.get(f"/incidents/{incident.pk}/timeline/").content.decode()
    assert "Event number 119" in first
    assert "Event number 10<" not in first
    assert "Page 1 of 2" in first
    second = client.get(f"/incidents/{incident.pk}/timeline/?page=2").content.decode()
    assert "Event number 10<" in second
    assert client.get(f"/incidents/{incident.pk}/timeline/?page=banana").status_code == 200
