"""On the demo: bronze's home visit waits to be entered; staff enter it, silver verifies it; the
referral staff entered waits for silver; the payment is done. The incident cannot close first,
and closes once both are verified."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from incident_console.accounts.models import User
from incident_console.continuity.models import ManualRecord, RecordState
from incident_console.incidents.demo import load_demo
from incident_console.incidents.models import Incident, Status
from tests import factories
from tests.conftest import form_errors

if TYPE_CHECKING:  # what the test client returns; a name that exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as ClientResponse


@pytest.mark.django_db
def test_the_demo_walks_a_home_visit_from_paper_to_verified(modules: None) -> None:
    load_demo(password="demo-password-for-tests-only")
    incident = Incident.objects.get(title__startswith="Exercise NORTHGATE: ransomware")
    records = {r.activity: r for r in ManualRecord.objects.filter(incident=incident)}
    assert {a: r.state for a, r in records.items()} == {
        "visit": RecordState.PENDING,
        "referral": RecordState.ENTERED,
        "payment": RecordState.VERIFIED,
    }
    staff, silver, admin = (
        factories.signed_in_client(User.objects.get(username=name)) for name in ("staff", "silver", "admin")
    )
    listing = f"/incidents/{incident.pk}/manual-records/"
    assert "ASC-40417" in staff.get(listing).content.decode()
    assert admin.get(listing).status_code == 403
    visit = records["visit"]
    url = f"{listing}{visit.pk}/"
    entered = staff.post(f"{url}enter/", {"enter-system_reference": "MOS-1", "enter-version": visit.version})
    assert entered.status_code == 302
    visit.refresh_from_db()
    assert silver.post(f"{url}verify/", {"verify-version": visit.version}).status_code == 302
    visit.refresh_from_db()
    assert visit.state == RecordState.VERIFIED
    assert visit.verified_by == User.objects.get(username="silver")
    referral = records["referral"]
    assert "Verify: the entry is right" in silver.get(f"{listing}{referral.pk}/").content.decode()


@pytest.mark.django_db
def test_the_demo_incident_closes_only_once_its_manual_records_are_reconciled(modules: None) -> None:
    load_demo(password="demo-password-for-tests-only")
    incident = Incident.objects.get(title__startswith="Exercise NORTHGATE: ransomware")
    staff, silver = (
        factories.signed_in_client(User.objects.get(username=name)) for name in ("staff", "silver")
    )
    status_url = f"/incidents/{incident.pk}/status/"

    def move(to_status: str) -> ClientResponse:
        incident.refresh_from_db()
        return silver.post(status_url, {"to_status": to_status, "version": incident.version})

    assert move(Status.RESPONSE).status_code == 302
    assert move(Status.RECOVERY).status_code == 302
    refused = move(Status.CLOSED)
    assert refused.status_code == 200
    assert form_errors(refused)["to_status"][0].startswith("2 manual records are not yet reconciled")
    assert "The incident cannot close yet: 2 manual records" in refused.content.decode()
    incident.refresh_from_db()
    assert incident.status == Status.RECOVERY

    listing = f"/incidents/{incident.pk}/manual-records/"
    visit = ManualRecord.objects.get(incident=incident, activity="visit")
    entered = staff.post(
        f"{listing}{visit.pk}/enter/", {"enter-system_reference": "MOS-1", "enter-version": visit.version}
    )
    assert entered.status_code == 302
    visit.refresh_from_db()
    assert silver.post(f"{listing}{visit.pk}/verify/", {"verify-version": visit.version}).status_code == 302
    referral = ManualRecord.objects.get(incident=incident, activity="referral")
    verified = silver.post(f"{listing}{referral.pk}/verify/", {"verify-version": referral.version})
    assert verified.status_code == 302
    assert set(ManualRecord.objects.filter(incident=incident).values_list("state", flat=True)) == {
        RecordState.VERIFIED
    }

    assert move(Status.CLOSED).status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.outcome) == (Status.CLOSED, "resolved")
