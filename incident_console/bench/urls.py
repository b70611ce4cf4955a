"""The bench URL conf: the product's routes plus the floors, under /bench-floor/. Used only by the
bench (its settings, and the in-process timings); the product's URL conf never includes it."""

from django.urls import path

from incident_console.urls import urlpatterns as product

from . import floors

urlpatterns = [
    path("bench-floor/dashboard/", floors.dashboard),
    path("bench-floor/incidents/<int:pk>/", floors.incident),
    path("bench-floor/incidents/<int:pk>/checklists/<int:checklist_pk>/", floors.checklist),
    path("bench-floor/api/incidents/", floors.incidents_api),
    path("bench-floor/api/incidents/<int:pk>/checklist-items/", floors.items_api),
    path("bench-floor/api/incidents/<int:pk>/timeline/", floors.timeline_api),
    path("bench-floor/api/me/shifts/", floors.shifts_api),
    *product,
]
