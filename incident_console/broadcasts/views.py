"""Broadcast pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents import access
from incident_console.incidents.views import get_incident, incident_context
from incident_console.lib.errors import ValidationError
from incident_console.lib.forms import add_service_errors

from . import selectors, services
from .forms import BroadcastForm


@login_required
def broadcast_list(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_broadcasts")
    broadcasts = list(selectors.broadcasts_for(incident)[:100])
    counts = selectors.acknowledgement_counts(broadcasts)
    rows = [(b, *counts[b.pk]) for b in broadcasts]
    return render(
        request,
        "broadcasts/list.html",
        incident_context(
            request, incident, rows=rows, may_send=access.can(request.user, "send_broadcast", incident)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def broadcast_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "send_broadcast")
    form = BroadcastForm(request.POST or None, cells=selectors.cells_in_use(incident))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            broadcast = services.send_broadcast(
                incident=incident,
                actor=signed_in_user(request),
                audience=data["audience"],
                cell=data["cell"],
                message=data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Broadcast sent. The page shows who has acknowledged it."))
            return HttpResponseRedirect(reverse("broadcasts:detail", args=[incident.pk, broadcast.pk]))
    return render(request, "broadcasts/new.html", incident_context(request, incident, form=form))


@login_required
def broadcast_detail(request: HttpRequest, pk: int, broadcast_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "view_broadcasts")
    broadcast = selectors.broadcast_for(incident, broadcast_id)
    if broadcast is None:
        raise Http404
    statuses = selectors.recipient_statuses(broadcast)
    return render(
        request,
        "broadcasts/detail.html",
        incident_context(
            request,
            incident,
            broadcast=broadcast,
            statuses=statuses,
            acknowledged=sum(1 for s in statuses if s.acknowledged_at),
            chases=services.chases(),
        ),
    )


@login_required
def broadcast_received(request: HttpRequest, pk: int, broadcast_id: int) -> HttpResponse:
    """Where the link in a broadcast's text and email ends: the message and whether this person's
    acknowledgement is recorded. Everyone it was sent to may see it, including people on a
    council rota who do not take part in the incident (and so cannot open the incident)."""
    user = signed_in_user(request)
    found = selectors.received(user.pk, pk, broadcast_id)
    if found is None:
        raise Http404
    broadcast, recipient = found
    incident = broadcast.incident
    may_view = access.can(user, "view_broadcasts", incident)
    if recipient is None and not may_view:
        access.require(user, "view_broadcasts", incident)  # 404 unless the incident is visible, else 403
    acknowledged_at = (
        selectors.acknowledged_keys([recipient.source_key]).get(recipient.source_key) if recipient else None
    )
    return render(
        request,
        "broadcasts/received.html",
        {
            "broadcast": broadcast,
            "incident": incident,
            "is_exercise": incident.is_exercise,
            "classification": incident.classification,
            "recipient": recipient,
            "acknowledged_at": acknowledged_at,
            "may_view": may_view,
        },
    )
