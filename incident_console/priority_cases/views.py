"""Priority cases pages. Thin: parse, check access, call a service or selector, render. Every page
that shows cases, and the CSV export, is written to the access log."""

from __future__ import annotations

import csv
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incident_console.accounts.auth import signed_in_user
from incident_console.contacts.views import ACCESS_LOG_PAGE_SIZE, safe_cell
from incident_console.incidents import access
from incident_console.incidents.models import Incident
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.choices import Classification
from incident_console.lib.forms import Saving, saving
from incident_console.lib.time import london, now

from . import selectors, services
from .forms import CaseForm, ContactForm, EditCaseForm
from .models import CaseService, CaseStatus, PriorityCase, PriorityCaseAccess

SENSITIVE = Classification.OFFICIAL_SENSITIVE
EXPORT_COLUMNS = (
    "number",
    "reference",
    "service",
    "why_at_risk",
    "risk_level",
    "status",
    "next_contact_due",
    "last_contacted_at",
    "owner",
    "closed_reason",
    "notes",
)


def _context(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    return incident_context(request, incident, classification=SENSITIVE, **extra)


def _case(incident: Incident, case_id: int) -> PriorityCase:
    case = selectors.case_for(incident, case_id)
    if case is None:
        raise Http404
    return case


def _log(request: HttpRequest, incident: Incident, cases: list[PriorityCase], via: str, what: str) -> None:
    services.record_access(incident=incident, cases=cases, actor=signed_in_user(request), via=via, what=what)


@login_required
def case_list(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_priority_cases")
    service = request.GET.get("service", "")
    status = request.GET.get("status", "")
    service = service if service in CaseService.values else ""
    status = status if status in CaseStatus.values else ""
    cases = list(selectors.cases_for(incident, service=service, status=status))
    _log(request, incident, cases, PriorityCaseAccess.Via.PAGE, _("Priority cases list"))
    at = now()
    return render(
        request,
        "priority_cases/list.html",
        _context(
            request,
            incident,
            cases=cases,
            overdue={c.pk for c in cases if c.is_open and c.next_contact_due and c.next_contact_due <= at},
            services=CaseService.choices,
            statuses=CaseStatus.choices,
            service=service,
            status=status,
            may_manage=access.can(request.user, "manage_priority_cases", incident),
            may_read_log=access.can(request.user, "read_priority_case_access_log", incident),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_priority_cases")
    form = CaseForm(
        request.POST or None,
        initial={"owner": request.user.pk},
        people=selectors.eligible_owners(incident),
    )
    if request.method == "POST" and form.is_valid():
        with saving(form) as outcome:
            case = services.add_case(incident=incident, actor=signed_in_user(request), **form.cleaned_data)
        if outcome.saved:
            messages.success(request, _("Priority case %(number)s added.") % {"number": case.number})
            return HttpResponseRedirect(reverse("priority_cases:detail", args=[incident.pk, case.pk]))
    return render(request, "priority_cases/form.html", _context(request, incident, form=form))


def _detail(
    request: HttpRequest, incident: Incident, case: PriorityCase, form: ContactForm, status: int = 200
) -> HttpResponse:
    _log(request, incident, [case], PriorityCaseAccess.Via.PAGE, _("Case page"))
    may_manage = access.can(request.user, "manage_priority_cases", incident)
    return render(
        request,
        "priority_cases/detail.html",
        _context(
            request,
            incident,
            case=case,
            contacts=list(selectors.contacts_of(case)),
            form=form if may_manage and (case.is_open or form.errors) else None,
            may_manage=may_manage,
            overdue=case.is_open and case.next_contact_due is not None and case.next_contact_due <= now(),
        ),
        status=status,
    )


def _contact_form(request: HttpRequest, incident: Incident, case: PriorityCase) -> ContactForm:
    return ContactForm(
        request.POST if request.method == "POST" else None,
        initial={
            "contacted_at": london(now()).replace(second=0, microsecond=0),
            "contacted_by": request.user.pk,
            "version": case.version,
        },
        people=selectors.eligible_owners(incident),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    """The case, its contact history and the "Record a contact" form, which posts here."""
    incident = get_incident(
        request, pk, "manage_priority_cases" if request.method == "POST" else "view_priority_cases"
    )
    case = _case(incident, case_id)
    form = _contact_form(request, incident, case)
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with saving(form) as outcome:
            services.record_contact(
                case=case, actor=signed_in_user(request), expected_version=version, **data
            )
        if outcome.saved:
            messages.success(request, _("Contact recorded."))
            return HttpResponseRedirect(reverse("priority_cases:detail", args=[incident.pk, case.pk]))
    return _detail(request, incident, case, form, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_priority_cases")
    case = _case(incident, case_id)
    form = EditCaseForm(
        request.POST or None,
        initial=EditCaseForm.initial_for(case),
        people=selectors.eligible_owners(incident),
    )
    if request.method == "GET":
        _log(request, incident, [case], PriorityCaseAccess.Via.PAGE, _("Edit page"))
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with saving(form) as outcome:
            services.update_case(case=case, actor=signed_in_user(request), expected_version=version, **data)
        if outcome.saved:
            messages.success(request, _("Priority case saved."))
            return HttpResponseRedirect(reverse("priority_cases:detail", args=[incident.pk, case.pk]))
    return render(
        request,
        "priority_cases/form.html",
        _context(request, incident, form=form, case=case),
        status=outcome.status,
    )


def _time(value: datetime | None) -> str:
    return london(value).strftime("%Y-%m-%d %H:%M") if value else ""


@login_required
def case_export(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_priority_cases")
    cases = list(selectors.cases_for(incident))
    _log(request, incident, cases, PriorityCaseAccess.Via.EXPORT, _("CSV export"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="priority-cases-{incident.reference}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for c in cases:
        writer.writerow(
            safe_cell(v)
            for v in (
                c.number,
                c.reference,
                c.get_service_display(),
                c.why_at_risk,
                c.get_risk_level_display() if c.risk_level else "",
                c.get_status_display(),
                _time(c.next_contact_due),
                _time(c.last_contacted_at),
                c.owner.display_name,
                c.closed_reason,
                c.notes,
            )
        )
    return response


@login_required
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "read_priority_case_access_log")
    page = Paginator(selectors.access_log(incident), ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "priority_cases/access_log.html",
        _context(request, incident, entries=page.object_list, page=page),
    )
