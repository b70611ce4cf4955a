"""Assessment pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.command.views import _csv_time, safe_cell
from incident_console.incidents import access as incident_access
from incident_console.incidents.models import Incident
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.forms import Saving, add_service_errors, saving

from . import access, pdf, selectors, services
from .forms import OUTCOMES, AssessmentForm, AwarenessForm, SignOffForm
from .models import CONTENT_FIELDS, SignOffRole


def assessment_context(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    user = request.user
    return incident_context(
        request,
        incident,
        may_write_assessment=incident_access.can(user, "write_assessment", incident),
        clocks=selectors.clocks(incident),
        **extra,
    )


def _councils(user: Any, incident: Incident) -> list[Council]:
    return list(Council.objects.filter(pk__in=access.writable_councils(user, incident)).order_by("name"))


@login_required
def assessment_list(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_assessments")
    awareness = list(selectors.controller_awareness(incident))
    connected = incident.shared_with.exists()
    return render(
        request,
        "assessments/list.html",
        assessment_context(
            request,
            incident,
            assessments=list(selectors.assessments_for(request.user, incident)),
            awareness=awareness,
            may_record_awareness=connected
            and services.may_record_awareness(signed_in_user(request), incident),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "write_assessment")
    form = AssessmentForm(request.POST or None, councils=_councils(request.user, incident))
    if request.method == "POST" and form.is_valid():
        council = Council.objects.get(pk=form.cleaned_data["council"])
        try:
            assessment = services.create_assessment(
                incident=incident,
                council=council,
                actor=signed_in_user(request),
                title=form.cleaned_data["title"],
                content=form.content(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Assessment saved as a draft."))
            return HttpResponseRedirect(reverse("assessments:detail", args=[assessment.pk]))
    return render(request, "assessments/form.html", assessment_context(request, incident, form=form))


def _grid(likelihood: int, severity: int) -> list[dict[str, Any]]:
    rows = []
    for s in range(5, 0, -1):
        cells = []
        for lk in range(1, 6):
            score = lk * s
            colour = (
                "govuk-tag--red" if score >= 15 else "govuk-tag--orange" if score >= 8 else "govuk-tag--green"
            )
            cells.append({"score": score, "colour": colour, "here": (lk, s) == (likelihood, severity)})
        rows.append({"severity": s, "cells": cells})
    return rows


@login_required
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id)
    incident = assessment.incident
    current = assessment.current
    assert current is not None
    user = request.user
    return render(
        request,
        "assessments/detail.html",
        assessment_context(
            request,
            incident,
            assessment=assessment,
            current=current,
            versions=selectors.versions(assessment),
            grid=_grid(current.likelihood, current.severity),
            required=[SignOffRole(r).label for r in services.required_roles(current)],
            may_edit=incident_access.can(user, "edit_assessment", assessment),
            may_sign=incident_access.can(user, "sign_off_assessment", assessment)
            and assessment.state == "submitted",
            may_submit=incident_access.can(user, "edit_assessment", assessment)
            and assessment.state in ("draft", "returned"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id, "edit_assessment")
    current = assessment.current
    assert current is not None
    incident = assessment.incident
    initial = {**current.content(), "title": assessment.title, "version": assessment.version}
    form = AssessmentForm(request.POST or None, councils=[], editing=True, initial=initial)
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        with saving(form) as outcome:
            services.new_version(
                assessment=assessment,
                actor=signed_in_user(request),
                expected_version=form.cleaned_data.get("version"),
                content=form.content(),
                change_note=form.cleaned_data.get("change_note") or "",
                title=form.cleaned_data["title"],
            )
        if outcome.saved:
            messages.success(request, _("New version saved. Earlier sign-offs do not cover it."))
            return HttpResponseRedirect(reverse("assessments:detail", args=[assessment.pk]))
    return render(
        request,
        "assessments/form.html",
        assessment_context(request, incident, form=form, assessment=assessment),
        status=outcome.status,
    )


@login_required
@require_POST
def assessment_submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id, "edit_assessment")
    version = request.POST.get("version", "")
    try:
        services.submit(
            assessment=assessment,
            actor=signed_in_user(request),
            expected_version=int(version) if version.isdigit() else None,
        )
    except StaleEditError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted for sign-off."))
    return HttpResponseRedirect(reverse("assessments:detail", args=[assessment.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def assessment_sign_off(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, assessment_id, "sign_off_assessment")
    user = signed_in_user(request)
    roles = [r for r in SignOffRole.values if r in access.dp_roles(user, assessment.council_id)]
    form = SignOffForm(request.POST or None, roles=roles, initial={"version": assessment.version})
    status = 200
    if request.method == "POST":
        role = request.POST.get("role", "")
        if role in SignOffRole.values and role not in roles:
            raise incident_access.AccessDenied("sign_off_assessment")
        outcome = request.POST.get("outcome", "signed")
        if form.is_valid() and outcome in OUTCOMES:
            act = services.sign_off if outcome == "signed" else services.return_assessment
            try:
                act(
                    assessment=assessment,
                    actor=user,
                    role=form.cleaned_data["role"],
                    statement=form.cleaned_data["statement"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except StaleEditError as error:
                form.add_error(None, str(error))
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Signed off.") if outcome == "signed" else _("Returned with your comments.")
                )
                return HttpResponseRedirect(reverse("assessments:detail", args=[assessment.pk]))
    return render(
        request,
        "assessments/sign_off.html",
        assessment_context(request, assessment.incident, form=form, assessment=assessment),
        status=status,
    )


@login_required
def ico_draft(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The Article 33 notification, pre-filled and printable."""
    assessment = selectors.assessment_for(request.user, assessment_id)
    context = selectors.ico_draft_context(assessment)
    context["job"] = pdf.latest_job(assessment)
    return render(request, "assessments/ico_draft.html", context)


