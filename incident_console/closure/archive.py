"""Build and verify an incident's archive export: a ZIP of open formats with a SHA-256 manifest.

Layout::

    manifest.json              reference, sections, every other file's SHA-256 and size, and
                               what is missing (files the console could not put in)
    README.txt                 what the archive is, how to check it, and what is missing
    incident.json              the incident row
    timeline.jsonl             one event per line, with its hash and the previous event's hash
    decisions.csv              the decision log, corrections included
    sitreps/sitreps.json       every sitrep row; issued ones also have
    sitreps/<n>.json             the issued snapshot (with its SHA-256) and
    sitreps/<n>-<variant>.pdf    the rendered PDFs
    assessments/<id>.json      each data-loss assessment with its versions and sign-offs
    manual-records/records.csv           manual workaround records and their reconciliation
    manual-records/closure-decisions.csv Gold's decisions to close with records unreconciled
    manual-records/scans/<id>-<name>     the photos and scans of paper forms
    payments/payments.csv                emergency payments
    payments/bank-detail-changes.csv     bank-detail changes and their call-backs
    safeguarding/deadlines.csv           the safeguarding critical timings register
    priority-cases/cases.csv             priority cases
    priority-cases/contacts.csv          each contact made with them
    priority-cases/access-log.csv        who viewed them, how and when
    lessons/lessons.csv                  the lessons log
    lessons/recovery-handovers.json      each handover from response to recovery, its snapshot

The manual records, payments, safeguarding and priority-case sections hold service-user data, so
downloading the ZIP is narrower than seeing the archive page (see closure/access.py).

The manifest is not listed in itself; its own SHA-256 is stored on the archive job, and
``verify`` (with ``manage.py verify_archive --archive-id``) checks it against that value, which
catches a manifest rewritten to match a changed file.

A file that should be in the archive but cannot be (a scan missing from storage, a sitrep PDF
still rendering when the incident closed) does not stop the build: it is listed under
``missing`` in the manifest and in README.txt, so the reader knows it is not there.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from incident_console.lib.time import now

if TYPE_CHECKING:
    from incident_console.incidents.models import Incident

MANIFEST = "manifest.json"
README = "README.txt"
PRIORITY_CASES = "priority-cases/cases.csv"
FORMAT_VERSION = 2  # 2: README.txt and the manifest's "missing" list


def _dumps(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, indent=2, ensure_ascii=False).encode()


def row(obj: models.Model) -> dict[str, Any]:
    """Every stored field of a row, foreign keys as ids."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        out[field.attname] = value
    normalised: dict[str, Any] = json.loads(json.dumps(out, cls=DjangoJSONEncoder))
    return normalised


def rows_csv(model: type[models.Model], objects: list[Any]) -> bytes:
    """Rows of one model as CSV: every stored field, a header of field names."""
    names = [f.attname for f in model._meta.concrete_fields]
    text = io.StringIO()
    out = csv.DictWriter(text, fieldnames=names, lineterminator="\n")
    out.writeheader()
    for obj in objects:
        out.writerow(row(obj))
    return text.getvalue().encode()


@dataclass
class Built:
    content: bytes
    manifest: dict[str, Any]
    manifest_sha256: str


