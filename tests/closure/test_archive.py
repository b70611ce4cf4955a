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
from incident_console.closure.models import ArchiveJob, archive_storage
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


def unzipped(job: ArchiveJob, into: Path) -> tuple[dict[str, object], str]:
    with zipfile.ZipFile(job.file.path) as archived:
        archived.extractall(into)
    return json.loads((into / "manifest.json").read_text()), (into / "README.txt").read_text()


def test_a_scan_missing_from_storage_is_listed_as_missing_and_the_archive_still_builds(
    world: World, tmp_path: Path
) -> None:
    from incident_console.continuity.services import override_close_guard
    from tests.continuity.helpers import a_record_with_scan

    record = a_record_with_scan(world)
    record.attachment.storage.delete(str(record.attachment.name))
    override_close_guard(incident=world.incident_a, actor=world.people["gold"], rationale="Exercise ends")
    incident = close(world, world.incident_a)
    job = latest_archive(incident)
    assert services.build_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    manifest, readme = unzipped(job, tmp_path)
    path = f"manual-records/scans/{record.pk}-scan.pdf"
    assert manifest["missing"] == [
        {
            "path": path,
            "reason": "The scan was not found in storage when the archive was built.",
            "section": "manual_records",
            "record": record.pk,
        }
    ]
    sections = manifest["sections"]
    assert sections["manual_records"]["scans"] == 0  # type: ignore[index]
    assert sections["manual_records"]["scans_missing"] == 1  # type: ignore[index]
    assert f"- {path}: The scan was not found in storage" in readme
    assert not (tmp_path / path).exists()
    assert archive.verify(job.file.path, manifest_sha256=job.manifest_sha256) == []


def test_a_sitrep_pdf_still_rendering_at_close_is_listed_as_not_yet_made(
    world: World, tmp_path: Path
) -> None:
    from tests.reports.sitrep_helpers import an_issued

    an_issued(world)  # both PDFs queued, not rendered
    incident = close(world, world.incident_a)
    job = latest_archive(incident)
    assert services.build_job(job_id=job.pk) == "done"
    job.refresh_from_db()
    manifest, readme = unzipped(job, tmp_path)
    missing = {entry["path"]: entry for entry in manifest["missing"]}  # type: ignore[attr-defined]
    assert set(missing) == {"sitreps/sitrep-1-full.pdf", "sitreps/sitrep-1-partner.pdf"}
    assert missing["sitreps/sitrep-1-full.pdf"]["reason"].startswith("The PDF was not yet made")
    assert manifest["sections"]["sitreps"]["pdfs_missing"] == 2  # type: ignore[index]
    assert "- sitreps/sitrep-1-partner.pdf: The PDF was not yet made" in readme
    assert archive.verify(job.file.path) == []


def test_an_archive_with_nothing_missing_says_so_in_its_readme(world: World, tmp_path: Path) -> None:
    manifest, readme = unzipped(built(world), tmp_path)
    assert manifest["missing"] == []
    assert "Nothing: every file the console held for this incident is here." in readme
    assert world.incident_a.reference in readme and "OFFICIAL-SENSITIVE" in readme


@pytest.mark.parametrize("when", ["while reading", "after building"])
def test_an_incident_purged_while_its_archive_builds_ends_the_task_quietly(
    world: World, when: str, caplog: pytest.LogCaptureFixture
) -> None:
    incident = close(world, world.incident_a)
    job = latest_archive(incident)
    real_build = archive.build

    def purged_meanwhile(of: object) -> archive.Built:
        built = real_build(of)  # type: ignore[arg-type]
        services.purge_incident(incident=incident, actor=world.people["admin"], reason="Exercise over")
        if when == "while reading":
            raise TimelineEvent.DoesNotExist("TimelineEvent matching query does not exist.")
        return built

    with (
        caplog.at_level("INFO", logger="incident_console.closure.services"),
        mock.patch.object(archive, "build", side_effect=purged_meanwhile),
    ):
        assert tasks.build_archive(job.pk) == "gone"
    assert "purged while the archive was being built" in caplog.text
    assert not ArchiveJob.objects.filter(pk=job.pk).exists()
    assert not list(Path(archive_storage().location).rglob("*.zip"))


def rewritten(job: ArchiveJob, into: Path) -> Path:
    """A copy of the archive with decisions.csv changed and the manifest rewritten to match it."""
    tampered = into / "rewritten.zip"
    with zipfile.ZipFile(job.file.path) as source:
        manifest = json.loads(source.read("manifest.json"))
        changed = source.read("decisions.csv").replace(b"off the network", b"on the network")
        for entry in manifest["files"]:
            if entry["path"] == "decisions.csv":
                entry["sha256"] = hashlib.sha256(changed).hexdigest()
                entry["bytes"] = len(changed)
        with zipfile.ZipFile(tampered, "w") as target:
            for name in source.namelist():
                data = source.read(name)
                if name == "decisions.csv":
                    data = changed
                elif name == "manifest.json":
                    data = json.dumps(manifest, indent=2).encode()
                target.writestr(name, data)
    return tampered


def test_a_manifest_rewritten_with_a_changed_file_is_caught_when_the_expected_hash_is_given(
    world: World, tmp_path: Path
) -> None:
    job = built(world)
    tampered = rewritten(job, tmp_path)
    assert archive.verify(tampered) == []  # the manifest alone cannot tell
    assert archive.verify(tampered, manifest_sha256=job.manifest_sha256.upper()) == [
        "manifest.json: SHA-256 does not match the expected value (it was changed)"
    ]
    for option in (["--archive-id", str(job.pk)], ["--manifest-sha256", job.manifest_sha256]):
        out = io.StringIO()
        with pytest.raises(SystemExit):
            call_command("verify_archive", str(tampered), *option, stdout=out, stderr=out)
        assert "manifest.json: SHA-256 does not match the expected value" in out.getvalue()
    out = io.StringIO()
    call_command("verify_archive", "--archive-id", str(job.pk), stdout=out)
    assert "the manifest has the expected SHA-256" in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--manifest-sha256", "not-a-hash"], "64 hexadecimal characters"),
        (["--archive-id", "999999"], "There is no archive 999999"),
        ([], "Give the path to the archive ZIP"),
    ],
)
def test_the_verify_command_explains_a_bad_option(world: World, arguments: list[str], message: str) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("verify_archive", *arguments)
