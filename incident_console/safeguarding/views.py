"""Safeguarding critical timings pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.incidents import access as incident_access
from incident_console.incidents.models import Incident
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.choices import Classification
from incident_console.lib.forms import Saving, saving

from . import access, selectors, services
from .forms import CompleteForm, DeadlineForm, EditDeadlineForm, PolicyForm, RuleForm
from .models import Deadline

# Case references identify children and adults at risk.
SENSITIVE = Classification.OFFICIAL_SENSITIVE


def _to_register(incident: Incident) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("safeguarding:deadlines", args=[incident.pk]))


def _page(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    return incident_context(request, incident, classification=SENSITIVE, **extra)


@login_required
def deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_deadlines")
    items = list(selectors.deadlines_for(incident))
    return render(
        request,
        "safeguarding/deadlines.html",
        _page(
            request,
            incident,
            open_rows=selectors.rows([d for d in items if d.is_open]),
            closed=[d for d in items if not d.is_open],
            may_manage=incident_access.can(request.user, "manage_deadlines", incident),
        ),
    )


def _preview(form: DeadlineForm, incident: Incident, deadline: Deadline | None = None) -> Any:
    """The due date the timescale gives for what is on the form, worked out on the server (for an
    item of the same kind, with the timescale it was added with)."""
    if not form.is_bound or not form.is_valid():
        return None
    return selectors.preview_due(
        incident, form.cleaned_data["kind"], form.cleaned_data["start_date"], deadline=deadline
    )


@login_required
@require_http_methods(["GET", "POST"])
def deadline_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_deadlines")
    form = DeadlineForm(request.POST or None, people=selectors.possible_owners(incident))
    outcome = Saving()
    if request.method == "POST" and "check" not in request.POST and form.is_valid():
        with saving(form) as outcome:
            services.add_deadline(incident=incident, actor=signed_in_user(request), **form.cleaned_data)
        if outcome.saved:
            messages.success(request, _("Item added to the safeguarding register."))
            return _to_register(incident)
    _policy, rules = selectors.rules_for(incident.council)
    return render(
        request,
        "safeguarding/deadline_form.html",
        _page(request, incident, form=form, preview=_preview(form, incident), rules=rules),
        status=outcome.status,
    )


def _deadline(incident: Incident, deadline_id: int) -> Deadline:
    deadline = selectors.deadline_for(incident, deadline_id)
    if deadline is None:
        raise Http404
    return deadline


@login_required
@require_http_methods(["GET", "POST"])
def deadline_edit(request: HttpRequest, pk: int, deadline_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_deadlines")
    deadline = _deadline(incident, deadline_id)
    form = EditDeadlineForm(
        request.POST or None,
        initial=EditDeadlineForm.initial_for(deadline),
        people=selectors.possible_owners(incident),
    )
    outcome = Saving()
    if request.method == "POST" and "check" not in request.POST and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with saving(form) as outcome:
            services.update_deadline(
                deadline=deadline, actor=signed_in_user(request), expected_version=version, **data
            )
        if outcome.saved:
            messages.success(request, _("Safeguarding item saved."))
            return _to_register(incident)
    _policy, rules = selectors.rules_for(incident.council)
    return render(
        request,
        "safeguarding/deadline_form.html",
        _page(
            request,
            incident,
            form=form,
            deadline=deadline,
            preview=_preview(form, incident, deadline),
            rules=rules,
        ),
        status=outcome.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deadline_complete(request: HttpRequest, pk: int, deadline_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_deadlines")
    deadline = _deadline(incident, deadline_id)
    form = CompleteForm(request.POST or None, initial={"version": deadline.version})
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with saving(form) as outcome:
            services.complete_deadline(
                deadline=deadline,
                actor=signed_in_user(request),
                expected_version=data["version"],
                outcome=data["outcome"],
                completed_at=data["completed_at"],
                note=data["note"],
            )
        if outcome.saved:
            messages.success(request, _("Safeguarding item completed."))
            return _to_register(incident)
    return render(
        request,
        "safeguarding/complete.html",
        _page(request, incident, form=form, deadline=deadline),
        status=outcome.status,
    )


def _council(request: HttpRequest, council_id: int) -> Council:
    """404 for a council the person does not belong to; 403 unless they are its council admin."""
    if council_id not in access.member_council_ids(request.user):
        raise Http404
    if not access.may_manage_timings(request.user, council_id):
        raise PermissionDenied
    return get_object_or_404(Council, pk=council_id)


@login_required
def timings(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _council(request, council_id)
    policy, rules = selectors.rules_for(council)
    return render(
        request,
        "safeguarding/timings.html",
        {"council": council, "policy": policy, "rules": rules, "nav": "dashboard"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def timing_edit(request: HttpRequest, council_id: int, rule_id: int) -> HttpResponse:
    council = _council(request, council_id)
    selectors.rules_for(council)
    rule = selectors.rule_for(council, rule_id)
    if rule is None:
        raise Http404
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule))
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with saving(form) as outcome:
            services.update_rule(
                rule=rule,
                actor=signed_in_user(request),
                expected_version=data["version"],
                amount=data["amount"],
                unit=data["unit"],
                start_label=data["start_label"],
            )
        if outcome.saved:
            messages.success(request, _("Timescale saved: %(kind)s.") % {"kind": rule.get_kind_display()})
            return HttpResponseRedirect(reverse("safeguarding:timings", args=[council.pk]))
    return render(
        request,
        "safeguarding/timing_form.html",
        {"council": council, "rule": rule, "form": form, "nav": "dashboard"},
        status=outcome.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, council_id: int) -> HttpResponse:
    council = _council(request, council_id)
    policy, _rules = selectors.rules_for(council)
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_for(policy))
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with saving(form) as outcome:
            services.update_policy(
                policy=policy,
                actor=signed_in_user(request),
                expected_version=data["version"],
                region=data["region"],
                due_time=data["due_time"],
            )
        if outcome.saved:
            messages.success(request, _("Working days and due time saved."))
            return HttpResponseRedirect(reverse("safeguarding:timings", args=[council.pk]))
    return render(
        request,
        "safeguarding/policy_form.html",
        {"council": council, "form": form, "nav": "dashboard"},
        status=outcome.status,
    )
