"""Lessons log and recovery handover pages. Thin: parse, check access, call a service or selector,
render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.command.selectors import eligible_people
from incident_console.command.views import _csv_time, safe_cell
from incident_console.incidents import access
from incident_console.incidents.models import Incident
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.errors import ValidationError
from incident_console.lib.forms import Saving, add_service_errors, saving

from . import selectors, services
from .forms import AcknowledgeHandoverForm, EditLessonForm, LessonForm
from .models import LessonCategory, LessonStatus, RecoveryHandover


def _to_lessons(incident: Incident) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("lessons:list", args=[incident.pk]))


@login_required
def lesson_list(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_lessons")
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    lessons = list(selectors.filtered_lessons(incident, status=status, category=category))
    return render(
        request,
        "lessons/list.html",
        incident_context(
            request,
            incident,
            lessons=lessons,
            status=status,
            category=category,
            statuses=LessonStatus.choices,
            categories=LessonCategory.choices,
            may_write=access.can(request.user, "manage_lessons", incident),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_lessons")
    form = LessonForm(request.POST or None, people=eligible_people(incident))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_lesson(incident=incident, actor=signed_in_user(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Lesson added to the log."))
            return _to_lessons(incident)
    return render(request, "lessons/lesson_form.html", incident_context(request, incident, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, pk: int, lesson_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "manage_lessons")
    lesson = selectors.lesson_for(incident, lesson_id)
    if lesson is None:
        raise Http404
    form = EditLessonForm(
        request.POST or None, initial=EditLessonForm.initial_for(lesson), people=eligible_people(incident)
    )
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with saving(form) as outcome:
            services.update_lesson(
                lesson=lesson, actor=signed_in_user(request), expected_version=version, **data
            )
        if outcome.saved:
            messages.success(request, _("Lesson saved."))
            return _to_lessons(incident)
    return render(
        request,
        "lessons/lesson_form.html",
        incident_context(request, incident, form=form, lesson=lesson),
        status=outcome.status,
    )


@login_required
def lesson_csv(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_lessons")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{incident.reference}-lessons.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Raised (UK)"),
            _("Raised by"),
            _("Category"),
            _("What happened"),
            _("What we learned"),
            _("Action"),
            _("Owner"),
            _("Action due"),
            _("Status"),
            _("Why not taken forward"),
        ]
    )
    for lesson in selectors.lessons_for(incident).order_by("raised_at", "pk"):
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    _csv_time(lesson.raised_at),
                    lesson.raised_by.display_name,
                    lesson.get_category_display() if lesson.category else "",
                    lesson.what_happened,
                    lesson.learned,
                    lesson.action,
                    lesson.owner.display_name if lesson.owner else "",
                    lesson.action_due.isoformat() if lesson.action_due else "",
                    lesson.get_status_display(),
                    lesson.reason,
                )
            ]
        )
    return response


# --- Handover from response to recovery ----------------------------------------------------------


@login_required
def handover_list(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_recovery_handover")
    return render(
        request,
        "lessons/handovers.html",
        incident_context(request, incident, handovers=list(selectors.handovers_for(incident))),
    )


def _handover(request: HttpRequest, pk: int, handover_id: int, action: str) -> RecoveryHandover:
    incident = get_incident(request, pk, action)
    handover = selectors.handover_for(incident, handover_id)
    if handover is None:
        raise Http404
    return handover


def _handover_page(
    request: HttpRequest, handover: RecoveryHandover, form: AcknowledgeHandoverForm, status: int = 200
) -> HttpResponse:
    incident = handover.incident
    current = selectors.current_handover(incident)
    is_current = current is not None and current.pk == handover.pk
    return render(
        request,
        "lessons/handover.html",
        incident_context(
            request,
            incident,
            handover=handover,
            sections=selectors.sections(handover),
            is_current=is_current,
            form=form,
            may_acknowledge=is_current
            and not handover.is_acknowledged
            and access.can(request.user, "acknowledge_recovery_handover", incident),
            may_refresh=is_current
            and not handover.is_acknowledged
            and access.can(request.user, "refresh_recovery_handover", incident),
        ),
        status=status,
    )


@login_required
def handover_detail(request: HttpRequest, pk: int, handover_id: int) -> HttpResponse:
    handover = _handover(request, pk, handover_id, "view_recovery_handover")
    return _handover_page(request, handover, AcknowledgeHandoverForm())


@login_required
@require_POST
def handover_acknowledge(request: HttpRequest, pk: int, handover_id: int) -> HttpResponse:
    handover = _handover(request, pk, handover_id, "acknowledge_recovery_handover")
    form = AcknowledgeHandoverForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge_handover(
                handover=handover, actor=signed_in_user(request), note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("You have taken on the handover to recovery."))
            return HttpResponseRedirect(reverse("lessons:handover", args=[pk, handover.pk]))
    return _handover_page(request, handover, form, status=409 if form.non_field_errors() else 200)


@login_required
@require_POST
def handover_refresh(request: HttpRequest, pk: int, handover_id: int) -> HttpResponse:
    handover = _handover(request, pk, handover_id, "refresh_recovery_handover")
    try:
        services.refresh_handover(handover=handover, actor=signed_in_user(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The handover now shows things as they stand."))
    return HttpResponseRedirect(reverse("lessons:handover", args=[pk, handover.pk]))
