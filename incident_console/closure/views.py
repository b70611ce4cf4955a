"""Closure pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council, User
from incident_console.incidents import access as inc_access
from incident_console.incidents.models import Status
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.errors import ValidationError
from incident_console.lib.forms import add_service_errors
from incident_console.reports.models import JobState

from . import selectors, services
from .access import admin_council_ids
from .forms import ReasonForm, RetentionForm
from .models import ArchiveJob


@login_required
def archive_list(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_archives")
    user = request.user
    return render(
        request,
        "closure/archives.html",
        incident_context(
            request,
            incident,
            archives=list(selectors.archives(incident)[:100]),
            may_request=incident.status == Status.CLOSED,
            may_download=inc_access.can(user, "download_archive", incident),
            may_purge=inc_access.can(user, "purge_incident", incident),
            may_reset=incident.is_exercise and inc_access.can(user, "reset_exercise", incident),
            refusal=services.purge_refusal(incident),
        ),
    )


@login_required
@require_POST
def archive_request(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_archives")
    try:
        services.request_archive(incident=incident, actor=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new archive export is being made."))
    return HttpResponseRedirect(reverse("closure:archives", args=[incident.pk]))


@login_required
def archive_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The archive's state: the HTMX fragment when polled, a page of its own without JavaScript."""
    job = selectors.archive_for(request.user, job_id)
    context = incident_context(request, job.incident, job=job, may_download=_may_download(request, job))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "closure/archive.html#archive-progress", context)
    return render(request, "closure/archive.html", context)


@login_required
@require_POST
def archive_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.archive_for(request.user, job_id)
    job = services.retry_archive(job=job, actor=signed_in_user(request))
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "closure/archive.html#archive-progress",
            {"job": job, "may_download": _may_download(request, job)},
        )
    return HttpResponseRedirect(reverse("closure:archive", args=[job.pk]))


def _may_download(request: HttpRequest, job: ArchiveJob) -> bool:
    return inc_access.can(request.user, "download_archive", job.incident)


@login_required
def archive_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = selectors.archive_for(request.user, job_id, "download_archive")
    if job.state != JobState.DONE or not job.file:
        raise Http404
    return zip_response(job, signed_in_user(request), via="page")


def zip_response(job: ArchiveJob, actor: User, *, via: str) -> FileResponse:
    """The ZIP of a built archive, for the page and the API. The download is logged first (timeline
    and access logs); a ZIP missing from storage is a 404 and logs nothing."""
    try:
        handle = job.file.storage.open(str(job.file.name), "rb")
    except FileNotFoundError:
        raise Http404 from None
    try:
        services.record_archive_download(job=job, actor=actor, via=via)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(handle, as_attachment=True, filename=job.filename)
    response["Content-Type"] = "application/zip"
    response["Cache-Control"] = "private, no-store"
    return response


def _reason_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    action = "purge_incident" if kind == "purge" else "reset_exercise"
    incident = get_incident(request, pk, action)
    if kind == "reset" and not incident.is_exercise:
        raise Http404
    form = ReasonForm(request.POST or None, reference=incident.reference)
    refusal = services.purge_refusal(incident) if kind == "purge" else None
    if request.method == "POST" and form.is_valid() and refusal is None:
        actor = signed_in_user(request)
        reason = form.cleaned_data["reason"]
        try:
            if kind == "purge":
                services.purge_incident(incident=incident, actor=actor, reason=reason)
            else:
                services.reset_exercise(incident=incident, actor=actor, reason=reason)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if kind == "purge":
                messages.success(request, _("%(reference)s was purged.") % {"reference": incident.reference})
                return HttpResponseRedirect(reverse("closure:purge_records"))
            messages.success(request, _("The exercise was reset and can be run again."))
            return HttpResponseRedirect(reverse("incidents:detail", args=[incident.pk]))
    return render(
        request,
        "closure/purge_form.html",
        incident_context(request, incident, form=form, kind=kind, refusal=refusal),
    )


@login_required
@require_http_methods(["GET", "POST"])
def purge(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, "purge")


@login_required
@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, "reset")


@login_required
def purge_records(request: HttpRequest) -> HttpResponse:
    if not admin_council_ids(request.user):
        raise PermissionDenied
    councils = list(Council.objects.filter(pk__in=admin_council_ids(request.user)).order_by("name"))
    return render(
        request,
        "closure/purge_records.html",
        {"records": list(selectors.purge_records(request.user)[:200]), "councils": councils},
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest, council_id: int) -> HttpResponse:
    if council_id not in inc_access.council_roles(request.user):
        raise Http404
    if council_id not in admin_council_ids(request.user):
        raise PermissionDenied
    council = get_object_or_404(Council, pk=council_id)
    form = RetentionForm(request.POST or None, initial={"retention_days": council.retention_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_retention(
                council=council,
                actor=signed_in_user(request),
                retention_days=form.cleaned_data["retention_days"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Retention period saved for %(council)s.") % {"council": council.name}
            )
            return HttpResponseRedirect(reverse("closure:purge_records"))
    return render(request, "closure/retention.html", {"form": form, "council": council})
