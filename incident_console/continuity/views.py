"""Manual record pages. Thin: parse, check access, call a service or selector, render.

Every page here shows service-user data: the rule is `view_manual_records` (403 for people who
may see the incident but not this data, 404 for people who may not see the incident)."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.command.views import _csv_time, safe_cell
from incident_console.incidents import access
from incident_console.incidents.models import Incident
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.forms import Saving, saving

from . import selectors, services
from .access import may_verify
from .forms import CloseOverrideForm, EnterForm, FilterForm, ManualRecordForm, ReturnForm, VerifyForm
from .models import ManualRecord, RecordState

SENSITIVE = "OFFICIAL-SENSITIVE"


def _context(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    return incident_context(request, incident, classification=SENSITIVE, **extra)


def _record(incident: Incident, record_id: int) -> ManualRecord:
    entry = selectors.record_for(incident, record_id)
    if entry is None:
        raise Http404
    return entry


def _to_record(entry: ManualRecord) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("continuity:record", args=[entry.incident_id, entry.pk]))


@login_required
def records(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_manual_records")
    filters = FilterForm(request.GET or None)
    state, service = filters.values()
    rows = list(selectors.filtered(incident, state=state, service=service))
    totals = selectors.counts(incident)
    return render(
        request,
        "continuity/records.html",
        _context(
            request,
            incident,
            filters=filters,
            state=state,
            service=service,
            records=rows,
            count_rows=totals.rows(),
            state_totals=totals.state_totals(),
            record_total=totals.total(),
            states=RecordState.choices,
            may_add=access.can(request.user, "add_manual_record", incident),
            query=request.GET.urlencode(),
        ),
    )


@login_required
def records_csv(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_manual_records")
    state, service = FilterForm(request.GET or None).values()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{incident.reference}-manual-records.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Number"),
            _("Service"),
            _("Local case reference"),
            _("What was done"),
            _("When it happened (UK)"),
            _("Summary"),
            _("Recorded by"),
            _("Recorded at (UK)"),
            _("State"),
            _("Entered by"),
            _("Entered at (UK)"),
            _("Reference in the restored system"),
            _("Verified by"),
            _("Verified at (UK)"),
            _("Last returned because"),
            _("Photo or scan"),
        ]
    )
    for r in selectors.filtered(incident, state=state, service=service):
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    r.pk,
                    r.get_service_display(),
                    r.case_reference,
                    r.get_activity_display(),
                    _csv_time(r.happened_at),
                    r.summary,
                    r.recorded_by.display_name,
                    _csv_time(r.recorded_at),
                    r.get_state_display(),
                    r.entered_by.display_name if r.entered_by else "",
                    _csv_time(r.entered_at),
                    r.system_reference,
                    r.verified_by.display_name if r.verified_by else "",
                    _csv_time(r.verified_at),
                    r.returned_reason,
                    r.attachment_name,
                )
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "add_manual_record")
    form = ManualRecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("attachment", None)
        with saving(form) as outcome:
            entry = services.add_record(
                incident=incident,
                actor=signed_in_user(request),
                attachment=upload,
                attachment_name=upload.name if upload else "",
                attachment_size=upload.size if upload else 0,
                **data,
            )
        if outcome.saved:
            messages.success(request, _("%(record)s saved. It is waiting to be entered.") % {"record": entry})
            return _to_record(entry)
    return render(request, "continuity/record_form.html", _context(request, incident, form=form))


def _detail(
    request: HttpRequest,
    incident: Incident,
    entry: ManualRecord,
    *,
    bound: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    may_reconcile = access.can(user, "reconcile_manual_record", incident)
    initial = {"version": entry.version}
    enter_form = verify_form = return_form = None
    if may_reconcile and entry.state == RecordState.PENDING:
        enter_form = bound if isinstance(bound, EnterForm) else EnterForm(initial=initial)
    if entry.state == RecordState.ENTERED and may_verify(user, entry):
        verify_form = bound if isinstance(bound, VerifyForm) else VerifyForm(initial=initial)
        return_form = bound if isinstance(bound, ReturnForm) else ReturnForm(initial=initial)
    return render(
        request,
        "continuity/record.html",
        _context(
            request,
            incident,
            record=entry,
            enter_form=enter_form,
            verify_form=verify_form,
            return_form=return_form,
            form=bound,
            entered_it=may_reconcile
            and entry.state == RecordState.ENTERED
            and entry.entered_by_id == user.pk,
        ),
        status=status,
    )


@login_required
def record_detail(request: HttpRequest, pk: int, record_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_manual_records")
    return _detail(request, incident, _record(incident, record_id))


def _step(request: HttpRequest, pk: int, record_id: int, step: str) -> HttpResponse:
    incident = get_incident(request, pk, "reconcile_manual_record")
    entry = _record(incident, record_id)
    actor = signed_in_user(request)
    form: forms.Form
    if step == "enter":
        form = EnterForm(request.POST)
    elif step == "verify":
        form = VerifyForm(request.POST)
    else:
        form = ReturnForm(request.POST)
    if step != "enter" and not may_verify(request.user, entry):
        raise access.AccessDenied(f"{step}_manual_record")
    outcome = Saving()
    if form.is_valid():
        data = form.cleaned_data
        with saving(form) as outcome:
            if step == "enter":
                services.enter_record(
                    entry=entry,
                    actor=actor,
                    expected_version=data["version"],
                    system_reference=data["system_reference"],
                )
            elif step == "verify":
                services.verify_record(entry=entry, actor=actor, expected_version=data["version"])
            else:
                services.return_record(
                    entry=entry, actor=actor, expected_version=data["version"], reason=data["reason"]
                )
        if outcome.saved:
            done = {
                "enter": _("%(record)s marked as entered into the restored system."),
                "verify": _("%(record)s verified."),
                "return": _("%(record)s returned to be entered again."),
            }[step]
            messages.success(request, done % {"record": entry})
            return _to_record(entry)
        entry = _record(incident, record_id)
    return _detail(request, incident, entry, bound=form, status=outcome.status)


@login_required
@require_POST
def record_enter(request: HttpRequest, pk: int, record_id: int) -> HttpResponse:
    return _step(request, pk, record_id, "enter")


@login_required
@require_POST
def record_verify(request: HttpRequest, pk: int, record_id: int) -> HttpResponse:
    return _step(request, pk, record_id, "verify")


@login_required
@require_POST
def record_return(request: HttpRequest, pk: int, record_id: int) -> HttpResponse:
    return _step(request, pk, record_id, "return")


@login_required
def attachment(request: HttpRequest, pk: int, record_id: int) -> FileResponse:
    incident = get_incident(request, pk, "view_manual_records")
    entry = _record(incident, record_id)
    if not entry.attachment:
        raise Http404
    try:
        handle = entry.attachment.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=entry.attachment_name or "attachment")
    response["Content-Type"] = entry.attachment_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def close_override(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "override_close_guard")
    guard = selectors.close_guard(incident)
    form = CloseOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with saving(form) as outcome:
            services.override_close_guard(
                incident=incident, actor=signed_in_user(request), rationale=form.cleaned_data["rationale"]
            )
        if outcome.saved:
            messages.success(
                request, _("Your decision is in the decision log. The incident can now be closed.")
            )
            return HttpResponseRedirect(reverse("incidents:transition", args=[incident.pk]))
    return render(
        request, "continuity/close_override.html", _context(request, incident, form=form, guard=guard)
    )
