"""Two-factor sign-in pages: set up, verify, recovery codes, and the overview."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from . import two_factor
from .auth import signed_in_user
from .forms import CodeForm, SetupCodeForm

RECOVERY_CODES_SESSION_KEY = "two_factor_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("incidents:dashboard")


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "accounts/two_factor/overview.html",
        {
            "enrolled": two_factor.has_two_factor(user),
            "required": two_factor.requires_two_factor(user),
            "verified": two_factor.session_passed_two_factor(user),
            "codes_left": two_factor.recovery_codes_left(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if two_factor.has_two_factor(user) and not two_factor.session_passed_two_factor(user):
        # Replacing an authenticator needs the current one first.
        return HttpResponseRedirect(
            reverse("accounts:two_factor_verify") + "?next=" + reverse("accounts:two_factor_setup")
        )
    device = two_factor.start_enrolment(user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_enrolment(user=user, code=form.cleaned_data["code"])
        except two_factor.SecondFactorError as error:
            form.add_error("code", error.messages[0])
        else:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return HttpResponseRedirect(
                reverse("accounts:two_factor_recovery_codes") + "?next=" + _next_url(request)
            )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context: dict[str, Any] = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": _grouped(secret),
        "next": _next_url(request),
        "required": two_factor.requires_two_factor(user),
        "replacing": two_factor.has_two_factor(user),
    }
    return render(request, "accounts/two_factor/setup.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not two_factor.has_two_factor(user):
        return HttpResponseRedirect(reverse("accounts:two_factor_setup"))
    if two_factor.session_passed_two_factor(user):
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.verify_second_factor(user=user, code=form.cleaned_data["code"])
        except two_factor.SecondFactorError as error:
            form.add_error("code", error.messages[0])
        else:
            otp_login(request, device)
            left = two_factor.recovery_codes_left(user)
            if device.name == two_factor.RECOVERY_DEVICE_NAME:
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code. You have %(left)s left: set up your "
                        "authenticator again or issue new codes from Two-factor sign-in."
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor/verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows newly issued recovery codes once; after that only how many are left."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return HttpResponseRedirect(reverse("accounts:two_factor"))
    return render(
        request, "accounts/two_factor/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@login_required
@require_POST
def regenerate_codes(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not two_factor.session_passed_two_factor(user):
        return HttpResponseRedirect(
            reverse("accounts:two_factor_verify") + "?next=" + reverse("accounts:two_factor")
        )
    request.session[RECOVERY_CODES_SESSION_KEY] = two_factor.new_recovery_codes(user=user)
    return HttpResponseRedirect(reverse("accounts:two_factor_recovery_codes"))


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        two_factor.turn_off_two_factor(user=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Two-factor sign-in is off."))
    return HttpResponseRedirect(reverse("accounts:two_factor"))
