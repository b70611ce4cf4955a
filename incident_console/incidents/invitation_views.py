"""Inviting outside responders and partners, accepting an invitation, and the access review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.lib.errors import ValidationError
from incident_console.lib.forms import add_service_errors

from . import selectors, services
from .forms import AcceptInvitationForm, InvitationForm
from .views import get_incident, incident_context


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "invite_people")
    form = InvitationForm(request.POST or None)
    new_link = ""
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, raw = services.invite(
                incident=incident, actor=signed_in_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            new_link = request.build_absolute_uri(reverse("incidents:invitation_accept", args=[raw]))
            form = InvitationForm()
    return render(
        request,
        "incidents/invitations.html",
        incident_context(
            request,
            incident,
            form=form,
            new_link=new_link,
            invitations=list(selectors.invitations(incident)),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "invite_people")
    invitation = selectors.invitations(incident).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    try:
        services.withdraw_invitation(invitation=invitation, actor=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return HttpResponseRedirect(reverse("incidents:invitations", args=[incident.pk]))


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the invited person chooses a username and password. The link works once."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "incidents/invitation_unusable.html", {"reason": "invalid"}, status=404)
    if invitation.state != "open" or not invitation.incident.is_open:
        reason = invitation.state if invitation.state != "open" else "closed"
        return render(request, "incidents/invitation_unusable.html", {"reason": reason}, status=410)
    if request.user.is_authenticated:
        return render(request, "incidents/invitation_unusable.html", {"reason": "signed_in"}, status=409)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.accept_invitation(
                raw_token=token,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password1"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return HttpResponseRedirect(reverse("incidents:detail", args=[invitation.incident_id]))
    return render(
        request,
        "incidents/invitation_accept.html",
        {"invitation": invitation, "form": form, "classification": invitation.incident.classification},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def keep_access(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    incident = get_incident(request, pk, "invite_people")
    participation = selectors.participants(incident).filter(user_id=user_id, invitation__isnull=False).first()
    if participation is None:
        raise Http404
    keep = request.POST.get("keep") == "1"
    services.keep_access_after_closure(participation=participation, actor=signed_in_user(request), keep=keep)
    return HttpResponseRedirect(reverse("incidents:people", args=[incident.pk]))


@login_required
def access_review(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(request, pk, "review_access")
    return render(
        request,
        "incidents/access_review.html",
        incident_context(request, incident, review=selectors.access_review(incident)),
    )
