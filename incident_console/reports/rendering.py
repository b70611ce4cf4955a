"""HTML from a job's snapshot, and the PDF from that HTML. WeasyPrint is called only from here,
and only the worker calls this (through ``services.render_job``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string

from . import kinds

if TYPE_CHECKING:
    from .models import PdfJob


def context_for(job: PdfJob) -> dict[str, Any]:
    kind = kinds.get(job.kind)
    doc = kinds.select(kind, job.variant, job.snapshot)
    return {
        "doc": doc,
        "document": doc[kinds.DOCUMENT_KEY],
        "variant": job.variant,
        # The SHA-256 of the whole snapshot (both variants print the same one), so a printed copy
        # can be matched to the issued record.
        "snapshot_sha256": job.snapshot_sha256,
    }


def render_html(job: PdfJob) -> str:
    """The HTML of a job, from its snapshot alone (never from live data)."""
    return render_to_string(kinds.get(job.kind).template, context_for(job))


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """PDF bytes and page count. Remote resources are refused: the HTML is self-contained."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetch).render()
    return document.write_pdf(), len(document.pages)


def render_pdf(job: PdfJob) -> tuple[bytes, int]:
    return html_to_pdf(render_html(job))


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"PDF templates may not load {url!r}.")
