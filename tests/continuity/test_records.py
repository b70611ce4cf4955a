"""Manual records: who sees them, recording one (with a photo or scan), the reconciliation steps,
the list and its CSV export, and the API."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from incident_console.continuity.models import ManualRecord, RecordState
from incident_console.continuity.services import add_record, enter_record, return_record, verify_record
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World, form_errors
from tests.continuity.helpers import (
    VIEWERS,
    a_record,
    form_data,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    the_people,
    upload,
)

pytestmark = pytest.mark.django_db


def records_url(w: World) -> str:
    return f"/incidents/{w.incident_a.pk}/manual-records/"


def record_url(w: World, entry: ManualRecord, action: str = "") -> str:
    return f"/incidents/{w.incident_a.pk}/manual-records/{entry.pk}/{action + '/' if action else ''}"


# --- Who may see them ------------------------------------------------------------------------------


def test_only_people_who_may_see_service_user_data_see_the_records(world: World) -> None:
    entry = a_record(world)
    for role in ["admin", "dpo", "caldicott", "siro", "bystander", "partner"]:
        client = world.client_for(role)
        assert client.get(records_url(world)).status_code == 403, role
        assert client.get(record_url(world, entry)).status_code == 403, role
    for role in VIEWERS:
        page = world.client_for(role).get(records_url(world))
        assert page.status_code == 200, role
        assert "ASC-40417" in page.content.decode()


def test_other_councils_get_404_even_with_their_own_social_care_role(world: World) -> None:
    from incident_console.accounts.models import Membership, Role

    entry = a_record(world)
    Membership.objects.create(user=world.people_b["staff"], council=world.b, role=Role.SOCIAL_CARE_ADULTS)
    for role in ["staff", "gold", "admin"]:
        client = world.client_for(f"{role}_b")
        assert client.get(records_url(world)).status_code == 404
        assert client.get(record_url(world, entry)).status_code == 404
        assert client.get(f"/api/v1/manual-records/{entry.pk}/").status_code == 404


def test_staff_without_a_social_care_role_get_403(world: World) -> None:
    entry = a_record(world)
    from incident_console.accounts.models import Membership

    Membership.objects.filter(user=world.people["staff"], role="social_care_adults").delete()
    staff = world.client_for("staff")
    assert staff.get(record_url(world, entry)).status_code == 403
    assert staff.get(record_url(world, entry, "attachment")).status_code == 403
    assert staff.get(f"/api/v1/manual-records/{entry.pk}/").status_code == 403


def test_record_pages_are_marked_official_sensitive_whatever_the_incident(world: World) -> None:
    from incident_console.incidents.models import Incident

    Incident.objects.filter(pk=world.incident_a.pk).update(classification="OFFICIAL")
    entry = a_record(world)
    for url in [records_url(world), record_url(world, entry), records_url(world) + "new/"]:
        page = world.client_for("gold").get(url).content.decode()
        assert "OFFICIAL-SENSITIVE" in page, url


def test_the_incident_page_links_to_the_records_only_for_those_who_may_see_them(world: World) -> None:
    the_people(world)
    link = "/manual-records/"
    assert link in world.client_for("staff").get(f"/incidents/{world.incident_a.pk}/").content.decode()
    assert link not in world.client_for("admin").get(f"/incidents/{world.incident_a.pk}/").content.decode()


# --- Recording one ---------------------------------------------------------------------------------


def test_bronze_records_a_home_visit_and_the_timeline_does_not_name_the_case(world: World) -> None:
    the_people(world)
    response = world.client_for("bronze").post(records_url(world) + "new/", form_data())
    entry = ManualRecord.objects.get(incident=world.incident_a)
    assert response.status_code == 302
    assert response["Location"] == record_url(world, entry)
    assert entry.state == RecordState.PENDING
    assert entry.council == world.a
    assert entry.recorded_by == world.people["bronze"]
    event = TimelineEvent.objects.filter(incident=world.incident_a).latest("sequence")
    assert event.summary == f"Manual record {entry.pk} (home visit, adult social care) recorded"
    assert "ASC-40417" not in json.dumps(event.data) + event.summary
    assert "safe and well" not in json.dumps(event.data) + event.summary


def test_a_record_needs_a_case_reference_a_summary_and_a_time_not_in_the_future(world: World) -> None:
    the_people(world)
    later = (now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = world.client_for("bronze").post(
        records_url(world) + "new/", form_data(case_reference="", summary="", happened_at=later)
    )
    errors = form_errors(response)
    assert errors["case_reference"] == ["Enter the local case reference."]
    assert errors["summary"] == ["Enter a summary of what was done."]
    assert not ManualRecord.objects.exists()
    response = world.client_for("bronze").post(records_url(world) + "new/", form_data(happened_at=later))
    assert form_errors(response)["happened_at"] == ["When it happened cannot be in the future."]


def test_nothing_can_be_recorded_on_a_closed_incident(world: World) -> None:
    the_people(world)
    from incident_console.incidents.models import Incident

    Incident.objects.filter(pk=world.incident_a.pk).update(status="closed")
    world.incident_a.refresh_from_db()
    with pytest.raises(ValidationError):
        add_record(
            incident=world.incident_a,
            actor=world.people["bronze"],
            service="adult_social_care",
            case_reference="X",
            activity="visit",
            happened_at=now(),
            summary="x",
        )


# --- Attachments -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("form.png", png_bytes(), "image/png"),
        ("form.jpg", jpeg_bytes(), "image/jpeg"),
        ("scan.pdf", pdf_bytes(), "application/pdf"),
    ],
)
def test_a_photo_or_scan_is_stored_privately_and_downloaded_through_the_access_check(
    world: World, private_media: Path, name: str, content: bytes, kind: str
) -> None:
    the_people(world)
    data = form_data(attachment=upload(name, content, "text/html"))
    assert world.client_for("bronze").post(records_url(world) + "new/", data).status_code == 302
    entry = ManualRecord.objects.get()
    stored = Path(entry.attachment.path)
    assert stored.is_relative_to(private_media)
    assert name not in stored.name  # a random name on disc
    assert entry.attachment_name == name
    download = world.client_for("staff").get(record_url(world, entry, "attachment"))
    assert download.status_code == 200
    assert download["Content-Type"] == kind  # from the content, not what the browser said
    assert download["X-Content-Type-Options"] == "nosniff"
    assert f'filename="{name}"' in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == content  # type: ignore[attr-defined]
    assert world.client_for("partner").get(record_url(world, entry, "attachment")).status_code == 403
    assert world.client_for("admin").get(record_url(world, entry, "attachment")).status_code == 403
    assert world.client_for("gold_b").get(record_url(world, entry, "attachment")).status_code == 404


def test_a_file_that_is_not_a_photo_or_scan_is_refused_by_name(world: World) -> None:
    the_people(world)
    data = form_data(attachment=upload("notes.docx", b"PK\x03\x04 word"))
    errors = form_errors(world.client_for("bronze").post(records_url(world) + "new/", data))
    assert errors["attachment"] == [
        "The file must be a JPEG or PNG photo, or a PDF scan. notes.docx is not one of those."
    ]
    assert not ManualRecord.objects.exists()


def test_a_fake_png_is_refused(world: World, private_media: Path) -> None:
    the_people(world)
    fakes = [
        upload("form.png", b"<html><script>alert(1)</script></html>"),
        upload("form.png", jpeg_bytes()),  # a real image, but not what its name says
        upload("scan.pdf", b"%PDF-1.7 not really"),
        upload("scan.pdf", png_bytes()),
    ]
    for fake in fakes:
        errors = form_errors(
            world.client_for("bronze").post(records_url(world) + "new/", form_data(attachment=fake))
        )
        assert "attachment" in errors, fake.name
        assert str(fake.name) in errors["attachment"][0]
    assert not ManualRecord.objects.exists()
    assert not any(private_media.rglob("*.*"))


def test_a_file_over_the_limit_is_refused(world: World, settings: Any) -> None:
    the_people(world)
    settings.MANUAL_RECORD_MAX_UPLOAD_BYTES = 1000
    big = upload("form.png", png_bytes() + b"\0" * 2000)
    errors = form_errors(
        world.client_for("bronze").post(records_url(world) + "new/", form_data(attachment=big))
    )
    assert errors["attachment"][0].startswith("The file must be smaller than 1000")


def test_a_record_without_an_attachment_has_no_download(world: World) -> None:
    entry = a_record(world)
    assert world.client_for("staff").get(record_url(world, entry, "attachment")).status_code == 404


# --- Reconciliation --------------------------------------------------------------------------------


def test_staff_enter_it_silver_verifies_it(world: World) -> None:
    entry = a_record(world)
    staff = world.client_for("staff")
    page = staff.get(record_url(world, entry)).content.decode()
    assert "Mark as entered" in page and "Verify" not in page
    response = staff.post(
        record_url(world, entry, "enter"),
        {"enter-system_reference": "MOS-118", "enter-version": entry.version},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.entered_by, entry.system_reference) == (
        "entered",
        world.people["staff"],
        "MOS-118",
    )
    assert (
        "You entered this record, so someone else must verify it."
        in staff.get(record_url(world, entry)).content.decode()
    )
    event = TimelineEvent.objects.filter(incident=world.incident_a).latest("sequence")
    assert (
        event.summary
        == f"Manual record {entry.pk} (home visit, adult social care) entered into the restored system"
    )
    bronze = world.client_for("bronze")
    assert "Verify: the entry is right" in bronze.get(record_url(world, entry)).content.decode()
    assert (
        bronze.post(record_url(world, entry, "verify"), {"verify-version": entry.version}).status_code == 302
    )
    entry.refresh_from_db()
    assert (entry.state, entry.verified_by) == ("verified", world.people["bronze"])


def test_entering_needs_the_restored_systems_reference(world: World) -> None:
    entry = a_record(world)
    response = world.client_for("staff").post(
        record_url(world, entry, "enter"), {"enter-system_reference": "  ", "enter-version": entry.version}
    )
    assert response.status_code == 200
    assert "Enter the reference the restored system gave it." in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == "pending"


def test_the_person_who_entered_it_cannot_verify_or_return_it(world: World) -> None:
    entry = a_record(world, RecordState.ENTERED)
    staff = world.client_for("staff")
    assert (
        staff.post(record_url(world, entry, "verify"), {"verify-version": entry.version}).status_code == 403
    )
    assert (
        staff.post(
            record_url(world, entry, "return"), {"return-version": entry.version, "return-reason": "x"}
        ).status_code
        == 403
    )
    with pytest.raises(ValidationError, match="someone else must verify it"):
        verify_record(entry=entry, actor=world.people["staff"], expected_version=entry.version)
    entry.refresh_from_db()
    assert entry.state == "entered"


def test_a_wrong_entry_is_returned_to_pending_with_a_reason(world: World) -> None:
    entry = a_record(world, RecordState.ENTERED)
    bronze = world.client_for("bronze")
    response = bronze.post(
        record_url(world, entry, "return"), {"return-version": entry.version, "return-reason": ""}
    )
    assert "Say what is wrong with the entry" in response.content.decode()
    response = bronze.post(
        record_url(world, entry, "return"),
        {"return-version": entry.version, "return-reason": "Visit date typed as last year."},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == "pending"
    assert entry.returned_reason == "Visit date typed as last year."
    assert entry.entered_by is None and entry.system_reference == ""
    assert "Visit date typed as last year." in bronze.get(record_url(world, entry)).content.decode()
    # And round again: entered afresh, then verified.
    entry = enter_record(
        entry=entry, actor=world.people["staff"], expected_version=entry.version, system_reference="M2"
    )
    verify_record(entry=entry, actor=world.people["gold"], expected_version=entry.version)


@pytest.mark.parametrize(
    ("state", "step"),
    [
        ("pending", "verify"),
        ("pending", "return"),
        ("entered", "enter"),
        ("verified", "enter"),
        ("verified", "verify"),
        ("verified", "return"),
    ],
)
def test_illegal_moves_are_refused(world: World, state: str, step: str) -> None:
    entry = a_record(world, state)
    actor = world.people["gold"]
    with pytest.raises(ValidationError):
        if step == "enter":
            enter_record(entry=entry, actor=actor, expected_version=entry.version, system_reference="R")
        elif step == "verify":
            verify_record(entry=entry, actor=actor, expected_version=entry.version)
        else:
            return_record(entry=entry, actor=actor, expected_version=entry.version, reason="Wrong")
    entry.refresh_from_db()
    assert entry.state == state


def test_a_verified_record_offers_no_actions(world: World) -> None:
    entry = a_record(world, RecordState.VERIFIED)
    page = world.client_for("gold").get(record_url(world, entry)).content.decode()
    for action in ["Mark as entered", "Verify: the entry is right", "Return to be entered again"]:
        assert action not in page


def test_each_step_is_on_the_timeline_without_the_case_details(world: World) -> None:
    entry = a_record(world, RecordState.ENTERED)
    entry = return_record(
        entry=entry, actor=world.people["bronze"], expected_version=entry.version, reason="No"
    )
    entry = enter_record(
        entry=entry, actor=world.people["staff"], expected_version=entry.version, system_reference="R"
    )
    verify_record(entry=entry, actor=world.people["gold"], expected_version=entry.version)
    events = list(
        TimelineEvent.objects.filter(incident=world.incident_a, kind__startswith="manual_record").order_by(
            "sequence"
        )
    )
    assert [e.kind for e in events] == [
        "manual_record_added",
        "manual_record_entered",
        "manual_record_returned",
        "manual_record_entered",
        "manual_record_verified",
    ]
    assert (
        events[-1].summary
        == f"Manual record {entry.pk} (home visit, adult social care) verified in the restored system"
    )
    for event in events:
        assert "ASC-40417" not in event.summary + json.dumps(event.data)
        assert "safe and well" not in event.summary + json.dumps(event.data)


def test_a_stale_step_is_refused_with_409(world: World) -> None:
    entry = a_record(world)
    stale = entry.version
    enter_record(entry=entry, actor=world.people["staff"], expected_version=stale, system_reference="A")
    response = world.client_for("bronze").post(
        record_url(world, entry, "enter"), {"enter-system_reference": "B", "enter-version": stale}
    )
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    with pytest.raises(StaleEditError):
        verify_record(entry=entry, actor=world.people["bronze"], expected_version=stale)


# --- The list and its CSV export -------------------------------------------------------------------


def test_the_list_shows_unreconciled_records_oldest_first_with_counts_and_filters(
    world: World, django_assert_max_num_queries: object
) -> None:
    a_record(world, RecordState.ENTERED, happened_at=now() - timedelta(days=2), case_reference="OLD-1")
    a_record(world, RecordState.PENDING, happened_at=now() - timedelta(hours=1), case_reference="NEW-1")
    a_record(world, RecordState.VERIFIED, case_reference="DONE-1")
    a_record(world, service="childrens_social_care", case_reference="CSC-9")
    client = world.client_for("gold")
    page = client.get(records_url(world)).content.decode()
    assert page.index("OLD-1") < page.index("NEW-1")
    assert "DONE-1" not in page
    assert "2\xa0days ago" in page or "2 days ago" in page
    assert "DONE-1" in client.get(records_url(world) + "?state=all").content.decode()
    only_children = client.get(records_url(world) + "?service=childrens_social_care").content.decode()
    assert "CSC-9" in only_children and "NEW-1" not in only_children
    entered = client.get(records_url(world) + "?state=entered").content.decode()
    assert "OLD-1" in entered and "NEW-1" not in entered
    for i in range(20):
        a_record(world, case_reference=f"MORE-{i}")
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get(records_url(world) + "?state=all").status_code == 200


def count_row(page: str, heading: str) -> list[str]:
    """The numbers in one row of the records-by-service-and-state table."""
    row = re.search(rf">{re.escape(heading)}</th>(.*?)</tr>", page, re.S)
    assert row is not None, heading
    return re.findall(r"<td[^>]*>\s*(\d*)\s*</td>", row.group(1))


def test_the_counts_give_each_service_by_state_and_both_services_with_their_total(world: World) -> None:
    a_record(world, RecordState.PENDING)
    a_record(world, RecordState.ENTERED)
    a_record(world, RecordState.VERIFIED)
    a_record(world, RecordState.PENDING, service="childrens_social_care")
    page = world.client_for("gold").get(records_url(world)).content.decode()
    # Waiting to be entered, entered, verified, total.
    assert count_row(page, "Adult social care") == ["1", "1", "1", "3"]
    assert count_row(page, "Children&#x27;s social care") == ["1", "0", "0", "1"]
    assert count_row(page, "Both services") == ["2", "1", "1", "4"]


def test_filters_it_does_not_know_show_the_records_still_to_reconcile(world: World) -> None:
    a_record(world, case_reference="OPEN-1")
    a_record(world, RecordState.VERIFIED, case_reference="DONE-1")
    page = world.client_for("gold").get(records_url(world) + "?state=nonsense&service=<b>").content.decode()
    assert "OPEN-1" in page and "DONE-1" not in page
    api = world.client_for("gold").get(f"/api/v1{records_url(world)}?state=nonsense&service=x")
    assert api.status_code == 200


def test_the_csv_export_lists_the_records_and_is_safe_in_a_spreadsheet(world: World) -> None:
    a_record(world, case_reference='=HYPERLINK("http://x")', summary="+cmd")
    response = world.client_for("staff").get(records_url(world) + "export.csv?state=all")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Number", "Service", "Local case reference"]
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    assert rows[1][5] == "'+cmd"
    assert world.client_for("admin").get(records_url(world) + "export.csv").status_code == 403


# --- API -------------------------------------------------------------------------------------------


def api(client: Client, url: str, data: dict[str, object]) -> object:
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_the_api_lists_creates_and_reconciles(world: World) -> None:
    the_people(world)
    bronze, staff = world.client_for("bronze"), world.client_for("staff")
    url = f"/api/v1/incidents/{world.incident_a.pk}/manual-records/"
    created = api(
        bronze,
        url,
        {
            "service": "childrens_social_care",
            "case_reference": "CSC-1",
            "activity": "referral",
            "happened_at": (now() - timedelta(hours=1)).isoformat(),
            "summary": "Referral by phone",
        },
    )
    assert created.status_code == 201  # type: ignore[attr-defined]
    body = created.json()  # type: ignore[attr-defined]
    assert (body["state"], body["version"], body["has_attachment"]) == ("pending", 1, False)
    pk = body["id"]
    assert [r["id"] for r in staff.get(url).json()["results"]] == [pk]
    entered = api(staff, f"/api/v1/manual-records/{pk}/enter/", {"version": 1, "system_reference": "MOS-7"})
    assert entered.json()["state"] == "entered"  # type: ignore[attr-defined]
    assert api(staff, f"/api/v1/manual-records/{pk}/verify/", {"version": 2}).status_code == 403  # type: ignore[attr-defined]
    assert api(bronze, f"/api/v1/manual-records/{pk}/verify/", {"version": 1}).status_code == 409  # type: ignore[attr-defined]
    verified = api(bronze, f"/api/v1/manual-records/{pk}/verify/", {"version": 2})
    assert verified.json()["state"] == "verified"  # type: ignore[attr-defined]
    undo = api(bronze, f"/api/v1/manual-records/{pk}/return/", {"version": 3, "reason": "x"})
    assert undo.status_code == 400  # type: ignore[attr-defined]  # verified cannot be undone


def test_the_api_answers_400_with_field_errors(world: World) -> None:
    the_people(world)
    url = f"/api/v1/incidents/{world.incident_a.pk}/manual-records/"
    response = api(
        world.client_for("bronze"),
        url,
        {
            "service": "housing",
            "case_reference": "",
            "activity": "visit",
            "happened_at": (now() + timedelta(hours=1)).isoformat(),
            "summary": "x",
        },
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert {"service", "case_reference"} <= set(response.json())  # type: ignore[attr-defined]
    response = api(
        world.client_for("bronze"),
        url,
        {
            "service": "adult_social_care",
            "case_reference": "A",
            "activity": "visit",
            "happened_at": (now() + timedelta(hours=1)).isoformat(),
            "summary": "x",
        },
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "happened_at" in response.json()  # type: ignore[attr-defined]


def test_the_api_takes_a_scan_as_multipart_and_refuses_a_fake_one(world: World) -> None:
    the_people(world)
    url = f"/api/v1/incidents/{world.incident_a.pk}/manual-records/"
    data = form_data(happened_at=(now() - timedelta(hours=1)).isoformat())
    bronze = world.client_for("bronze")
    bad = bronze.post(url, {**data, "attachment": upload("scan.pdf", b"not a pdf")})
    assert bad.status_code == 400
    assert "scan.pdf is not a readable PDF" in bad.json()["attachment"][0]
    good = bronze.post(url, {**data, "attachment": upload("scan.pdf", pdf_bytes())})
    assert good.status_code == 201
    assert good.json()["attachment_type"] == "application/pdf"


def test_purging_the_exercise_removes_the_scans_too(
    world: World, private_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from incident_console.closure.services import purge_incident

    content = pdf_bytes()
    entry = a_record(
        world,
        attachment=upload("scan.pdf", content),
        attachment_name="scan.pdf",
        attachment_size=len(content),
    )
    stored = Path(entry.attachment.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        purge_incident(incident=world.incident_a, actor=world.people["admin"], reason="Exercise over")
    assert not ManualRecord.objects.exists()
    assert not stored.exists()
