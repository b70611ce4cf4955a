"""A recent grab pack always exists: a first one on declaration, then beat's sweep makes a fresh one
once the newest is older than GRAB_PACK_REFRESH_HOURS, whatever happened to beat's own schedule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from pytest_django import Settings
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from incident_console.lib.time import now
from incident_console.reports import grab_pack, rendering, services, tasks
from incident_console.reports.models import JobState, PdfJob
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.conftest import World
from tests.reports.helpers import rendered

pytestmark = pytest.mark.django_db


def general_packs(incident: Any) -> list[PdfJob]:
    return list(PdfJob.objects.filter(kind="grab-pack", variant="general", incident=incident).order_by("pk"))


def test_declaring_an_incident_asks_the_worker_for_its_first_grab_pack_after_commit(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
) -> None:
    settings.GRAB_PACK_ON_DECLARE = True
    queued: list[int] = []
    monkeypatch.setattr(tasks.first_grab_pack, "delay", lambda incident_id: queued.append(incident_id))
    with django_capture_on_commit_callbacks(execute=True):
        incident = factories.incident(world.a, world.people["gold"], title="Payroll servers encrypted")
    assert queued == [incident.pk]
    assert general_packs(incident) == [], "nothing is made inside the declaring transaction"

    monkeypatch.setattr(tasks.render_pdf, "delay", lambda job_id: None)
    assert tasks.first_grab_pack(incident.pk) is True
    [pack] = general_packs(incident)
    assert pack.state == JobState.QUEUED and pack.requested_by is None
    assert TimelineEvent.objects.filter(
        incident=incident, kind="grab_pack_requested", summary="Scheduled grab pack requested"
    ).exists()
    assert tasks.first_grab_pack(incident.pk) is False, "a task delivered twice asks once"
    assert len(general_packs(incident)) == 1


def test_a_declared_incident_whose_first_pack_was_never_queued_gets_one_on_the_next_sweep(
    world: World,
) -> None:
    assert general_packs(world.incident_a) == [], "the broker never ran the declaration's task"
    assert grab_pack.refresh_due() == 2, "both live incidents of the world"
    assert [p.state for p in general_packs(world.incident_a)] == [JobState.QUEUED]
    assert grab_pack.refresh_due() == 0, "a pack being made is recent enough"


def test_after_the_refresh_hours_the_next_sweep_asks_for_a_new_pack_even_if_nothing_changed(
    world: World, settings: Any
) -> None:
    settings.GRAB_PACK_REFRESH_HOURS = 6
    incident = world.incident_b
    start = now()
    first = rendered(grab_pack.request_grab_pack(incident=incident, actor=world.people_b["gold"]))
    assert grab_pack.refresh_due() == 1, "incident A's first pack; incident B already has one"
    assert general_packs(incident) == [first]
    rendered(general_packs(world.incident_a)[0])

    with time_machine.travel(start + timedelta(hours=5, minutes=59), tick=False):
        assert grab_pack.refresh_due() == 0
        assert grab_pack.request_grab_pack(incident=incident, actor=None).pk == first.pk

    with time_machine.travel(start + timedelta(hours=6, minutes=1), tick=False):
        assert incident in grab_pack.due()
        assert grab_pack.refresh_due() == 2, "both incidents' packs are now older than six hours"
        old, new = general_packs(incident)
        assert old.pk == first.pk and new.state == JobState.QUEUED
        assert new.snapshot["made_at"].startswith((start + timedelta(hours=6, minutes=1)).date().isoformat())
        assert {k: v for k, v in new.snapshot.items() if k != "made_at"} == {
            k: v for k, v in old.snapshot.items() if k != "made_at"
        }, "same content, made again because the copy was out of date"
        assert grab_pack.refresh_due() == 0


def test_a_closed_or_stood_down_incident_gets_no_scheduled_pack(world: World) -> None:
    from incident_console.incidents.services import stand_down

    stand_down(incident=world.incident_b, actor=world.people_b["gold"], reason="False alarm")
    assert grab_pack.refresh_due() == 1
    assert general_packs(world.incident_b) == []
    assert not PdfJob.objects.filter(variant="restricted").exists()


def test_the_beat_schedule_sweeps_for_due_grab_packs_more_often_than_the_refresh_window() -> None:
    from incident_console.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["grab-pack-refresh"]
    assert entry["task"] == "reports.refresh_grab_packs"
    assert isinstance(entry["schedule"], float) and entry["schedule"] <= 15 * 60
    assert entry["schedule"] < settings.GRAB_PACK_REFRESH_HOURS * 3600
    app.loader.import_default_modules()
    assert {"reports.refresh_grab_packs", "reports.first_grab_pack"} <= set(app.tasks)


def fail_for_good(job: PdfJob, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_job: PdfJob) -> tuple[bytes, int]:
        raise RuntimeError("fonts missing")

    with monkeypatch.context() as patch:
        patch.setattr(rendering, "render_pdf", broken)
        for _attempt in range(services.MAX_ATTEMPTS):
            assert services.render_job(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == JobState.FAILED


def test_asking_again_after_a_failed_render_tries_again_and_makes_the_pdf(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    gold = world.people["gold"]
    job = grab_pack.request_grab_pack(incident=world.incident_a, actor=gold)
    fail_for_good(job, monkeypatch)

    again = grab_pack.request_grab_pack(incident=world.incident_a, actor=gold)
    assert again.pk == job.pk and again.state == JobState.QUEUED and again.attempts == 0
    assert services.render_job(job_id=again.pk) == "done"
    assert TimelineEvent.objects.filter(incident=world.incident_a, kind="grab_pack_requested").count() == 2


def test_a_failed_pack_older_than_the_window_is_replaced_by_a_new_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = grab_pack.request_grab_pack(incident=world.incident_a, actor=None)
    fail_for_good(job, monkeypatch)
    later = now() + grab_pack.refresh_window() + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        again = grab_pack.request_grab_pack(incident=world.incident_a, actor=None)
    assert again.pk != job.pk and again.state == JobState.QUEUED
    job.refresh_from_db()
    assert job.state == JobState.FAILED, "the failed attempt stays on the record"


def test_the_sweep_waits_an_hour_after_a_failure_then_tries_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    grab_pack.refresh_due()
    [job] = general_packs(world.incident_a)
    fail_for_good(job, monkeypatch)
    assert world.incident_a not in grab_pack.due()
    with time_machine.travel(now() + grab_pack.FAILED_BACKOFF + timedelta(minutes=1), tick=False):
        assert world.incident_a in grab_pack.due()
        grab_pack.refresh_due()
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 0
