"""An archive built by a real Celery worker after closing, verified from its download."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from incident_console.closure import archive
from incident_console.reports.models import JobState
from tests.closure.helpers import an_eventful_exercise, close, latest_archive
from tests.conftest import World
from tests.support.worker import WorkerProcess

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def archive_dir(settings: Any) -> Path:
    """The worker writes where the deployment's settings say; read from the same place."""
    return Path(settings.ARCHIVE_STORAGE_DIR)


def test_closing_queues_the_archive_and_the_worker_builds_one_whose_manifest_verifies(
    world: World, celery_worker_process: WorkerProcess
) -> None:
    incident = close(world, an_eventful_exercise(world))
    job = latest_archive(incident)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state == JobState.DONE:
            break
        assert job.state != JobState.FAILED, job.error
        time.sleep(0.2)
    else:
        pytest.fail(f"archive {job.pk} not built:\n{celery_worker_process.log_tail()}", pytrace=False)
    download = world.client_for("dpo").get(f"/archives/{job.pk}/download/")
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert archive.verify(io.BytesIO(body)) == []
    assert job.file_count and job.file_count >= 8
