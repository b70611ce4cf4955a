"""Tampering with the record in the database (or with an archive file) is named by the verify
commands, run as an operator would run them: ``manage.py verify_…`` in a process of its own against
the same database, judged by its exit status and what it prints."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from pytest_django import Settings

from incident_console.assessments import services as assessment_services
from incident_console.assessments.models import AssessmentVersion
from incident_console.incidents.models import Status
from incident_console.incidents.services import transition_incident
from incident_console.timeline.models import TimelineEvent
from tests.assessments.helpers import submitted_assessment
from tests.closure.helpers import built_archive
from tests.conftest import World
from tests.reliability.figures import Table, table
from tests.support.worker import skip_or_fail, worker_database_url
from tests.timeline import tamper

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        skip_or_fail("the commands run in a process of their own, which needs the PostgreSQL test database")


@pytest.fixture(scope="module")
def checks() -> Table:
    return table(
        "Tampering found by the verify commands", ["command", "untouched", "after tampering", "names"]
    )


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    """``manage.py`` in a process of its own, on the test database."""
    env = dict(os.environ)
    env["DATABASE_URL"] = worker_database_url()
    env.setdefault("DJANGO_SETTINGS_MODULE", "incident_console.settings.test")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_verify_timeline_exits_non_zero_and_names_an_edited_row_and_a_removed_row(
    world: World, checks: Table
) -> None:
    for incident, lead in (
        (world.incident_a, world.people["gold"]),
        (world.incident_b, world.people_b["gold"]),
    ):
        transition_incident(incident=incident, actor=lead, to_status=Status.RESPONSE)
    untouched = manage("verify_timeline")
    assert (untouched.returncode, untouched.stdout.strip()) == (0, "ok"), untouched.stderr

    edited = TimelineEvent.objects.get(incident=world.incident_a, sequence=2)
    removed = TimelineEvent.objects.get(incident=world.incident_b, sequence=1)
    with tamper.triggers_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE timeline_timelineevent SET summary = %s WHERE id = %s", ["Quietly rewritten", edited.pk]
        )
        cursor.execute("DELETE FROM timeline_timelineevent WHERE id = %s", [removed.pk])
    tampered = manage("verify_timeline")

    assert tampered.returncode == 1
    assert f"incident {world.incident_a.pk}: first broken row is sequence 2" in tampered.stdout
    assert "content does not match its hash" in tampered.stdout
    assert f"incident {world.incident_b.pk}: first broken row is sequence 2" in tampered.stdout
    assert "2 incident timeline(s) broken" in tampered.stderr
    checks.add("verify_timeline", "exit 0, ok", "exit 1", "the first broken row of each incident")


def test_verify_signoffs_exits_non_zero_and_names_a_sign_off_whose_content_was_changed(
    world: World, checks: Table
) -> None:
    assessment = submitted_assessment(world)
    signed = assessment_services.sign_off(
        assessment=assessment, actor=world.people["dpo"], role="dpo", statement="I advise reporting."
    )
    untouched = manage("verify_signoffs")
    assert untouched.returncode == 0, untouched.stderr
    assert "All 1 sign-offs match" in untouched.stdout

    assert assessment.current is not None
    AssessmentVersion.objects.filter(pk=assessment.current.pk).update(people_affected=12)
    tampered = manage("verify_signoffs")

    assert tampered.returncode == 1
    assert f"NO LONGER MATCHES: sign-off {signed.pk} (dpo, a-dpo" in tampered.stderr
    assert "1 of 1 sign-offs no longer match" in tampered.stderr
    checks.add("verify_signoffs", "exit 0", "exit 1", "each sign-off that no longer matches")


def test_verify_archive_exits_non_zero_and_names_a_changed_file_and_one_slipped_in(
    world: World, settings: Settings, tmp_path: Path, checks: Table
) -> None:
    settings.ARCHIVE_STORAGE_DIR = tmp_path / "archives"
    job = built_archive(world)
    untouched = manage("verify_archive", job.file.path)
    assert untouched.returncode == 0, untouched.stderr
    assert "The archive verifies" in untouched.stdout

    copy = tmp_path / "tampered.zip"
    with zipfile.ZipFile(job.file.path) as source, zipfile.ZipFile(copy, "w") as target:
        names = source.namelist()
        changed = next(name for name in names if name.endswith(".csv"))
        for name in names:
            data = source.read(name)
            target.writestr(name, data + b"\r\nadded,afterwards" if name == changed else data)
        target.writestr("extra.txt", b"slipped in")
    tampered = manage("verify_archive", str(copy))

    assert tampered.returncode == 1
    assert f"{changed}: SHA-256 does not match the manifest" in tampered.stderr
    assert "extra.txt: not listed in the manifest" in tampered.stderr
    checks.add("verify_archive", "exit 0", "exit 1", "each changed or added file")