@login_required
@require_POST
def ico_draft_pdf(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Ask the worker for the PDF of the draft; the page shows its progress."""
    assessment = selectors.assessment_for(request.user, assessment_id)
    pdf.request_ico_draft(assessment=assessment, actor=signed_in_user(request))
    messages.success(request, _("The PDF is being made. It appears below when it is ready."))
    return HttpResponseRedirect(reverse("assessments:ico_draft", args=[assessment.pk]))


@login_required
def assessment_csv(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_assessments")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{incident.reference}-data-loss-assessments.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Assessment"),
            _("Title"),
            _("Council"),
            _("State"),
            _("Version"),
            _("Author"),
            _("Saved (UK)"),
            *CONTENT_FIELDS,
        ]
    )
    for a in selectors.assessments_for(request.user, incident):
        v = a.current
        assert v is not None
        values: list[Any] = [a.pk, a.title, a.council.name, a.get_state_display(), v.number]
        values += [v.author.display_name, _csv_time(v.created_at)]
        for name in CONTENT_FIELDS:
            value = getattr(v, name)
            if isinstance(value, list):
                value = "; ".join(value)
            elif name == "ico_reported_at":
                value = _csv_time(value)
            values.append(value)
        writer.writerow([safe_cell(x) for x in values])
    return response


@login_required
def verify_page(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_assessments")
    visible = list(selectors.assessments_for(request.user, incident))
    sign_offs = selectors.sign_offs_of(visible)
    mismatches = {m.sign_off.pk for m in selectors.verify_sign_offs(sign_offs)}
    for s in sign_offs:
        s.matches = s.pk not in mismatches  # type: ignore[attr-defined]
    return render(
        request,
        "assessments/verify.html",
        assessment_context(request, incident, sign_offs=sign_offs, broken=len(mismatches)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_awareness(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_assessments")
    user = signed_in_user(request)
    if not services.may_record_awareness(user, incident):
        raise incident_access.AccessDenied("record_awareness")
    councils = list(incident.shared_with.order_by("name"))
    form = AwarenessForm(request.POST or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_awareness(
                incident=incident,
                council=Council.objects.get(pk=form.cleaned_data["council"]),
                actor=user,
                told_at=form.cleaned_data["told_at"],
                aware_at=form.cleaned_data.get("aware_at"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Recorded. Their 72-hour clock is shown below."))
            return HttpResponseRedirect(reverse("assessments:list", args=[incident.pk]))
    return render(request, "assessments/awareness.html", assessment_context(request, incident, form=form))
