"""API token pages: your tokens (list, create, revoke) and, for council admins, their councils' tokens.

Thin: parse, check access (access.py), call a service or selector, render. A new key is rendered
once, in the response to the POST that created it, and never stored or cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.lib.forms import add_service_errors

from . import access, selectors, services
from .auth import signed_in_user
from .tokens import ApiTokenForm
from .two_factor import session_passed_two_factor


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    verified = session_passed_two_factor(user)
    needs_second_factor = services.needs_second_factor_for_tokens(user) and not verified
    form = ApiTokenForm()
    issued = None
    status = 200
    if request.method == "POST":
        if needs_second_factor:
            status = 403
        else:
            form = ApiTokenForm(request.POST)
            if form.is_valid():
                try:
                    issued = services.issue_api_token(
                        user=user,
                        name=form.cleaned_data["name"],
                        expires_in_days=form.cleaned_data["expires_in_days"],
                        second_factor=verified,
                    )
                except services.SecondFactorRequired:
                    needs_second_factor, status = True, 403
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens/list.html",
        {
            "form": form,
            "issued": issued,
            "needs_second_factor": needs_second_factor,
            "tokens": list(selectors.api_tokens_of(user)),
            "may_manage_council_tokens": access.may_manage_council_tokens(user),
        },
        status=status,
    )


@never_cache
@login_required
def council_tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    councils = access.administered_council_ids(user)
    if not councils:
        raise PermissionDenied
    return render(
        request,
        "accounts/tokens/council.html",
        {"tokens": list(selectors.active_api_tokens_in_councils(councils))},
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    token = selectors.api_token_by_id(pk)
    if token is None or not access.may_revoke(user, token):
        raise Http404
    token = services.revoke_api_token(token=token, actor=user)
    messages.success(
        request,
        _("Token “%(name)s” (%(prefix)s…) is revoked. It no longer opens the API.")
        % {"name": token.name, "prefix": token.key_prefix},
    )
    if request.POST.get("from") == "council" and access.may_manage_council_tokens(user):
        return HttpResponseRedirect(reverse("api_tokens:council"))
    return HttpResponseRedirect(reverse("api_tokens:list"))
