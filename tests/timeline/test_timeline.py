from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from incident_console.incidents.models import Status
from incident_console.incidents.services import transition_incident
from incident_console.timeline.models import AppendOnlyError, TimelineEvent
from incident_console.timeline.selectors import verify_all
from tests import factories
from tests.timeline import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident():
    council = factories.council(slug="northgate")
    lead = factories.person(council)
    inc = factories.incident(council, lead, services_affected=[])
    transition_incident(incident=inc, actor=lead, to_status=Status.RESPONSE)
    transition_incident(incident=inc, actor=lead, to_status=Status.RECOVERY)  # records the handover too
    return inc


def test_events_are_numbered_and_each_carries_the_hash_of_the_one_before(incident):
    events = list(TimelineEvent.objects.filter(incident=incident).order_by("sequence"))
    assert [e.sequence for e in events] == [1, 2, 3, 4]
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    assert events[3].previous_hash == events[2].hash


def test_the_model_refuses_to_change_or_delete_an_event(incident):
    event = TimelineEvent.objects.filter(incident=incident).order_by("sequence")[0]
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(incident=incident).update(summary="rewritten")


def test_the_database_refuses_an_update_that_bypasses_the_model(incident):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_timelineevent SET summary = 'rewritten'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM timeline_timelineevent")
    assert TimelineEvent.objects.filter(incident=incident).count() == 4


def test_verify_timeline_says_ok_for_an_untouched_chain(incident, capsys):
    call_command("verify_timeline")
    assert capsys.readouterr().out.strip() == "ok"


def test_verify_timeline_names_the_first_edited_row(incident, capsys):
    second = TimelineEvent.objects.get(incident=incident, sequence=2)
    with tamper.triggers_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE timeline_timelineevent SET summary = %s WHERE id = %s",
            ["Status quietly changed", second.pk],
        )
    with pytest.raises(CommandError):
        call_command("verify_timeline")
    out = capsys.readouterr().out
    assert f"incident {incident.pk}: first broken row is sequence 2" in out
    assert "content does not match its hash" in out


def test_verify_detects_a_removed_row(incident):
    first = TimelineEvent.objects.get(incident=incident, sequence=1)
    with tamper.triggers_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM timeline_timelineevent WHERE id = %s", [first.pk])
    broken = verify_all()
    assert len(broken) == 1
    assert broken[0].sequence == 2
