"""Purging and resetting exercises: the only place the append-only guard is lifted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from incident_console.closure import services
from incident_console.closure.models import ArchiveJob, PurgeKind, PurgeRecord
from incident_console.command.models import Decision
from incident_console.incidents.models import Incident, Participation, Status
from incident_console.lib.time import now
from incident_console.reports.models import PdfJob, Sitrep
from incident_console.timeline.models import TimelineEvent
from tests.closure.helpers import an_eventful_exercise, close, latest_archive
from tests.conftest import World

pytestmark = pytest.mark.django_db


def raw_delete_timeline(incident: Incident) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM timeline_timelineevent WHERE incident_id = %s", [incident.pk])


def raw_delete_decisions(incident: Incident) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM command_decision WHERE incident_id = %s", [incident.pk])


def test_purge_refuses_a_real_incident_inside_retention_with_a_clear_message(world: World) -> None:
    real = world.incident_b
    with pytest.raises(ValidationError) as open_error:
        services.purge_incident(incident=real, actor=world.people_b["admin"], reason="Tidy up")
    assert "after it has closed and its retention period has passed" in str(open_error.value)
    real.status, real.closed_at, real.retain_until = Status.CLOSED, now(), now() + timedelta(days=10)
    real.save()
    with pytest.raises(ValidationError) as kept:
        services.purge_incident(incident=real, actor=world.people_b["admin"], reason="Tidy up")
    assert f"{real.reference} is a real incident kept until" in str(kept.value)
    assert "cannot be purged before then" in str(kept.value)
    assert Incident.objects.filter(pk=real.pk).exists()
    assert not PurgeRecord.objects.exists()


def test_a_real_incident_whose_retention_has_passed_can_be_purged(world: World) -> None:
    real = world.incident_b
    real.status, real.closed_at, real.retain_until = Status.CLOSED, now(), now() - timedelta(days=1)
    real.save()
    purged = services.purge_incident(incident=real, actor=world.people_b["admin"], reason="Six years on")
    assert purged.was_exercise is False
    assert not Incident.objects.filter(pk=real.pk).exists()


def test_purging_an_exercise_removes_its_rows_and_files_and_leaves_the_record(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    incident = close(world, an_eventful_exercise(world))
    job = latest_archive(incident)
    services.build_job(job_id=job.pk)
    job.refresh_from_db()
    files = [Path(job.file.path)] + [Path(p.file.path) for p in PdfJob.objects.filter(incident=incident)]
    assert all(f.exists() for f in files)
    reference, title = incident.reference, incident.title
    events = TimelineEvent.objects.filter(incident=incident).count()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        purged = services.purge_incident(
            incident=incident, actor=world.people["admin"], reason="Exercise Cygnet finished"
        )

    connection.check_constraints()  # nothing left pointing at a removed row
    assert not Incident.objects.filter(pk=incident.pk).exists()
    for model in (TimelineEvent, Decision, Sitrep, PdfJob, ArchiveJob, Participation):
        assert not model._base_manager.filter(incident_id=incident.pk).exists()
    assert not any(f.exists() for f in files)
    record = PurgeRecord.objects.get()
    assert record == purged
    assert (record.incident_reference, record.incident_title) == (reference, title)
    assert record.kind == PurgeKind.PURGE and record.was_exercise
    assert record.purged_by == world.people["admin"] and record.reason == "Exercise Cygnet finished"
    assert record.counts["timeline.TimelineEvent"] == events
    assert record.counts["command.Decision"] == 1
    assert record.counts["incidents.Incident"] == 1
    # The other council's incident is untouched.
    assert TimelineEvent.objects.filter(incident=world.incident_b).exists()


def test_the_append_only_guard_still_refuses_ordinary_deletes_before_and_after_a_purge(world: World) -> None:
    a_decision_incident = an_eventful_exercise(world)
    with pytest.raises(DatabaseError):
        raw_delete_timeline(world.incident_b)
    with pytest.raises(DatabaseError):
        raw_delete_decisions(a_decision_incident)
    services.purge_incident(incident=a_decision_incident, actor=world.people["admin"], reason="Done")
    with pytest.raises(DatabaseError):
        raw_delete_timeline(world.incident_b)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE timeline_timelineevent SET summary = 'x' WHERE incident_id = %s",
            [world.incident_b.pk],
        )


def test_a_purge_needs_a_reason(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.purge_incident(incident=world.incident_a, actor=world.people["admin"], reason="  ")
    assert "reason" in error.value.message_dict


def test_resetting_an_exercise_clears_what_was_recorded_and_declares_it_again_with_its_people(
    world: World,
) -> None:
    incident = close(world, an_eventful_exercise(world))
    people = set(Participation.objects.filter(incident=incident).values_list("user_id", flat=True))
    purged = services.reset_exercise(incident=incident, actor=world.people["admin"], reason="Run it again")
    connection.check_constraints()
    incident.refresh_from_db()
    assert incident.status == Status.DECLARED
    assert incident.closed_at is None and incident.retain_until is None
    assert purged.kind == PurgeKind.RESET and purged.counts["command.Decision"] == 1
    assert not Decision.objects.filter(incident=incident).exists()
    assert not Sitrep.objects.filter(incident=incident).exists()
    assert [e.kind for e in TimelineEvent.objects.filter(incident=incident)] == ["exercise_reset"]
    assert people <= set(Participation.objects.filter(incident=incident).values_list("user_id", flat=True))


def test_a_real_incident_cannot_be_reset(world: World) -> None:
    with pytest.raises(ValidationError):
        services.reset_exercise(incident=world.incident_b, actor=world.people_b["admin"], reason="Again")
