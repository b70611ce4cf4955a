"""Account API: the token endpoint, and your own tokens. Thin: writes go through services.

Tokens are created only by a password (plus a current authenticator code when the account signs
in with a second factor) at ``auth/token/``, or on the Tokens page. A token cannot make tokens.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_lockout_message
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import selectors, services, tokens
from .auth import signed_in_user
from .models import ApiToken, User
from .two_factor import totp_device

SECOND_FACTOR_NEEDED = gettext_lazy(
    "This account signs in with a second factor: send the current 6-digit code from your "
    "authenticator app as otp_token."
)


class LockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class TokenObtainSerializer(serializers.Serializer[dict[str, Any]]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=tokens.NAME_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="What will use the token. Defaults to “API token”.",
    )
    expires_in_days = serializers.ChoiceField(
        choices=list(tokens.EXPIRY_DAYS),
        default=tokens.DEFAULT_EXPIRY_DAYS,
        error_messages={"invalid_choice": "Choose 1, 7, 30 or 90 days."},
    )
    otp_token = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="The current code from your authenticator app; needed when your account uses one.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context["request"]
        # Through Django's authenticate(), so django-axes counts failures and applies its lockout.
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(get_lockout_message())
            raise serializers.ValidationError(
                _("Unable to sign in with that username and password."), code="authorization"
            )
        assert isinstance(user, User)
        attrs["user"] = user
        attrs["second_factor"] = False
        if services.needs_second_factor_for_tokens(user):
            self._check_code(user, (attrs.get("otp_token") or "").replace(" ", ""))
            attrs["second_factor"] = True
        return attrs

    @staticmethod
    def _check_code(user: User, code: str) -> None:
        if not code:
            raise serializers.ValidationError({"otp_token": [SECOND_FACTOR_NEEDED]}, code="required")
        device = totp_device(user)
        if device is None:
            raise serializers.ValidationError(
                {
                    "otp_token": [
                        _(
                            "This account signs in with a second factor but has no authenticator app "
                            "set up. Sign in on the website to set one up first."
                        )
                    ]
                }
            )
        allowed, _detail = device.verify_is_allowed()
        if not allowed:
            raise serializers.ValidationError(
                {"otp_token": [_("Too many wrong codes. Wait a minute, then send the newest code.")]}
            )
        if not code.isdigit() or not device.verify_token(code):
            raise serializers.ValidationError(
                {
                    "otp_token": [
                        _("That code did not match. Send the newest code from your authenticator app.")
                    ]
                }
            )


class IssuedTokenSerializer(serializers.Serializer[dict[str, Any]]):
    token = serializers.CharField(help_text="The key. It is shown once and cannot be read again.")
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    status = serializers.ChoiceField(choices=ApiToken.Status.choices, read_only=True)
    revoked_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "key_prefix",
            "status",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "revoked_by",
        ]
        read_only_fields = fields


class TokenView(APIView):
    """POST username and password (and otp_token when the account uses a second factor) for a
    named token that expires."""

    authentication_classes: list[type[Any]] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenObtainSerializer, responses={200: IssuedTokenSerializer})
    def post(self, request: Request) -> Response:
        data = TokenObtainSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            issued = services.issue_api_token(
                user=values["user"],
                name=values.get("name") or tokens.DEFAULT_NAME,
                expires_in_days=int(values["expires_in_days"]),
                second_factor=values["second_factor"],
            )
        except services.SecondFactorRequired as error:
            raise serializers.ValidationError({"otp_token": error.messages}) from None
        body = IssuedTokenSerializer(
            {"token": issued.key, "name": issued.token.name, "expires_at": issued.token.expires_at}
        ).data
        return Response(body, headers={"Cache-Control": "no-store"})


class MyTokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[ApiToken]):
    """Your own tokens (never their keys). Revoke one with POST .../revoke/."""

    serializer_class = ApiTokenSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[ApiToken]:
        return selectors.api_tokens_of(self.request.user)

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        token = services.revoke_api_token(token=self.get_object(), actor=signed_in_user(request))
        return Response(ApiTokenSerializer(token).data)
