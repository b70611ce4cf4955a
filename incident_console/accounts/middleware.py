"""Sends a signed-in person to the second-factor step before any other page.

- Enrolled in two-factor but this session has not passed it: the verify page.
- Required to use two-factor (by role) and not yet enrolled: the set-up page.
- Told to choose a new password after an admin-assisted reset: the password page.

The API is left to its own authentication classes, which apply the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .two_factor import has_two_factor, requires_two_factor, session_passed_two_factor

QUIET_PREFIXES = ("/static/", "/healthz")
OPEN_PREFIXES = (
    "/static/",
    "/healthz",
    "/api/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/calendar/",
)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self.redirect_for(request)
        return redirect or self.get_response(request)

    @staticmethod
    def redirect_for(request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or request.path.startswith(QUIET_PREFIXES):
            return None
        target: str | None = None
        if not session_passed_two_factor(user):
            if has_two_factor(user):
                target = "accounts:two_factor_verify"
            elif requires_two_factor(user):
                target = "accounts:two_factor_setup"
        # Templates hide the menu links that would only bounce back to the second-factor step.
        request.second_factor_pending = target is not None  # type: ignore[attr-defined]
        if request.path.startswith(OPEN_PREFIXES):
            return None
        if target is None and getattr(user, "must_change_password", False):
            if request.path.startswith(reverse("accounts:password_change")):
                return None
            target = "accounts:password_change"
        if target is None:
            return None
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
