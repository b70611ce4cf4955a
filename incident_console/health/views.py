"""Health endpoints for uptime monitors and container health checks. No login, no data."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import checks


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker and worker status: 200 when all are ok, otherwise 503."""
    report = checks.health_report()
    status = 200 if report["status"] == "ok" else 503
    return JsonResponse(report, status=status)


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    """Liveness only: this process answers requests. Checks no dependency."""
    return JsonResponse({"status": "ok"})
