"""Manual records inside council A's incident, for these tests and the shared harnesses.

`the_people(w)`: gold holds Gold, bronze holds Bronze in the adult social care cell, and staff
holds the council-level adult social care role. They (and only they, of council A) may see
service-user data on the incident."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from incident_console.accounts.models import Membership, Role
from incident_console.command.models import Assignment
from incident_console.command.services import assign_role
from incident_console.continuity.models import ManualRecord, RecordState
from incident_console.continuity.services import add_record, enter_record, verify_record
from incident_console.lib.time import now
from tests.conftest import World

VIEWERS = {"gold", "bronze", "staff"}
# In the shared harnesses staff keep their plain role (a social care role would ask them for a
# second factor their test session has not passed): gold enters, so only bronze may verify.
COMMAND_VIEWERS = {"gold", "bronze"}


def the_people(w: World, *, staff: bool = True) -> None:
    incident = w.incident_a
    gold = w.people["gold"]
    if not Assignment.objects.filter(incident=incident, user=gold, tier="gold").exists():
        assign_role(incident=incident, actor=gold, user=gold, tier="gold")
    bronze = w.people["bronze"]
    if not Assignment.objects.filter(incident=incident, user=bronze, cell="adult_social_care").exists():
        assign_role(incident=incident, actor=gold, user=bronze, tier="bronze", cell="adult_social_care")
    if staff:
        Membership.objects.get_or_create(user=w.people["staff"], council=w.a, role=Role.SOCIAL_CARE_ADULTS)


def a_record(
    w: World, state: str = RecordState.PENDING, *, enterer: str = "staff", **overrides: object
) -> ManualRecord:
    """A home visit recorded by bronze; entered (by staff unless said) and verified by bronze as
    asked."""
    the_people(w, staff=enterer == "staff")
    existing = ManualRecord.objects.filter(incident=w.incident_a, state=state).first()
    if existing is not None and not overrides:
        return existing
    values: dict[str, object] = {
        "service": "adult_social_care",
        "case_reference": "ASC-40417",
        "activity": "visit",
        "happened_at": now() - timedelta(hours=3),
        "summary": "Home visit: safe and well.",
        **overrides,
    }
    entry = add_record(incident=w.incident_a, actor=w.people["bronze"], **values)  # type: ignore[arg-type]
    if state in (RecordState.ENTERED, RecordState.VERIFIED):
        entry = enter_record(
            entry=entry, actor=w.people[enterer], expected_version=entry.version, system_reference="MOS-1"
        )
    if state == RecordState.VERIFIED:
        entry = verify_record(entry=entry, actor=w.people["bronze"], expected_version=entry.version)
    return entry


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="JPEG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def form_data(**overrides: object) -> dict[str, object]:
    return {
        "service": "adult_social_care",
        "case_reference": "ASC-40417",
        "activity": "visit",
        "happened_at": (now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "summary": "Home visit: safe and well.",
        **overrides,
    }


def a_record_with_scan(w: World) -> ManualRecord:
    existing = ManualRecord.objects.filter(incident=w.incident_a).exclude(attachment="").first()
    if existing is not None:
        return existing
    content = pdf_bytes()
    return a_record(
        w,
        enterer="gold",
        attachment=upload("scan.pdf", content),
        attachment_name="scan.pdf",
        attachment_size=len(content),
    )
