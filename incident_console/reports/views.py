"""Report pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from incident_console.accounts.auth import signed_in_user

from . import access, services
from .models import JobState

# --- PDF jobs ------------------------------------------------------------------------------------


@login_required
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's state: the HTMX fragment when polled, a page of its own without JavaScript."""
    job = access.job_for(request.user, job_id)
    context = {
        "job": job,
        "label": request.GET.get("label", "")[:80] or job.title,
        "classification": job.snapshot.get("document", {}).get("marking", "OFFICIAL"),
        "is_exercise": bool(job.snapshot.get("document", {}).get("exercise")),
        "incident": job.incident,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "reports/job.html#job-progress", context)
    return render(request, "reports/job.html", context)


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access.job_for(request.user, job_id)
    job = services.retry_job(job=job, actor=signed_in_user(request))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "reports/job.html#job-progress", {"job": job, "label": job.title})
    return HttpResponseRedirect(reverse("reports:job", args=[job.pk]))


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = access.job_for(request.user, job_id)
    if job.state != JobState.DONE or not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, no-store"
    return response
