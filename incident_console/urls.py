from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("incident_console.incidents.urls")),
    path("", include("incident_console.guidance.urls")),
    path("", include("incident_console.command.urls")),
    path("", include("incident_console.health.urls")),
    path("", include("incident_console.rotas.urls")),
    path("", include("incident_console.broadcasts.urls")),
    path("", include("incident_console.recovery.urls")),
    path("", include("incident_console.assessments.urls")),
    path("", include("incident_console.reports.urls")),
    path("", include("incident_console.contacts.urls")),
    path("", include("incident_console.closure.urls")),
    path("", include("incident_console.lessons.urls")),
    path("", include("incident_console.safeguarding.urls")),
    path("", include("incident_console.payments.urls")),
    path("", include("incident_console.priority_cases.urls")),
    path("", include("incident_console.continuity.urls")),
    path("accounts/tokens/", include("incident_console.accounts.token_urls")),
    path("accounts/", include("incident_console.accounts.urls")),
    path("notifications/", include("incident_console.notifications.urls")),
    path("api/v1/", include("incident_console.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file; its one inline <style> is
    # allowed by hash on this view only (settings/security.py).
    path(
        "api/docs/",
        csp_update(settings.SWAGGER_UI_CSP_UPDATE)(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]
