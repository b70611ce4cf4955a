"""On the demo: the finished tabletop exercise is closed with an archive; closing the main exercise
makes an archive whose manifest verifies, downloaded by the DPO."""

from __future__ import annotations

import io

import pytest

from incident_console.accounts.models import User
from incident_console.closure import archive, services
from incident_console.continuity.services import override_close_guard
from incident_console.incidents.demo import load_demo
from incident_console.incidents.models import Incident
from tests import factories
from tests.closure.helpers import latest_archive

pytestmark = pytest.mark.django_db


def test_closing_the_demo_exercise_produces_an_archive_whose_manifest_verifies(modules: None) -> None:
    report = load_demo(password="demo-password-for-tests-only")
    tabletop = Incident.objects.get(title__contains="TABLETOP")
    assert tabletop.status == "closed" and tabletop.retain_until is not None
    assert latest_archive(tabletop) is not None

    incident = report.incident
    assert incident is not None
    admin = factories.signed_in_client(User.objects.get(username="admin"))
    for status in ("response", "recovery", "closed"):
        incident.refresh_from_db()
        if status == "closed":
            # The demo's manual records are not all reconciled: Gold decides to close anyway.
            override_close_guard(
                incident=incident, actor=User.objects.get(username="gold"), rationale="Exercise ends."
            )
        if incident.status != status:
            response = admin.post(
                f"/incidents/{incident.pk}/status/", {"to_status": status, "version": incident.version}
            )
            assert response.status_code == 302, response.content.decode()[:2000]
    job = latest_archive(incident)
    assert services.build_job(job_id=job.pk) == "done"  # what the worker does
    download = factories.signed_in_client(User.objects.get(username="dpo")).get(
        f"/archives/{job.pk}/download/"
    )
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert archive.verify(io.BytesIO(body)) == []
