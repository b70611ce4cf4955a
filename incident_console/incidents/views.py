"""Incident pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.assessments.selectors import clocks_for
from incident_console.command import selectors as command_selectors
from incident_console.guidance.selectors import checklists_with_progress, unapplied_modules
from incident_console.lessons import selectors as lessons_selectors
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.forms import Saving, add_service_errors, saving
from incident_console.notifications.selectors import unrouted_alerts
from incident_console.recovery import selectors as recovery_selectors
from incident_console.rotas.access import may_see_rotas
from incident_console.safeguarding import access as safeguarding_access
from incident_console.safeguarding import selectors as safeguarding_selectors
from incident_console.timeline.selectors import events_for

from . import access, selectors, services
from .forms import STAND_DOWN, AddParticipantForm, DeclareIncidentForm, EditIncidentForm, TransitionForm
from .models import Incident, Status

TIMELINE_PAGE_SIZE = 100


def incident_context(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    """What every page inside an incident needs: banners and what the person may do."""
    user = request.user
    return {
        "incident": incident,
        "classification": incident.classification,
        "is_exercise": incident.is_exercise,
        "may_manage": access.can(user, "manage_incident", incident),
        "may_see_checklists": access.can(user, "view_checklists", incident),
        "may_see_timeline": access.can(user, "view_timeline", incident),
        **extra,
    }


def get_incident(request: HttpRequest, pk: int, action: str = "view_incident") -> Incident:
    incident = selectors.incident_for_page(request.user, pk)
    if incident is None:
        raise Http404
    access.require(request.user, action, incident)
    return incident


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    show_closed = request.GET.get("closed") == "1"
    incidents = selectors.dashboard_incidents(request.user, include_closed=show_closed)
    missing = command_selectors.missing_representation(i.pk for i in incidents if i.is_open)
    ico_clocks = clocks_for([i for i in incidents if i.is_open])
    for incident in incidents:
        incident.missing_representation = missing.get(incident.pk, [])  # type: ignore[attr-defined]
        incident.ico_clocks = ico_clocks.get(incident.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "incidents/dashboard.html",
        {
            "incidents": incidents,
            "show_closed": show_closed,
            "may_declare": bool(access.declarable_councils(request.user)),
            "unrouted_alerts": unrouted_alerts(request.user),
            "may_see_rotas": may_see_rotas(request.user),
            "safeguarding_due": safeguarding_selectors.pressing_for(
                request.user, [i.pk for i in incidents if i.is_open]
            ),
            "timing_councils": safeguarding_access.timing_councils(request.user),
            "nav": "dashboard",
            "classification": "OFFICIAL-SENSITIVE" if incidents else "OFFICIAL",
        },
    )


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk)
    may_see_timeline = access.can(request.user, "view_timeline", incident)
    may_see_command = access.can(request.user, "view_command", incident)
    clocks = clocks_for([incident])[incident.pk] if incident.is_open else []
    context = incident_context(
        request,
        incident,
        may_see_command=may_see_command,
        missing=command_selectors.missing_representation([incident.pk]).get(incident.pk, [])
        if incident.is_open
        else [],
        rhythm=command_selectors.rhythm(incident) if may_see_command and incident.is_open else None,
        missing_notifications=recovery_selectors.missing_notifications(incident, clocks=clocks)
        if may_see_command and incident.is_open
        else [],
        may_mark_held=access.can(request.user, "mark_rhythm_held", incident),
        clocks=clocks,
        may_see_assessments=access.can(request.user, "view_assessments", incident),
        may_see_archives=access.can(request.user, "view_archives", incident),
        recovery_handover=lessons_selectors.current_handover(incident)
        if may_see_command and incident.status == Status.RECOVERY
        else None,
        may_see_deadlines=access.can(request.user, "view_deadlines", incident),
        may_see_payments=access.can(request.user, "view_payments", incident),
        may_see_priority_cases=access.can(request.user, "view_priority_cases", incident),
        may_read_priority_log=access.can(request.user, "read_priority_case_access_log", incident),
        may_see_manual_records=access.can(request.user, "view_manual_records", incident),
        checklists=list(
            checklists_with_progress(
                incident.pk, with_items=access.can(request.user, "view_checklists", incident)
            )
        ),
        recent_events=list(events_for(incident.pk)[:10]) if may_see_timeline else [],
        participants=list(selectors.participants(incident)),
        moves=services.allowed_moves(incident),
        may_apply=access.can(request.user, "apply_module", incident)
        and unapplied_modules(incident.pk).exists(),
        may_add_item=access.can(request.user, "add_checklist_item", incident),
        may_update_items=access.can(request.user, "update_checklist_item", incident),
        unrouted_alerts=(
            unrouted_alerts(request.user, incident)
            if access.can(request.user, "view_checklists", incident)
            else []
        ),
    )
    return render(request, "incidents/detail.html", context)


@login_required
def incident_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_timeline")
    page = Paginator(events_for(incident.pk), TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/timeline.html",
        incident_context(request, incident, events=page.object_list, page=page),
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_declare(request: HttpRequest) -> HttpResponse:
    councils = list(Council.objects.filter(pk__in=access.declarable_councils(request.user)))
    if not councils:
        raise access.AccessDenied("declare_incident")
    form = DeclareIncidentForm(request.POST or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.declare_incident(
                council=data["council"],
                actor=signed_in_user(request),
                title=data["title"],
                summary=data["summary"],
                severity=data["severity"],
                services_affected=data["services_affected"],
                aware_at=data["aware_at"],
                classification=data["classification"],
                is_exercise=data["is_exercise"],
                council_email_unavailable=data["council_email_unavailable"],
                escalate_after_minutes=data["escalate_after_minutes"],
                shared_with=list(data.get("shared_with") or []),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Incident %(ref)s declared.") % {"ref": incident.reference})
            return HttpResponseRedirect(reverse("incidents:detail", args=[incident.pk]))
    return render(request, "incidents/declare.html", {"form": form, "nav": "dashboard"})


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_incident")
    form = EditIncidentForm(
        request.POST or None, council=incident.council, initial=EditIncidentForm.initial_for(incident)
    )
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        shared = data.pop("shared_with", None)
        with saving(form) as outcome:
            services.update_incident(
                incident=incident,
                actor=signed_in_user(request),
                expected_version=version,
                shared_with=list(shared) if shared is not None else None,
                **data,
            )
        if outcome.saved:
            messages.success(request, _("Incident details saved."))
            return HttpResponseRedirect(reverse("incidents:detail", args=[incident.pk]))
    return render(
        request, "incidents/edit.html", incident_context(request, incident, form=form), status=outcome.status
    )


def _transition_choices(incident: Incident) -> list[tuple[str, str]]:
    choices = [(to, str(Status(to).label)) for to, _needs in services.allowed_moves(incident)]
    if incident.status in services.STAND_DOWN_FROM:
        choices.append((STAND_DOWN, _("Stand down as a false alarm")))
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def incident_transition(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_incident")
    form = TransitionForm(
        request.POST or None, choices=_transition_choices(incident), initial={"version": incident.version}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["to_status"] == STAND_DOWN:
                services.stand_down(
                    incident=incident,
                    actor=signed_in_user(request),
                    reason=data["reason"],
                    expected_version=data["version"],
                )
            else:
                services.transition_incident(
                    incident=incident,
                    actor=signed_in_user(request),
                    to_status=data["to_status"],
                    reason=data["reason"],
                    expected_version=data["version"],
                )
        except StaleEditError as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Incident status changed."))
            return HttpResponseRedirect(reverse("incidents:detail", args=[incident.pk]))
    return render(
        request,
        "incidents/transition.html",
        incident_context(request, incident, form=form, **_close_guard(request, incident)),
        status=status,
    )


def _close_guard(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    """While the incident can still end (closing from recovery, or standing down from declared or
    response): whether manual records not yet reconciled stop it, and where to go about it."""
    if incident.status != Status.RECOVERY and incident.status not in services.STAND_DOWN_FROM:
        return {}
    from incident_console.continuity.selectors import close_guard

    return {
        "close_guard": close_guard(incident),
        "may_see_manual_records": access.can(request.user, "view_manual_records", incident),
        "may_override_close_guard": access.can(request.user, "override_close_guard", incident),
    }


@login_required
@require_http_methods(["GET", "POST"])
def incident_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Who takes part in the incident; leads and council admins add people or end their part."""
    incident = get_incident(request, pk, "view_people")
    may_manage = access.can(request.user, "manage_incident", incident) and incident.is_open
    form = AddParticipantForm(request.POST or None, people=selectors.people_who_could_join(incident))
    if request.method == "POST":
        access.require(request.user, "manage_incident", incident)
        if form.is_valid():
            try:
                services.add_participant(
                    incident=incident,
                    actor=signed_in_user(request),
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s now takes part in the incident.")
                    % {"name": form.cleaned_data["user"].display_name},
                )
                return HttpResponseRedirect(reverse("incidents:people", args=[incident.pk]))
    return render(
        request,
        "incidents/people.html",
        incident_context(
            request,
            incident,
            form=form,
            participants=list(selectors.participants(incident)),
            may_manage_people=may_manage,
            may_invite=access.can(request.user, "invite_people", incident),
            may_review_access=access.can(request.user, "review_access", incident),
        ),
    )


@login_required
@require_POST
def incident_people_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_incident")
    participation = selectors.participants(incident).filter(user_id=user_id).first()
    if participation is None:
        raise Http404
    services.end_participation(incident=incident, actor=signed_in_user(request), user=participation.user)
    messages.success(
        request,
        _("%(name)s no longer takes part in the incident.") % {"name": participation.user.display_name},
    )
    return HttpResponseRedirect(reverse("incidents:people", args=[incident.pk]))
