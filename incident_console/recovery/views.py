"""Recovery pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incident_console.accounts.auth import signed_in_user
from incident_console.command.selectors import eligible_people
from incident_console.incidents import access
from incident_console.incidents.models import Incident
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.errors import ValidationError
from incident_console.lib.forms import Saving, add_service_errors, saving

from . import selectors, services
from .forms import EditSystemForm, ExternalNotificationForm, NotNeededForm, RestoreOrderForm, SystemForm


def _to_systems(incident: Incident) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("recovery:systems", args=[incident.pk]))


@login_required
def systems(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_recovery")
    tracked = list(selectors.systems_for(incident))
    return render(
        request,
        "recovery/systems.html",
        incident_context(
            request,
            incident,
            systems=tracked,
            dependencies=selectors.dependencies(incident, tracked),
            may_manage=access.can(request.user, "manage_systems", incident),
            may_order=access.can(request.user, "set_restore_order", incident),
        ),
    )


def _system_form_kwargs(incident: Incident) -> dict[str, Any]:
    return {"people": eligible_people(incident), "councils": incident.shared_with.all()}


@login_required
@require_http_methods(["GET", "POST"])
def system_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_systems")
    form = SystemForm(request.POST or None, **_system_form_kwargs(incident))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["shared_with"] = list(data.get("shared_with") or [])
        try:
            services.add_system(incident=incident, actor=signed_in_user(request), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("System added to the recovery tracker."))
            return _to_systems(incident)
    return render(request, "recovery/system_form.html", incident_context(request, incident, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, pk: int, system_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_systems")
    system = selectors.system_for(incident, system_id)
    if system is None:
        raise Http404
    form = EditSystemForm(
        request.POST or None, initial=EditSystemForm.initial_for(system), **_system_form_kwargs(incident)
    )
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["shared_with"] = list(data.get("shared_with") or [])
        with saving(form) as outcome:
            services.update_system(
                system=system, actor=signed_in_user(request), expected_version=version, **data
            )
        if outcome.saved:
            messages.success(request, _("Recovery details saved."))
            return _to_systems(incident)
    return render(
        request,
        "recovery/system_form.html",
        incident_context(request, incident, form=form, system=system),
        status=outcome.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore_order(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "set_restore_order")
    form = RestoreOrderForm(request.POST or None, systems=list(selectors.systems_for(incident)))
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        with saving(form) as outcome:
            services.set_restore_order(
                incident=incident,
                actor=signed_in_user(request),
                order=form.order(),
                expected_versions=form.versions(),
                rationale=form.cleaned_data["rationale"],
            )
        if outcome.saved:
            messages.success(request, _("Restore order saved."))
            return _to_systems(incident)
        if outcome.status == 409:
            form.show_current(list(selectors.systems_for(incident)))
    return render(
        request,
        "recovery/restore_order.html",
        incident_context(request, incident, form=form),
        status=outcome.status,
    )


@login_required
def external_notifications(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_recovery")
    logged = list(selectors.notifications_for(incident))
    return render(
        request,
        "recovery/notifications.html",
        incident_context(
            request,
            incident,
            logged=selectors.log_rows(request.user, incident, logged),
            missing=selectors.missing_notifications(incident, logged),
            may_log=access.can(request.user, "log_external_notification", incident),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def external_notification_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "log_external_notification")
    form = ExternalNotificationForm(
        request.POST or None,
        initial={"told_by": request.user.pk},
        people=eligible_people(incident),
        councils=incident.council.connected_councils.all(),
        assessments=selectors.unreported_assessments(request.user, incident),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.log_notification(incident=incident, actor=signed_in_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Notification recorded."))
            return HttpResponseRedirect(reverse("recovery:notifications", args=[incident.pk]))
    return render(request, "recovery/notification_form.html", incident_context(request, incident, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def external_notification_not_needed(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "log_external_notification")
    form = NotNeededForm(
        request.POST or None, initial={"decided_by": request.user.pk}, people=eligible_people(incident)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_not_needed(incident=incident, actor=signed_in_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Recorded that they do not need telling."))
            return HttpResponseRedirect(reverse("recovery:notifications", args=[incident.pk]))
    return render(request, "recovery/not_needed_form.html", incident_context(request, incident, form=form))
