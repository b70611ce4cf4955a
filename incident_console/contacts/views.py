"""Partner contact pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.incidents.access import AccessDenied
from incident_console.lib.errors import ValidationError
from incident_console.lib.forms import add_service_errors

from . import access, selectors, services
from .forms import ContactForm


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    councils = access.viewer_council_ids(request.user)
    if not councils:
        raise AccessDenied("view_contacts")
    return render(
        request,
        "contacts/list.html",
        {
            "contacts": list(selectors.contacts_of(councils)),
            "may_add": bool(access.admin_council_ids(request.user)),
            "nav": "contacts",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    councils = list(Council.objects.filter(pk__in=access.admin_council_ids(request.user)))
    if not councils:
        raise AccessDenied("add_contact")
    form = ContactForm(request.POST or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        council = data.pop("council", None) or form.single_council
        assert council is not None
        try:
            services.add_contact(council=council, actor=signed_in_user(request), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Contact added."))
            return HttpResponseRedirect(reverse("contacts:list"))
    return render(request, "contacts/form.html", {"form": form, "nav": "contacts"})
