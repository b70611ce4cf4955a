"""Checklist and module pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents import access
from incident_console.incidents.access import visible_incidents
from incident_console.incidents.selectors import assignable_people
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.forms import add_service_errors

from . import selectors, services
from .forms import AddItemForm, ApplyModuleForm, ItemUpdateForm, QuickStatusForm
from .models import ChecklistItem


def get_item(request: HttpRequest, pk: int, action: str) -> ChecklistItem:
    item = selectors.item_for_page(pk)
    if item is None or not visible_incidents(request.user).filter(pk=item.checklist.incident_id).exists():
        raise Http404
    access.require(request.user, "view_checklists", item.checklist.incident)
    if action != "view_checklists":
        access.require(request.user, action, item.checklist.incident)
    return item


def _item_page(
    request: HttpRequest, item: ChecklistItem, form: ItemUpdateForm, status: int = 200
) -> HttpResponse:
    incident = item.checklist.incident
    return render(
        request,
        "guidance/item.html",
        incident_context(
            request,
            incident,
            item=item,
            form=form,
            history=list(selectors.item_history(item)[:50]),
            may_update=access.can(request.user, "update_checklist_item", incident),
        ),
        status=status,
    )


def _item_form(item: ChecklistItem, data: object = None) -> ItemUpdateForm:
    return ItemUpdateForm(
        data,
        people=assignable_people(item.checklist.incident),
        initial={
            "status": item.status,
            "not_applicable_reason": item.not_applicable_reason,
            "owner": item.owner_id,
            "due_at": item.due_at,
            "version": item.version,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request, pk, "view_checklists" if request.method == "GET" else "update_checklist_item")
    if request.method == "GET":
        return _item_page(request, item, _item_form(item))
    form = _item_form(item, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_item(
                item=item,
                actor=signed_in_user(request),
                expected_version=data["version"],
                status=data["status"],
                not_applicable_reason=data["not_applicable_reason"],
                owner=data["owner"],
                due_at=data["due_at"],
                note=data["note"],
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
            return _item_page(request, _reloaded(item), form, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action updated."))
            return HttpResponseRedirect(
                reverse("incidents:detail", args=[item.checklist.incident_id]) + f"#item-{item.pk}"
            )
    return _item_page(request, item, form, status=400)


def _back_to_list(request: HttpRequest, item: ChecklistItem) -> str:
    """Where a one-click status change without JavaScript returns: the checklist page it was made
    on (its ``next``), or the incident page."""
    target = request.POST.get("next", "")
    checklist_path = reverse("guidance:checklist", args=[item.checklist.incident_id, item.checklist_id])
    if target.startswith(checklist_path) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("incidents:detail", args=[item.checklist.incident_id])


@login_required
def checklist_detail(request: HttpRequest, pk: int, checklist_pk: int) -> HttpResponse:
    """Every action of one applied module, open, completed or all, a page at a time."""
    incident = get_incident(request, pk, "view_checklists")
    checklist = selectors.checklist_for_page(incident.pk, checklist_pk)
    if checklist is None:
        raise Http404
    show = request.GET.get("show", "all")
    if show not in selectors.SHOW_FILTERS:
        show = "all"
    page = Paginator(selectors.checklist_items(checklist, show), selectors.CHECKLIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counted: Any = checklist  # annotated with its counts by the selector
    filters = [
        ("open", _("Open"), counted.items_open),
        ("completed", _("Done or not applicable"), counted.items_total - counted.items_open),
        ("all", _("All"), counted.items_total),
    ]
    return render(
        request,
        "guidance/checklist.html",
        incident_context(
            request,
            incident,
            checklist=checklist,
            show=show,
            filters=filters,
            page=page,
            params=urlencode({"show": show}) + "&",
            return_to=request.get_full_path(),
            may_update_items=access.can(request.user, "update_checklist_item", incident),
        ),
    )


def _reloaded(item: ChecklistItem) -> ChecklistItem:
    fresh = selectors.item_for_page(item.pk)
    assert fresh is not None
    return fresh


@login_required
@require_POST
def item_quick_status(request: HttpRequest, pk: int) -> HttpResponse:
    """One-click status change from the task list; HTMX swaps the row and the progress bar."""
    item = get_item(request, pk, "update_checklist_item")
    form = QuickStatusForm(request.POST)
    error = ""
    status = 200
    if not form.is_valid():
        error, status = _("Choose a status."), 400
    else:
        try:
            item = services.update_item(
                item=item,
                actor=signed_in_user(request),
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except StaleEditError as stale:
            error, status = str(stale), 409
        except ValidationError as invalid:
            error, status = " ".join(invalid.messages), 400
    item = _reloaded(item)
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            page_form = _item_form(item)
            page_form.add_error(None, error)
            return _item_page(request, item, page_form, status=status)
        messages.success(request, _("Action updated: %(title)s") % {"title": item.title})
        return HttpResponseRedirect(_back_to_list(request, item) + f"#item-{item.pk}")
    checklist = selectors.checklist_progress(item.checklist_id)
    return render(
        request,
        "guidance/partials/item_swap.html",
        {"item": item, "checklist": checklist, "row_error": error, "may_update_items": True, "oob": True},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "add_checklist_item")
    checklists = incident.checklists.select_related("module")
    form = AddItemForm(request.POST or None, checklists=checklists, people=assignable_people(incident))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.add_item(
                checklist=data["checklist"],
                actor=signed_in_user(request),
                title=data["title"],
                owner=data["owner"],
                due_at=data["due_at"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action added."))
            return HttpResponseRedirect(reverse("incidents:detail", args=[incident.pk]) + f"#item-{item.pk}")
    return render(request, "guidance/add_item.html", incident_context(request, incident, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def module_apply(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "apply_module")
    form = ApplyModuleForm(request.POST or None, modules=selectors.unapplied_modules(incident.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_module(
                incident=incident, module=form.cleaned_data["module"], actor=signed_in_user(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Guidance applied."))
            return HttpResponseRedirect(reverse("incidents:detail", args=[incident.pk]))
    return render(request, "guidance/apply.html", incident_context(request, incident, form=form))


@login_required
def module_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "guidance/modules.html",
        {"modules": list(selectors.modules_with_versions()), "nav": "modules"},
    )


@login_required
def module_version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.module_version(pk)
    if version is None:
        raise Http404
    return render(
        request,
        "guidance/module_version.html",
        {"version": version, "doc": version.document, "nav": "modules"},
    )
