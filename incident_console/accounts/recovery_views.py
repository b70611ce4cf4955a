"""Admin pages: sign-in resets (two admins) and the council audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.lib.errors import ValidationError
from incident_console.lib.forms import add_service_errors

from . import recovery
from .auth import signed_in_user
from .forms import ResetRequestForm
from .models import Membership, Role
from .recovery_models import AuditEvent, ResetRequest

AUDIT_READERS = (Role.COUNCIL_ADMIN, Role.SIRO, Role.DPO)
AUDIT_PAGE_SIZE = 100


def _require_admin(request: HttpRequest) -> None:
    if not recovery.administered_councils(signed_in_user(request)).exists():
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def resets(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    admin = signed_in_user(request)
    form = ResetRequestForm(request.POST or None, people=recovery.people_an_admin_can_reset(admin))
    if request.method == "POST" and form.is_valid():
        try:
            recovery.request_reset(requested_by=admin, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reset requested. A second council admin must now confirm it."))
            return HttpResponseRedirect(reverse("accounts:resets"))
    return render(
        request,
        "accounts/recovery/resets.html",
        {"form": form, "resets": list(recovery.resets_for(admin)[:50]), "me": admin},
        status=400 if form.errors else 200,
    )


def _reset_for(request: HttpRequest, pk: int) -> ResetRequest:
    _require_admin(request)
    reset = recovery.resets_for(signed_in_user(request)).filter(pk=pk).first()
    if reset is None:
        raise Http404
    return reset


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    reset = _reset_for(request, pk)
    try:
        password = recovery.confirm_reset(reset=reset, admin=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("accounts:resets"))
    return render(request, "accounts/recovery/confirmed.html", {"reset": reset, "password": password})


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    reset = _reset_for(request, pk)
    try:
        recovery.cancel_reset(reset=reset, admin=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reset cancelled."))
    return HttpResponseRedirect(reverse("accounts:resets"))


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    councils = Membership.objects.filter(user=user, role__in=AUDIT_READERS, is_active=True).values(
        "council_id"
    )
    events = (
        AuditEvent.objects.filter(council_id__in=councils)
        .select_related("council", "actor", "subject")
        .order_by("-occurred_at", "-id")
    )
    if not Membership.objects.filter(user=user, role__in=AUDIT_READERS, is_active=True).exists():
        raise PermissionDenied
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/recovery/audit.html", {"page": page, "events": page.object_list})
