"""The REST API under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from incident_console.accounts import api as accounts_api
from incident_console.guidance import api as guidance_api
from incident_console.incidents import api as incidents_api
from incident_console.rotas import api as rotas_api

router = DefaultRouter()
router.register("incidents", incidents_api.IncidentViewSet, basename="incident")
router.register("modules", guidance_api.ModuleViewSet, basename="module")
router.register("checklist-items", guidance_api.ChecklistItemViewSet, basename="checklist-item")
router.register("me/tokens", accounts_api.MyTokenViewSet, basename="my-token")
router.register("rotas", rotas_api.RotaViewSet, basename="rota")
router.register("swaps", rotas_api.SwapViewSet, basename="swap")

urlpatterns = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("me/shifts/", rotas_api.MyShiftsView.as_view(), name="my-shifts"),
    path(
        "incidents/<int:pk>/checklist-items/",
        guidance_api.IncidentChecklistItemList.as_view(),
        name="incident-checklist-items",
    ),
    path(
        "incidents/<int:pk>/checklists/",
        guidance_api.IncidentChecklistList.as_view(),
        name="incident-checklists",
    ),
    path("", include(router.urls)),
]
