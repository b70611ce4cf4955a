"""Command pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

import csv
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.incidents import access
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.forms import Saving, add_service_errors, saving
from incident_console.lib.time import london, now

from . import selectors, services
from .forms import AssignForm, DecisionForm, EditRiskForm, RhythmForm, RiskForm
from .models import Assignment, Decision, Handover, RhythmEntry, Risk


def command_context(request: HttpRequest, incident: Any, **extra: Any) -> dict[str, Any]:
    user = request.user
    return incident_context(
        request,
        incident,
        may_assign=access.can(user, "assign_roles", incident),
        may_record_decision=access.can(user, "record_decision", incident),
        may_manage_risks=access.can(user, "manage_risks", incident),
        may_manage_rhythm=access.can(user, "manage_rhythm", incident),
        may_mark_held=access.can(user, "mark_rhythm_held", incident),
        **extra,
    )


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_command")
    return render(
        request,
        "command/board.html",
        command_context(
            request,
            incident,
            slots=selectors.board(incident),
            me=request.user.pk,
            unacknowledged=list(selectors.unacknowledged_handovers(incident)),
            history=list(selectors.assignment_history(incident)[:100]),
            missing=selectors.missing_representation([incident.pk]).get(incident.pk, []),
            next_on_rota=selectors.next_on_rota(incident),
        ),
    )


def _councils(incident: Any) -> Any:
    return Council.objects.filter(
        pk__in=[incident.council_id, *incident.shared_with.values_list("id", flat=True)]
    )


def _own_assignment(request: HttpRequest, incident: Any) -> Assignment | None:
    """The current assignment named by `expected`, if the signed-in person holds it."""
    expected = request.POST.get("expected") or request.GET.get("expected") or ""
    user = signed_in_user(request)
    if not expected.isdigit():
        return None
    return Assignment.objects.filter(
        incident=incident, pk=int(expected), user=user, relinquished_at__isnull=True
    ).first()


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Council admins and leads assign any role; a current holder may hand over their own."""
    incident = get_incident(request, pk, "view_command")
    own: Assignment | None = None
    if not access.can(request.user, "assign_roles", incident):
        own = _own_assignment(request, incident) if incident.is_open else None
        if own is None:
            raise access.AccessDenied("assign_roles")
    form = AssignForm(
        request.POST or None,
        people=selectors.eligible_people(incident),
        councils=_councils(incident),
        cells=selectors.custom_cells(incident),
        own_role=own is not None,
        initial={
            "tier": request.GET.get("tier", ""),
            "cell": request.GET.get("cell", ""),
            "is_deputy": request.GET.get("deputy") == "1",
            "expected": request.GET.get("expected", ""),
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expected = data.get("expected") or ""
        slot: dict[str, Any] = {
            "tier": data.get("tier"),
            "cell": data.get("cell", ""),
            "council": data.get("council"),
            "is_deputy": data.get("is_deputy", False),
        }
        if own is not None:  # handing over one's own role: the slot is theirs, not the form's
            slot = {"tier": own.tier, "cell": own.cell, "council": own.council, "is_deputy": own.is_deputy}
        try:
            services.assign_role(
                incident=incident,
                actor=signed_in_user(request),
                user=data["user"],
                check_current=expected != "",
                expected_current=int(expected) if expected.isdigit() else None,
                situation=data["situation"],
                decisions_pending=data["decisions_pending"],
                **slot,
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s now holds the role.") % {"name": data["user"].display_name})
            return HttpResponseRedirect(reverse("command:board", args=[incident.pk]))
    return render(
        request,
        "command/assign.html",
        command_context(request, incident, form=form, own=own),
        status=status,
    )


@login_required
@require_POST
def relinquish(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "assign_roles")
    assignment = Assignment.objects.filter(incident=incident, pk=assignment_id).first()
    if assignment is None:
        raise Http404
    services.relinquish_role(assignment=assignment, actor=signed_in_user(request))
    messages.success(
        request, _("%(name)s no longer holds the role.") % {"name": assignment.user.display_name}
    )
    return HttpResponseRedirect(reverse("command:board", args=[incident.pk]))


def _handover(incident: Any, handover_id: int) -> Handover:
    handover = selectors.handovers(incident).filter(pk=handover_id).first()
    if handover is None:
        raise Http404
    return handover


@login_required
def handover_detail(request: HttpRequest, pk: int, handover_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_command")
    handover = _handover(incident, handover_id)
    return render(
        request,
        "command/handover.html",
        command_context(
            request,
            incident,
            handover=handover,
            may_acknowledge=handover.acknowledged_at is None and handover.incoming.user_id == request.user.pk,
        ),
    )


@login_required
@require_POST
def handover_acknowledge(request: HttpRequest, pk: int, handover_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_command")
    handover = _handover(incident, handover_id)
    if handover.incoming.user_id != request.user.pk:
        raise access.AccessDenied("acknowledge_handover")
    services.acknowledge_handover(handover=handover, actor=signed_in_user(request))
    messages.success(request, _("Handover acknowledged."))
    return HttpResponseRedirect(reverse("command:handover", args=[incident.pk, handover.pk]))


# --- Decision log -----------------------------------------------------------------------------


@login_required
def decision_log(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_command")
    return render(
        request,
        "command/decisions.html",
        command_context(request, incident, decisions=list(selectors.decisions(incident))),
    )


@login_required
def decision_log_print(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_command")
    return render(
        request,
        "command/decisions_print.html",
        command_context(request, incident, decisions=list(selectors.decisions(incident)), printed_at=now()),
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_time(value: datetime | None) -> str:
    return london(value).strftime("%Y-%m-%d %H:%M") if value else ""


@login_required
def decision_log_csv(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_command")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{incident.reference}-decision-log.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Number"),
            _("Time of the decision (UK)"),
            _("Time recorded (UK)"),
            _("Decision maker"),
            _("Role"),
            _("Decision"),
            _("Rationale"),
            _("Options considered and rejected"),
            _("Information relied on"),
            _("Risks"),
            _("Review by (UK)"),
            _("Who was told"),
            _("Recorded by"),
            _("Corrects"),
            _("Corrected by"),
        ]
    )
    for d in selectors.decisions(incident):
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    d.sequence,
                    _csv_time(d.decided_at),
                    _csv_time(d.recorded_at),
                    d.decision_maker.display_name,
                    d.maker_role,
                    d.decision,
                    d.rationale,
                    d.options_considered,
                    d.information,
                    d.risks,
                    _csv_time(d.review_by),
                    d.informed,
                    d.recorded_by.display_name,
                    d.corrects.sequence if d.corrects else "",
                    " ".join(str(c.sequence) for c in d.corrections.all()),
                )
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "record_decision")
    corrects: Decision | None = None
    corrects_id = request.POST.get("corrects") or request.GET.get("corrects")
    if corrects_id:
        corrects = Decision.objects.filter(
            incident=incident, pk=corrects_id if corrects_id.isdigit() else 0
        ).first()
        if corrects is None:
            raise Http404
    user = signed_in_user(request)
    form = DecisionForm(
        request.POST or None,
        people=selectors.eligible_people(incident),
        initial={"decision_maker": user.pk, "decided_at": london(now()).replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.record_decision(incident=incident, actor=user, corrects=corrects, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Decision %(n)s recorded.") % {"n": entry.sequence})
            return HttpResponseRedirect(
                reverse("command:decisions", args=[incident.pk]) + f"#decision-{entry.sequence}"
            )
    return render(
        request,
        "command/decision_form.html",
        command_context(request, incident, form=form, corrects=corrects),
    )


# --- Risk register ----------------------------------------------------------------------------


@login_required
def risk_register(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_command")
    return render(
        request,
        "command/risks.html",
        command_context(request, incident, risks=list(selectors.risks(incident))),
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_risks")
    form = RiskForm(request.POST or None, people=selectors.eligible_people(incident))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_risk(incident=incident, actor=signed_in_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Risk added."))
            return HttpResponseRedirect(reverse("command:risks", args=[incident.pk]))
    return render(request, "command/risk_form.html", command_context(request, incident, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, pk: int, risk_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_risks")
    risk = Risk.objects.filter(incident=incident, pk=risk_id).first()
    if risk is None:
        raise Http404
    form = EditRiskForm(
        request.POST or None,
        people=selectors.eligible_people(incident),
        initial={
            "title": risk.title,
            "owner": risk.owner_id,
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "mitigations": risk.mitigations,
            "status": risk.status,
            "review_on": risk.review_on,
            "version": risk.version,
        },
    )
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with saving(form) as outcome:
            services.update_risk(risk=risk, actor=signed_in_user(request), expected_version=version, **data)
        if outcome.saved:
            messages.success(request, _("Risk saved."))
            return HttpResponseRedirect(reverse("command:risks", args=[incident.pk]))
    return render(
        request,
        "command/risk_form.html",
        command_context(request, incident, form=form, risk=risk),
        status=outcome.status,
    )


# --- Battle rhythm ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def battle_rhythm(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_command")
    form = RhythmForm(request.POST or None)
    if request.method == "POST":
        access.require(request.user, "manage_rhythm", incident)
        if form.is_valid():
            try:
                services.add_rhythm_entry(
                    incident=incident, actor=signed_in_user(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Added to the battle rhythm."))
                return HttpResponseRedirect(reverse("command:rhythm", args=[incident.pk]))
    return render(
        request,
        "command/rhythm.html",
        command_context(request, incident, form=form, rhythm=selectors.rhythm(incident)),
    )


@login_required
@require_POST
def rhythm_held(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "mark_rhythm_held")
    entry = RhythmEntry.objects.filter(incident=incident, pk=entry_id).first()
    occurs_at = parse_datetime(request.POST.get("occurs_at", ""))
    if entry is None or occurs_at is None or occurs_at.tzinfo is None:
        raise Http404
    try:
        services.mark_held(entry=entry, actor=signed_in_user(request), occurs_at=occurs_at)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(title)s marked as held.") % {"title": entry.title})
    return HttpResponseRedirect(reverse("command:rhythm", args=[incident.pk]))
