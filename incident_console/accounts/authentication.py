"""How API requests are authenticated.

- ``ApiTokenAuthentication``: ``Authorization: Token <key>`` (or ``Bearer <key>``) with a key from the
  Tokens page or the token endpoint. Expired and revoked tokens are refused with a 401 that says so.
- ``TwoFactorSessionAuthentication``: the browser's session, but only once it has passed the second
  factor when the account needs one. The two-factor middleware leaves /api/ alone, so this is where
  the API applies the same rule as the pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from incident_console.lib.time import now

from . import selectors, services
from .two_factor import has_two_factor, requires_two_factor, session_passed_two_factor

if TYPE_CHECKING:
    from rest_framework.request import Request

    from .models import ApiToken, User

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) == 1:
            raise AuthenticationFailed(_("Invalid token header: put the token after “Token ”."))
        if len(parts) > 2:
            raise AuthenticationFailed(_("Invalid token header: a token has no spaces in it."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_key(key)

    def authenticate_key(self, key: str) -> tuple[User, ApiToken]:
        token = selectors.api_token_for_key(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        at = now()
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("This token has been revoked. Create a new one on the Tokens page."))
        if token.expires_at <= at:
            raise AuthenticationFailed(_("This token has expired. Create a new one on the Tokens page."))
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("This account has been switched off."))
        if not token.second_factor and services.needs_second_factor_for_tokens(user):
            # Issued before the account needed a second factor (say, a staff member who became a
            # responder): it must not open the wider access without one.
            raise AuthenticationFailed(
                _(
                    "This token was created without a second factor, which this account now needs. "
                    "Create a new one after two-factor sign-in."
                )
            )
        services.record_api_token_use(token=token, at=at)
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"


class TwoFactorSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[User, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        # A session that passed the second factor needs nothing more (and no query to know it).
        if not session_passed_two_factor(user) and (requires_two_factor(user) or has_two_factor(user)):
            raise AuthenticationFailed(
                _(
                    "This session has not passed two-factor sign-in. Enter the code from your "
                    "authenticator app (/accounts/two-factor/) first, or use an API token."
                )
            )
        return result


# How the OpenAPI schema (/api/schema/) describes them.


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "incident_console.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                'A key from the Tokens page or auth/token/, sent as "Token <key>" or "Bearer <key>".'
            ),
        }


class TwoFactorSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "incident_console.accounts.authentication.TwoFactorSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
