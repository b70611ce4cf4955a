"""Shared API plumbing: error shapes and the 409 for stale edits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import StaleEditError


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale_edit"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleEditError):
        return Response(
            {"detail": str(exc), "current_version": exc.current_version}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = DRFValidationError(detail)
    return drf_exception_handler(exc, context)
