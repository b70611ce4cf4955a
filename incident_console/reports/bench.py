"""Time a 20-page sitrep through the PDF machinery against bare WeasyPrint on the same HTML.

Both are measured in one run, alternating, and the fastest of each is compared: the machinery's
render (template from the snapshot, then WeasyPrint) may take at most 1.3 times bare WeasyPrint.
No database is needed: the job is an unsaved row holding a synthetic snapshot.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .models import PdfJob, canonical_json, sha256_of

RATIO_BUDGET = 1.3
TARGET_PAGES = 20


def _iso(minutes: int) -> str:
    return (datetime(2026, 11, 23, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes)).isoformat()


def synthetic_snapshot(rows: int) -> dict[str, Any]:
    """A full sitrep snapshot with ``rows`` rows in each of its long tables."""
    words = "Phone the provider, confirm the visit list on paper and record the outcome in the log. "
    return {
        "document": {
            "marking": "OFFICIAL-SENSITIVE",
            "exercise": True,
            "reference": "CYB-2026-014",
            "title": "SITREP 7",
            "subtitle": "SITREP 7, issued Mon 23 Nov 2026, 17:00 GMT",
        },
        "sitrep": {"number": "7", "label": "SITREP 7", "amends": "", "council": "Northgate Borough Council"},
        "amendment_reason": "",
        "issued_at": _iso(480),
        "period": {"start": _iso(0), "end": _iso(480)},
        "next_sitrep_at": _iso(960),
        "incident_public": {
            "reference": "CYB-2026-014",
            "status": "Response",
            "severity": "Critical",
            "stage": "Contain",
            "services": ["Adult social care", "Children's social care"],
        },
        "incident_detail": {"title": "Ransomware on the case management servers", "summary": words * 4},
        "headline": words * 6,
        "impact": words * 8,
        "risks_issues": words * 4,
        "partner_headline": words * 2,
        "requests_of_partners": words * 2,
        "checklist_progress": [
            {"module": f"Module {n}", "done": n, "in_progress": 2, "total": 12} for n in range(4)
        ],
        "actions_completed": [
            {
                "title": f"{n}. {words}",
                "module": "Adult social care",
                "owner": "Marcus Webb",
                "completed_at": _iso(n),
            }
            for n in range(rows)
        ],
        "actions_due": [
            {
                "title": f"{n}. {words}",
                "module": "Children's social care",
                "owner": "Priya Shah",
                "due_at": _iso(n),
                "status": "In progress",
            }
            for n in range(rows)
        ],
        "decisions": [
            {"number": n + 1, "decision": words * 2, "maker": "Alex Morgan (Gold)", "decided_at": _iso(n)}
            for n in range(rows)
        ],
        "risks": [
            {"title": words, "score": 20 - n % 20, "owner": "Sam Patel", "mitigations": words}
            for n in range(rows)
        ],
        "data_protection": {"status": "No data-loss assessment recorded", "ico_deadline": None},
        "communications": [
            {
                "audience": "Public statement",
                "channel": "Website",
                "content": words * 2,
                "approved_by": "Gold",
                "sent_at": _iso(n),
            }
            for n in range(rows)
        ],
        "prepared_by": {"name": "Marcus Webb", "role": "Silver"},
        "approved_by": {"name": "Alex Morgan", "role": "Gold", "at": _iso(470)},
        "sign_off_roles": {"prepared": "Silver", "approved": "Gold"},
    }


def sitrep_job(rows: int) -> PdfJob:
    snapshot = synthetic_snapshot(rows)
    return PdfJob(
        kind="sitrep",
        variant="full",
        key="bench",
        title="SITREP 7",
        snapshot=snapshot,
        snapshot_sha256=sha256_of(snapshot),
    )


@dataclass
class BenchResult:
    pages: int
    machinery_ms: float
    bare_ms: float
    html_ms: float

    @property
    def ratio(self) -> float:
        return self.machinery_ms / self.bare_ms


def run(*, rows: int = 38, repeats: int = 5) -> BenchResult:
    return compare(sitrep_job(rows), repeats=repeats)


def compare(job: PdfJob, *, repeats: int = 5) -> BenchResult:
    """The job through the machinery (template from the snapshot, then WeasyPrint, as the worker
    renders it) against bare WeasyPrint on the same HTML, alternating; the fastest of each."""
    from weasyprint import HTML

    from . import rendering

    canonical_json(job.snapshot)
    html = rendering.render_html(job)
    _pdf, pages = rendering.render_pdf(job)  # warm-up: fonts and caches for both paths
    HTML(string=html).write_pdf()
    machinery: list[float] = []
    bare: list[float] = []
    html_only: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        rendering.render_pdf(job)
        machinery.append(time.perf_counter() - start)
        start = time.perf_counter()
        HTML(string=html).write_pdf()
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        rendering.render_html(job)
        html_only.append(time.perf_counter() - start)
    return BenchResult(
        pages=pages,
        machinery_ms=min(machinery) * 1000,
        bare_ms=min(bare) * 1000,
        html_ms=min(html_only) * 1000,
    )
