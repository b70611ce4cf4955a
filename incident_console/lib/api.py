"""Shared API plumbing: error shapes and the 409 for stale edits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import StaleEditError


@csrf_exempt  # it changes nothing; a CSRF refusal would answer an API client in HTML
def not_found(request: HttpRequest) -> JsonResponse:
    """An address under /api/v1/ that names nothing: the API's own 404, in JSON."""
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)


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


# --- The error responses in the OpenAPI schema ----------------------------------------------------

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Each field (or non_field_errors) with a list of messages a person can act on.",
    "additionalProperties": True,
}
_STALE = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "current_version": {"type": "integer"}},
    "required": ["detail"],
}


def _error(description: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": body}}}


def document_error_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation says what its errors look like, so a
    client (and the schema fuzzing test) knows 400, 401, 403, 404, 405 and 409 are answers, not
    surprises. Operations keep any error response they document themselves."""
    errors = {
        "400": _error("Bad input: messages per field.", _FIELD_ERRORS),
        "401": _error("Not signed in, or the token has expired or been revoked.", _DETAIL),
        "403": _error("Signed in, but not allowed to do this.", _DETAIL),
        "404": _error("No such thing, or not one you may see.", _DETAIL),
        "405": _error("This method is not allowed here.", _DETAIL),
        "429": _error("Too many requests: wait and try again.", _DETAIL),
    }
    schemas = result.get("components", {}).get("schemas", {})
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _json_only(operation, schemas)
            responses = operation["responses"]
            for code, response in errors.items():
                responses.setdefault(code, response)
            if method in ("post", "put", "patch", "delete"):
                responses.setdefault("409", _error("Someone changed it since you read it.", _STALE))
    return result


def _json_only(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Request bodies are documented as JSON, the one format every endpoint takes, except where a
    file is uploaded (multipart). Form encodings stay accepted; they are just not advertised, since
    they cannot say null."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return
    for media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        body = content.get(media)
        if body is not None and not (media == "multipart/form-data" and _has_file(body, schemas)):
            del content[media]


def _has_file(body: dict[str, Any], schemas: dict[str, Any]) -> bool:
    schema = body.get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        schema = schemas.get(ref.rsplit("/", 1)[-1], {})
    return any(p.get("format") == "binary" for p in schema.get("properties", {}).values())
