"""Closing an incident starts its retention period and builds an archive whose manifest verifies."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

from incident_console.closure import archive, services, tasks
from incident_console.closure.models import ArchiveJob
from incident_console.reports.models import JobState
from incident_console.timeline.models import TimelineEvent
from tests.closure.helpers import an_eventful_exercise, close, latest_archive
from tests.conftest import World

pytestmark = pytest.mark.django_db


def built(world: World) -> ArchiveJob:
    incident = close(world, an_eventful_exercise(world))
    job = latest_archive(incident)
    assert services.build_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    return job


def test_closing_records_retain_until_from_the_council_setting_and_queues_an_archive_after_commit(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    world.a.retention_days = 30
    world.a.save()
    with (
        mock.patch.object(tasks.build_archive, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        incident = close(world, world.incident_a)
    assert incident.closed_at is not None
    assert incident.retain_until == incident.closed_at + timedelta(days=30)
    job = latest_archive(incident)
    delay.assert_called_once_with(job.pk)
    assert job.state == JobState.QUEUED
    assert TimelineEvent.objects.filter(incident=incident, kind="archive_requested").exists()


def test_without_a_council_setting_retention_is_six_years(world: World) -> None:
    incident = close(world, world.incident_a)
    assert incident.retain_until is not None and incident.closed_at is not None
    assert (incident.retain_until - incident.closed_at).days >= 6 * 365


def test_the_archive_holds_every_section_and_every_hash_in_the_manifest_matches_the_unzipped_file(
    world: World, tmp_path: Path
) -> None:
    job = built(world)
    with job.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == job.file_sha256
    with zipfile.ZipFile(io.BytesIO(content)) as archived:
        archived.extractall(tmp_path / "unzipped")
    root = tmp_path / "unzipped"
    manifest = json.loads((root / "manifest.json").read_text())
    assert hashlib.sha256((root / "manifest.json").read_bytes()).hexdigest() == job.manifest_sha256
    assert manifest["incident"]["reference"] == world.incident_a.reference
    assert manifest["incident"]["exercise"] is True
    for entry in manifest["files"]:
        assert hashlib.sha256((root / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    paths = {entry["path"] for entry in manifest["files"]}
    assert {"incident.json", "timeline.jsonl", "decisions.csv", "sitreps/sitreps.json"} <= paths
    assert {"sitreps/sitrep-1.json", "sitreps/sitrep-1-full.pdf", "sitreps/sitrep-1-partner.pdf"} <= paths
    assert any(p.startswith("assessments/") for p in paths)
    assert manifest["sections"]["manual_records"]["records"] == 0

    events = [json.loads(line) for line in (root / "timeline.jsonl").read_text().splitlines()]
    stored = list(TimelineEvent.objects.filter(incident=world.incident_a).order_by("sequence"))
    assert [e["hash"] for e in events] == [e.hash for e in stored[: len(events)]]
    assert events[0]["previous_hash"] == "0" * 64
    assert all(b["previous_hash"] == a["hash"] for a, b in itertools.pairwise(events))

    decisions = list(csv.DictReader(io.StringIO((root / "decisions.csv").read_text())))
    assert decisions[0]["decision"] == "Take the case management servers off the network"
    assert (root / "sitreps/sitrep-1-full.pdf").read_bytes().startswith(b"%PDF")
    assessment = json.loads(next((root / "assessments").iterdir()).read_text())
    sign_offs = [s for v in assessment["versions"] for s in v["sign_offs"]]
    assert sign_offs and sign_offs[0]["role"] == "dpo"
    assert archive.verify(job.file.path) == []


def test_a_tampered_file_is_named_by_the_verify_function_and_the_command(
    world: World, tmp_path: Path
) -> None:
    job = built(world)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(job.file.path) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "decisions.csv":
                data = data.replace(b"off the network", b"on the network")
            target.writestr(name, data)
        target.writestr("extra.txt", b"slipped in")
    assert archive.verify(tampered) == [
        "decisions.csv: SHA-256 does not match the manifest",
        "extra.txt: not listed in the manifest",
    ]
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_archive", str(tampered), stdout=out, stderr=out)
    assert "decisions.csv" in out.getvalue()
    out = io.StringIO()
    call_command("verify_archive", job.file.path, stdout=out)
    assert "verifies" in out.getvalue()


def test_building_twice_builds_once_and_a_broken_build_is_retried_then_fails(world: World) -> None:
    incident = close(world, world.incident_a)
    job = latest_archive(incident)
    assert services.build_job(job_id=job.pk) == "done"
    assert services.build_job(job_id=job.pk) == "skipped"
    again = services.request_archive(incident=incident, actor=world.people["admin"])
    with mock.patch.object(archive, "build", side_effect=RuntimeError("disk full")):
        for _attempt in range(services.MAX_ATTEMPTS):
            assert services.build_job(job_id=again.pk) == "failed"
    again.refresh_from_db()
    assert again.state == JobState.FAILED and "disk full" in again.error
    services.retry_archive(job=again, actor=world.people["admin"])
    assert services.build_job(job_id=again.pk) == "done"


def test_the_sweep_queues_archives_the_broker_lost(world: World) -> None:
    incident = close(world, world.incident_a)
    job = latest_archive(incident)
    ArchiveJob.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(minutes=1))
    with mock.patch.object(tasks.build_archive, "delay") as delay:
        assert tasks.sweep() == 1
    delay.assert_called_once_with(job.pk)


def test_an_open_incident_cannot_be_archived(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.request_archive(incident=world.incident_a, actor=world.people["admin"])


def test_the_archive_keeps_manual_records_with_their_scans_payments_deadlines_cases_and_lessons(
    world: World, tmp_path: Path
) -> None:
    from incident_console.continuity.services import override_close_guard
    from tests.continuity.helpers import a_record_with_scan, pdf_bytes
    from tests.lessons.helpers import a_lesson
    from tests.payments.helpers import a_payment
    from tests.priority_cases.helpers import a_case
    from tests.safeguarding.helpers import a_deadline

    record = a_record_with_scan(world)
    a_payment(world)
    a_deadline(world)
    a_case(world)
    a_lesson(world)
    override_close_guard(incident=world.incident_a, actor=world.people["gold"], rationale="Exercise ends")
    incident = close(world, world.incident_a)
    job = latest_archive(incident)
    assert services.build_job(job_id=job.pk) == "done"
    job.refresh_from_db()

    with zipfile.ZipFile(job.file.path) as archived:
        archived.extractall(tmp_path)
    sections = json.loads((tmp_path / "manifest.json").read_text())["sections"]
    assert sections["manual_records"]["records"] == 1 and sections["manual_records"]["scans"] == 1
    assert sections["manual_records"]["closure_decisions"] == 1
    assert sections["payments"]["payments"] == 1
    assert sections["safeguarding"]["deadlines"] == 1
    assert sections["priority_cases"]["cases"] == 1
    assert sections["lessons"]["lessons"] == 1 and sections["lessons"]["recovery_handovers"] == 1
    rows = list(csv.DictReader(io.StringIO((tmp_path / "manual-records/records.csv").read_text())))
    assert [(r["case_reference"], r["state"]) for r in rows] == [(record.case_reference, "pending")]
    assert (tmp_path / f"manual-records/scans/{record.pk}-scan.pdf").read_bytes() == pdf_bytes()
    assert archive.verify(job.file.path) == []
