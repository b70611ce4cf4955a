"""PDF jobs through the real PdfJob path (issued sitreps and grab packs), and the checks that a
finished one is a whole, marked PDF that was made once."""

from __future__ import annotations

import io

from pypdf import PdfReader

from incident_console.reports import grab_pack
from incident_console.reports.models import JobState, PdfJob
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World
from tests.reports.pdf_text import read_pages
from tests.reports.sitrep_helpers import an_issued


def grab_packs(w: World, count: int) -> list[PdfJob]:
    """A grab pack of each of the first ``count`` incidents (at most two)."""
    incidents = [w.incident_a, w.incident_b][:count]
    return [grab_pack.request_grab_pack(incident=incident, actor=w.people["gold"]) for incident in incidents]


def sitrep_pdfs(w: World, sitreps: int, first_number: int = 1) -> list[PdfJob]:
    """Issue ``sitreps`` sitreps of council A's exercise: a full and a partner PDF job each."""
    jobs: list[PdfJob] = []
    for number in range(first_number, first_number + sitreps):
        sitrep = an_issued(w, headline=f"Situation report {number}: systems isolated; recovery under way.")
        jobs += [job for job in (sitrep.full_pdf, sitrep.partner_pdf) if job is not None]
    return jobs


def split_pdfs(count: int) -> tuple[int, int]:
    """``count`` PDF jobs as (grab packs, sitreps): one or two grab packs (two when ``count`` is
    even), the rest as sitreps of two PDFs each."""
    packs = 1 if count % 2 else min(2, count)
    return packs, (count - packs) // 2


def unfinished(jobs: list[PdfJob]) -> int:
    return PdfJob.objects.filter(pk__in=[j.pk for j in jobs]).exclude(state=JobState.DONE).count()


def problems_with(job: PdfJob) -> list[str]:
    """What is wrong with a job that should be done: its state, its file, or the marking on a page.
    Empty when the PDF is whole, opens with pypdf and every page carries its marking (and EXERCISE
    for an exercise) top and bottom, with its page number."""
    job.refresh_from_db()
    if job.state != JobState.DONE:
        return [f"job {job.pk} ({job.kind}) is {job.state}: {job.error}"]
    with job.file.open("rb") as handle:
        data = bytes(handle.read())
    if not data.startswith(b"%PDF"):
        return [f"job {job.pk}: file does not start with %PDF"]
    found: list[str] = []
    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) != job.page_count:
        found.append(f"job {job.pk}: {len(reader.pages)} pages, the row says {job.page_count}")
    document = job.snapshot["document"]
    pages = read_pages(data)
    for page in pages:
        top, bottom = " ".join(page.top), " ".join(page.bottom)
        if document["marking"] not in top or document["marking"] not in bottom:
            found.append(f"job {job.pk} page {page.number}: no {document['marking']} marking")
        if document["exercise"] and ("EXERCISE" not in top or "EXERCISE" not in bottom):
            found.append(f"job {job.pk} page {page.number}: no EXERCISE marking")
        if f"Page {page.number} of {len(pages)}" not in bottom:
            found.append(f"job {job.pk} page {page.number}: no page number")
    return found


def times_made(job: PdfJob) -> int:
    """How many times the job's PDF was recorded as made on its incident's timeline."""
    return TimelineEvent.objects.filter(
        incident_id=job.incident_id or 0, kind="pdf_done", data__job=job.pk
    ).count()
