"""The notification centre, the header count and acknowledgement (in the app or from a link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user

from . import links, selectors, services, sources
from .models import Notification


def _acknowledged(request: HttpRequest, notification: Notification) -> None:
    if sources.escalates(notification.alert.kind):
        messages.success(request, _("Acknowledged. Nobody else will be asked about it."))
    else:
        messages.success(request, _("Acknowledged. You will not be asked about it again."))


@never_cache
@login_required
@require_GET
def centre(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    page = Paginator(selectors.notifications_of(user), 25).get_page(request.GET.get("page"))
    unread = {n.pk for n in page.object_list if n.read_at is None}
    services.mark_all_read(user=user)
    return render(
        request,
        "notifications/centre.html",
        {"page": page, "unread": unread, "nav": "notifications"},
    )


@never_cache
@login_required
@require_GET
def count(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/partials/count.html",
        {"unread_count": selectors.unread_count(signed_in_user(request))},
    )


def _back_to(request: HttpRequest, notification: Notification) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = notification.alert.link or reverse("notifications:centre")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    notification = selectors.notification_for(user, pk)
    if notification is None:
        raise Http404
    services.acknowledge(notification=notification, actor=user)
    _acknowledged(request, notification)
    return _back_to(request, notification)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def acknowledge_link(request: HttpRequest, token: str) -> HttpResponse:
    """From an email or SMS. GET shows a confirm page; only the POST acknowledges."""
    user = signed_in_user(request)
    ids = links.read_token(token)
    if ids is None:
        expired = links.link_has_expired(token)
        return render(request, "notifications/link_unusable.html", {"expired": expired}, status=400)
    notification_id, recipient_id = ids
    notification = selectors.notification_for(user, notification_id)
    if notification is None or recipient_id != user.pk:
        return render(request, "notifications/link_unusable.html", {"not_yours": True}, status=403)
    if request.method == "POST":
        services.acknowledge(notification=notification, actor=user)
        _acknowledged(request, notification)
        return HttpResponseRedirect(notification.alert.link or reverse("notifications:centre"))
    return render(
        request,
        "notifications/acknowledge.html",
        {"notification": notification, "escalates": sources.escalates(notification.alert.kind)},
    )
