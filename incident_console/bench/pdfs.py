"""PDFs of the large incident through the machinery (template from the snapshot, then WeasyPrint,
as the worker renders them) against bare WeasyPrint on the same HTML: ``reports.bench.compare``."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from django.db import transaction

from incident_console.incidents.models import Incident
from incident_console.reports import bench, grab_pack, services, snapshot
from incident_console.reports.models import PdfJob, canonical_json, sha256_of

from .data import Dataset


class Rollback(Exception):
    pass


@dataclass
class PdfResult:
    name: str
    result: bench.BenchResult
    snapshot_ms: float


def _job(kind: str, variant: str, data: dict[str, object]) -> PdfJob:
    stored = json.loads(canonical_json(data))
    return PdfJob(
        kind=kind,
        variant=variant,
        key="bench",
        title=kind,
        snapshot=stored,
        snapshot_sha256=sha256_of(stored),
    )


def run(dataset: Dataset, *, repeats: int = 3) -> list[PdfResult]:
    incident = Incident.objects.select_related("council").get(pk=dataset.big_incident_id)
    results: list[PdfResult] = []
    began = time.perf_counter()
    pack = grab_pack.snapshot(incident)
    pack_ms = (time.perf_counter() - began) * 1000
    results.append(
        PdfResult(
            "grab pack PDF (general)",
            bench.compare(_job(grab_pack.KIND, grab_pack.GENERAL, pack), repeats=repeats),
            pack_ms,
        )
    )
    try:
        with transaction.atomic():
            sitrep = services.draft_sitrep(
                incident=incident,
                actor=dataset.responder,
                headline="Services are running on paper while the case management system is rebuilt. " * 6,
                impact="Visits are confirmed by phone and recorded on paper forms for later entry. " * 8,
                risks_issues="Paper records may be lost before they are entered. " * 4,
            )
            began = time.perf_counter()
            data = snapshot.build(sitrep)
            sitrep_ms = (time.perf_counter() - began) * 1000
            job = _job("sitrep", "full", data)
            raise Rollback
    except Rollback:
        pass
    results.append(PdfResult("sitrep PDF (full)", bench.compare(job, repeats=repeats), sitrep_ms))
    return results
