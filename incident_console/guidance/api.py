"""Guidance and checklist API. Thin: access checks through access.py, writes through services."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents import access
from incident_console.incidents.selectors import assignable_people

from . import selectors, services
from .models import Checklist, ChecklistItem, GuidanceModule, ProgressNote, StrategicAction
from .serializers import (
    ChecklistItemSerializer,
    ChecklistItemUpdateSerializer,
    ChecklistSerializer,
    ModuleSerializer,
)


class ModuleViewSet(viewsets.ReadOnlyModelViewSet[GuidanceModule]):
    serializer_class = ModuleSerializer
    lookup_field = "slug"
    queryset = GuidanceModule.objects.select_related("current_version").prefetch_related(
        Prefetch("current_version__actions", queryset=StrategicAction.objects.order_by("position"))
    )


def _items() -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.select_related(
        "checklist__module", "strategic_action", "owner"
    ).prefetch_related(Prefetch("notes", queryset=ProgressNote.objects.select_related("author")))


class ItemFilter(django_filters.FilterSet):
    module = django_filters.CharFilter(field_name="checklist__module__slug")

    class Meta:
        model = ChecklistItem
        fields = ["status", "module"]


class IncidentChecklistItemList(generics.ListAPIView[ChecklistItem]):
    """The checklist items of one incident, across its applied modules."""

    serializer_class = ChecklistItemSerializer
    filterset_class = ItemFilter
    queryset = ChecklistItem.objects.none()

    def get_queryset(self) -> QuerySet[ChecklistItem]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "view_checklists")
        return _items().filter(checklist__incident=incident).order_by("checklist__module__title", "position")


class IncidentChecklistList(generics.ListAPIView[Checklist]):
    """The modules applied to one incident, with progress counts."""

    serializer_class = ChecklistSerializer
    pagination_class = None
    queryset = Checklist.objects.none()

    def get_queryset(self) -> QuerySet[Checklist]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "view_checklists")
        return selectors.checklists_with_progress(incident.pk, with_items=False)


class ChecklistItemViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[ChecklistItem]):
    serializer_class = ChecklistItemSerializer

    def get_queryset(self) -> QuerySet[ChecklistItem]:
        visible = access.visible_incidents(self.request.user).values("pk")
        return _items().filter(checklist__incident__in=visible)

    def get_object(self) -> ChecklistItem:
        item = super().get_object()
        access.require(self.request.user, "view_checklists", item.checklist.incident)
        return item

    @extend_schema(request=ChecklistItemUpdateSerializer, responses={200: ChecklistItemSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        incident = item.checklist.incident
        access.require(request.user, "update_checklist_item", incident)
        data = ChecklistItemUpdateSerializer(
            data=request.data, context={"people": assignable_people(incident)}
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.update_item(
            item=item, actor=signed_in_user(request), expected_version=values.pop("version"), **values
        )
        return Response(ChecklistItemSerializer(self.get_queryset().get(pk=item.pk)).data)
