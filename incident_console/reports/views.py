"""Report pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.contacts.selectors import spocs_of
from incident_console.incidents import access as inc_access
from incident_console.incidents.models import Incident
from incident_console.incidents.sensitivity import may_see_service_user_data
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.forms import Saving, add_service_errors, saving
from incident_console.lib.time import now

from . import access, grab_pack, selectors, services
from .forms import CommsForm, DistributionForm, SitrepForm
from .models import JobState, Sitrep, SitrepStatus

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
    access.downloaded(signed_in_user(request), job)
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
    response["Content-Type"] = "application/pdf"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Sitreps ---------------------------------------------------------------------------------------


def sitrep_context(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    user = request.user
    return incident_context(
        request,
        incident,
        may_see_sitreps=inc_access.can(user, "view_sitreps", incident),
        may_draft=inc_access.can(user, "draft_sitrep", incident),
        may_approve=inc_access.can(user, "approve_sitrep", incident),
        may_issue=inc_access.can(user, "issue_sitrep", incident),
        may_see_comms=inc_access.can(user, "view_comms", incident),
        may_record_comms=inc_access.can(user, "record_comms", incident),
        **extra,
    )


def _sitrep_or_404(incident: Incident, sitrep_id: int) -> Sitrep:
    sitrep = selectors.sitrep_for(incident, sitrep_id)
    if sitrep is None:
        raise Http404
    return sitrep


@login_required
def sitrep_list(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_partner_sitreps")
    full = inc_access.can(request.user, "view_sitreps", incident)
    rows = list(selectors.sitreps(incident, issued_only=not full))
    return render(
        request,
        "reports/sitreps.html",
        sitrep_context(
            request,
            incident,
            drafts=[s for s in rows if s.status != SitrepStatus.ISSUED],
            issued=[s for s in rows if s.status == SitrepStatus.ISSUED],
            full=full,
        ),
    )


def _form_values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    values.pop("version", None)
    return values


@login_required
@require_http_methods(["GET", "POST"])
def sitrep_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "draft_sitrep")
    amends: Sitrep | None = None
    amends_id = request.GET.get("amends") or request.POST.get("amends")
    if amends_id:
        amends = (
            selectors.sitreps(incident, issued_only=True)
            .filter(pk=int(amends_id) if str(amends_id).isdigit() else 0, amendment=0)
            .first()
        )
        if amends is None:
            raise Http404
    initial: dict[str, Any] = {}
    if amends is not None:
        initial = {
            "headline": amends.headline,
            "impact": amends.impact,
            "risks_issues": amends.risks_issues,
            "partner_headline": amends.partner_headline,
            "requests_of_partners": amends.requests_of_partners,
            "next_sitrep_at": amends.next_sitrep_at,
        }
    form = SitrepForm(request.POST or None, amendment=amends is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sitrep = services.draft_sitrep(
                incident=incident,
                actor=signed_in_user(request),
                amends=amends,
                **_form_values(form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Gold approves it before it is issued."))
            return HttpResponseRedirect(reverse("reports:sitrep", args=[incident.pk, sitrep.pk]))
    return render(
        request, "reports/sitrep_form.html", sitrep_context(request, incident, form=form, amends=amends)
    )


@login_required
@require_http_methods(["GET", "POST"])
def sitrep_edit(request: HttpRequest, pk: int, sitrep_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "draft_sitrep")
    sitrep = _sitrep_or_404(incident, sitrep_id)
    if sitrep.status == SitrepStatus.ISSUED:
        messages.error(request, _("An issued sitrep cannot be changed. Draft an amendment instead."))
        return HttpResponseRedirect(reverse("reports:sitrep", args=[incident.pk, sitrep.pk]))
    form = SitrepForm(
        request.POST or None,
        amendment=sitrep.amends_id is not None,
        editing=True,
        initial={
            "headline": sitrep.headline,
            "impact": sitrep.impact,
            "risks_issues": sitrep.risks_issues,
            "partner_headline": sitrep.partner_headline,
            "requests_of_partners": sitrep.requests_of_partners,
            "next_sitrep_at": sitrep.next_sitrep_at,
            "amendment_reason": sitrep.amendment_reason,
            "version": sitrep.version,
        },
    )
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data.setdefault("amendment_reason", "")
        with saving(form) as outcome:
            services.update_sitrep(
                sitrep=sitrep, actor=signed_in_user(request), expected_version=version, **data
            )
        if outcome.saved:
            messages.success(request, _("Draft saved."))
            return HttpResponseRedirect(reverse("reports:sitrep", args=[incident.pk, sitrep.pk]))
    return render(
        request,
        "reports/sitrep_form.html",
        sitrep_context(request, incident, form=form, sitrep=sitrep, amends=sitrep.amends),
        status=outcome.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sitrep_detail(request: HttpRequest, pk: int, sitrep_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_sitreps")
    sitrep = _sitrep_or_404(incident, sitrep_id)
    may_distribute = sitrep.status == SitrepStatus.ISSUED and inc_access.can(
        request.user, "issue_sitrep", incident
    )
    form = DistributionForm(
        request.POST or None, contacts=spocs_of(incident.council_id), initial={"sent_at": now()}
    )
    status = 200
    if request.method == "POST":
        if not may_distribute:
            raise inc_access.AccessDenied("issue_sitrep")
        if form.is_valid():
            try:
                services.record_distribution(
                    sitrep=sitrep, actor=signed_in_user(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Recorded who it was sent to."))
                return HttpResponseRedirect(reverse("reports:sitrep", args=[incident.pk, sitrep.pk]))
        status = 400
    return render(
        request,
        "reports/sitrep.html",
        sitrep_context(
            request,
            incident,
            sitrep=sitrep,
            doc=sitrep.snapshot,
            form=form,
            may_distribute=may_distribute,
            distribution=list(sitrep.distribution.all()),
        ),
        status=status,
    )


def _workflow_step(request: HttpRequest, pk: int, sitrep_id: int, action: str) -> HttpResponse:
    incident = get_incident(request, pk, f"{action}_sitrep")
    sitrep = _sitrep_or_404(incident, sitrep_id)
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() else None
    step = services.approve_sitrep if action == "approve" else services.issue_sitrep
    try:
        done = step(sitrep=sitrep, actor=signed_in_user(request), expected_version=version)
    except StaleEditError:
        messages.error(request, _("The draft changed since you opened it. Read it again before you go on."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if action == "approve":
            messages.success(request, _("Approved. It can now be issued."))
        else:
            messages.success(
                request, _("%(sitrep)s issued. The PDFs are being made.") % {"sitrep": done.label}
            )
    return HttpResponseRedirect(reverse("reports:sitrep", args=[incident.pk, sitrep.pk]))


@login_required
@require_POST
def sitrep_approve(request: HttpRequest, pk: int, sitrep_id: int) -> HttpResponse:
    return _workflow_step(request, pk, sitrep_id, "approve")


@login_required
@require_POST
def sitrep_issue(request: HttpRequest, pk: int, sitrep_id: int) -> HttpResponse:
    return _workflow_step(request, pk, sitrep_id, "issue")


# --- Communications log ------------------------------------------------------------------------


@login_required
def comms_log(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_comms")
    return render(
        request,
        "reports/comms.html",
        sitrep_context(request, incident, entries=list(selectors.comms(incident)[:500])),
    )


@login_required
@require_http_methods(["GET", "POST"])
def comms_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "record_comms")
    form = CommsForm(request.POST or None, initial={"sent_at": now()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_comms(incident=incident, actor=signed_in_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Communication recorded."))
            return HttpResponseRedirect(reverse("reports:comms", args=[incident.pk]))
    return render(request, "reports/comms_form.html", sitrep_context(request, incident, form=form))


# --- Grab pack ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def grab_pack_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest grab pack with its progress, earlier ones, and a button to make one now."""
    incident = get_incident(request, pk, "view_command")
    user = signed_in_user(request)
    may_restrict = may_see_service_user_data(user, incident)
    if request.method == "POST":
        if request.POST.get("edition") == grab_pack.RESTRICTED:
            if not may_restrict:
                raise inc_access.AccessDenied("restricted_grab_pack")
            grab_pack.request_restricted_grab_pack(incident=incident, actor=user)
            messages.success(
                request,
                _("Your restricted grab pack is being made. It appears below when it is ready."),
            )
        else:
            grab_pack.request_grab_pack(incident=incident, actor=user)
            messages.success(request, _("The grab pack is being made. It appears below when it is ready."))
        return HttpResponseRedirect(reverse("reports:grab_pack", args=[incident.pk]))
    packs = grab_pack.recent(incident)
    mine = grab_pack.recent(incident, 5, restricted_for=user) if may_restrict else []
    return render(
        request,
        "reports/grab_pack.html",
        incident_context(
            request,
            incident,
            latest=packs[0] if packs else None,
            earlier=packs[1:],
            may_restrict=may_restrict,
            restricted=mine,
        ),
    )