class _Writer:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", compression=zipfile.ZIP_DEFLATED)
        self.files: list[dict[str, Any]] = []
        self.missing: list[dict[str, Any]] = []

    def add(self, path: str, content: bytes) -> None:
        self.zip.writestr(path, content)
        self.files.append(
            {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
        )

    def miss(self, path: str, reason: str, **about: Any) -> None:
        """A file that belongs in the archive but could not be put in: listed, never skipped."""
        self.missing.append({"path": path, "reason": reason, **about})

    def finish(self, manifest: dict[str, Any]) -> Built:
        manifest["missing"] = self.missing
        self.add(README, _readme(manifest))
        manifest["files"] = self.files
        body = _dumps(manifest)
        self.zip.writestr(MANIFEST, body)
        self.zip.close()
        return Built(self.buffer.getvalue(), manifest, hashlib.sha256(body).hexdigest())


def build(incident: Incident) -> Built:
    from incident_console.assessments.models import Assessment
    from incident_console.command.models import Decision
    from incident_console.reports.models import JobState, Sitrep
    from incident_console.timeline.models import TimelineEvent

    writer = _Writer()
    writer.add("incident.json", _dumps(row(incident)))

    events = list(TimelineEvent.objects.filter(incident=incident).order_by("sequence"))
    lines = [json.dumps(row(e), cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False) for e in events]
    writer.add("timeline.jsonl", ("\n".join(lines) + ("\n" if lines else "")).encode())

    decisions = list(Decision.objects.filter(incident=incident).order_by("sequence"))
    writer.add("decisions.csv", rows_csv(Decision, decisions))

    sitreps = list(
        Sitrep.objects.filter(incident=incident)
        .select_related("full_pdf", "partner_pdf")
        .order_by("number", "amendment", "created_at")
    )
    writer.add("sitreps/sitreps.json", _dumps([row(s) for s in sitreps]))
    pdfs = pdfs_missing = 0
    for sitrep in sitreps:
        if sitrep.snapshot is None or sitrep.number is None:
            continue
        stem = f"sitreps/sitrep-{sitrep.number_label}"
        writer.add(f"{stem}.json", _dumps({"snapshot": sitrep.snapshot, "sha256": sitrep.snapshot_sha256}))
        for variant, job in (("full", sitrep.full_pdf), ("partner", sitrep.partner_pdf)):
            path = f"{stem}-{variant}.pdf"
            about = {"section": "sitreps", "sitrep": sitrep.number_label, "variant": variant}
            if job is None or job.state != JobState.DONE or not job.file:
                state = job.state if job is not None else "not requested"
                writer.miss(path, f"The PDF was not yet made when the archive was built ({state}).", **about)
                pdfs_missing += 1
                continue
            try:
                with job.file.storage.open(str(job.file.name), "rb") as handle:
                    writer.add(path, handle.read())
            except FileNotFoundError:
                writer.miss(path, "The PDF was not found in storage when the archive was built.", **about)
                pdfs_missing += 1
                continue
            pdfs += 1

    assessments = list(
        Assessment.objects.filter(incident=incident).prefetch_related("versions__sign_offs").order_by("pk")
    )
    for assessment in assessments:
        data = row(assessment)
        data["versions"] = []
        for version in assessment.versions.all():
            entry = row(version)
            entry["sign_offs"] = [row(s) for s in version.sign_offs.all()]
            data["versions"].append(entry)
        writer.add(f"assessments/assessment-{assessment.pk}.json", _dumps(data))

    sections = _service_user_sections(writer, incident)
    sections |= _lessons_sections(writer, incident)

    manifest = {
        "format": FORMAT_VERSION,
        "incident": {
            "reference": incident.reference,
            "title": incident.title,
            "council": incident.council.name,
            "exercise": incident.is_exercise,
            "status": incident.status,
            "closed_at": incident.closed_at,
            "retain_until": incident.retain_until,
        },
        "generated_at": now(),
        "sections": {
            "timeline": {"file": "timeline.jsonl", "events": len(events)},
            "decisions": {"file": "decisions.csv", "entries": len(decisions)},
            "sitreps": {
                "folder": "sitreps/",
                "sitreps": len(sitreps),
                "pdfs": pdfs,
                "pdfs_missing": pdfs_missing,
            },
            "assessments": {"folder": "assessments/", "assessments": len(assessments)},
            **sections,
        },
    }
    return writer.finish(json.loads(json.dumps(manifest, cls=DjangoJSONEncoder)))


def _readme(manifest: dict[str, Any]) -> bytes:
    """README.txt: what this is, how to check it, and every file that is missing and why."""
    about = manifest["incident"]
    lines = [
        f"Archive export of {about['reference']}: {about['title']}",
        f"Council: {about['council']}",
        f"Exercise: {'yes' if about['exercise'] else 'no'}",
        f"Closed at (UTC): {about['closed_at'] or '-'}",
        f"Kept until (UTC): {about['retain_until'] or '-'}",
        f"Built at (UTC): {manifest['generated_at']}",
        "",
        "This archive holds case records about people at risk, payments to people, safeguarding",
        "deadlines and priority cases. It is personal data: handle it as OFFICIAL-SENSITIVE.",
        "",
        f"{MANIFEST} lists every other file in the archive with its SHA-256. To check the archive,",
        "including that the manifest itself has not been changed, run:",
        "    manage.py verify_archive <this ZIP> --archive-id <archive number>",
        "",
        "Not in this archive",
        "-------------------",
    ]
    if manifest["missing"]:
        lines += [f"- {entry['path']}: {entry['reason']}" for entry in manifest["missing"]]
    else:
        lines.append("Nothing: every file the console held for this incident is here.")
    return ("\n".join(lines) + "\n").encode()


def priority_case_ids(source: str | Path | IO[bytes]) -> list[int]:
    """The ids of the priority cases an archive holds (from priority-cases/cases.csv)."""
    with zipfile.ZipFile(source) as archived:
        if PRIORITY_CASES not in archived.namelist():
            return []
        text = archived.read(PRIORITY_CASES).decode()
    return [int(r["id"]) for r in csv.DictReader(io.StringIO(text)) if (r.get("id") or "").isdigit()]


def _csv(writer: _Writer, path: str, model: type[models.Model], objects: list[Any]) -> int:
    writer.add(path, rows_csv(model, objects))
    return len(objects)


def _service_user_sections(writer: _Writer, incident: Incident) -> dict[str, Any]:
    """Manual records (with their scans), payments, safeguarding deadlines and priority cases."""
    from incident_console.continuity.models import ClosureOverride, ManualRecord
    from incident_console.payments.models import BankDetailChange, EmergencyPayment
    from incident_console.priority_cases.models import CaseContact, PriorityCase, PriorityCaseAccess
    from incident_console.safeguarding.models import Deadline

    records = list(ManualRecord.objects.filter(incident=incident).order_by("pk"))
    scans = scans_missing = 0
    for record in records:
        if not record.attachment:
            continue
        name = Path(record.attachment_name or str(record.attachment.name)).name
        path = f"manual-records/scans/{record.pk}-{name}"
        try:
            with record.attachment.storage.open(str(record.attachment.name), "rb") as handle:
                writer.add(path, handle.read())
        except FileNotFoundError:
            writer.miss(
                path,
                "The scan was not found in storage when the archive was built.",
                section="manual_records",
                record=record.pk,
            )
            scans_missing += 1
            continue
        scans += 1
    cases = list(PriorityCase.objects.filter(incident=incident).order_by("pk"))
    return {
        "manual_records": {
            "folder": "manual-records/",
            "records": _csv(writer, "manual-records/records.csv", ManualRecord, records),
            "scans": scans,
            "scans_missing": scans_missing,
            "closure_decisions": _csv(
                writer,
                "manual-records/closure-decisions.csv",
                ClosureOverride,
                list(ClosureOverride.objects.filter(incident=incident).order_by("pk")),
            ),
        },
        "payments": {
            "folder": "payments/",
            "payments": _csv(
                writer,
                "payments/payments.csv",
                EmergencyPayment,
                list(EmergencyPayment.objects.filter(incident=incident).order_by("pk")),
            ),
            "bank_detail_changes": _csv(
                writer,
                "payments/bank-detail-changes.csv",
                BankDetailChange,
                list(BankDetailChange.objects.filter(incident=incident).order_by("pk")),
            ),
        },
        "safeguarding": {
            "file": "safeguarding/deadlines.csv",
            "deadlines": _csv(
                writer,
                "safeguarding/deadlines.csv",
                Deadline,
                list(Deadline.objects.filter(incident=incident).order_by("pk")),
            ),
        },
        "priority_cases": {
            "folder": "priority-cases/",
            "cases": _csv(writer, "priority-cases/cases.csv", PriorityCase, cases),
            "contacts": _csv(
                writer,
                "priority-cases/contacts.csv",
                CaseContact,
                list(CaseContact.objects.filter(case__in=cases).order_by("pk")),
            ),
            "views": _csv(
                writer,
                "priority-cases/access-log.csv",
                PriorityCaseAccess,
                list(PriorityCaseAccess.objects.filter(incident=incident).order_by("pk")),
            ),
        },
    }


def _lessons_sections(writer: _Writer, incident: Incident) -> dict[str, Any]:
    from incident_console.lessons.models import Lesson, RecoveryHandover

    handovers = [row(h) for h in RecoveryHandover.objects.filter(incident=incident).order_by("pk")]
    writer.add("lessons/recovery-handovers.json", _dumps(handovers))
    return {
        "lessons": {
            "folder": "lessons/",
            "lessons": _csv(
                writer,
                "lessons/lessons.csv",
                Lesson,
                list(Lesson.objects.filter(incident=incident).order_by("pk")),
            ),
            "recovery_handovers": len(handovers),
        }
    }


def verify(source: str | Path | IO[bytes], manifest_sha256: str | None = None) -> list[str]:
    """Problems with an archive: each names a file. An empty list means the manifest verifies.

    The manifest only proves the files match the manifest: someone who changes a file can rewrite
    the manifest too. Given ``manifest_sha256`` (the value the console stored when it built the
    archive), the manifest itself is checked against it, which catches that.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        return [f"not a readable ZIP: {error}"]
    with archive:
        present = set(archive.namelist())
        if MANIFEST not in present:
            return [f"{MANIFEST}: missing"]
        body = archive.read(MANIFEST)
        problems: list[str] = []
        if manifest_sha256 and hashlib.sha256(body).hexdigest() != manifest_sha256.strip().lower():
            problems.append(f"{MANIFEST}: SHA-256 does not match the expected value (it was changed)")
        try:
            manifest = json.loads(body)
            listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
        except (ValueError, KeyError, TypeError) as error:
            return [*problems, f"{MANIFEST}: unreadable ({error})"]
        for path, expected in sorted(listed.items()):
            if path not in present:
                problems.append(f"{path}: missing")
                continue
            actual = hashlib.sha256(archive.read(path)).hexdigest()
            if actual != expected:
                problems.append(f"{path}: SHA-256 does not match the manifest")
        for path in sorted(present - set(listed) - {MANIFEST}):
            if not path.endswith("/"):
                problems.append(f"{path}: not listed in the manifest")
        return problems
