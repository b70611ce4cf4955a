"""Incident API. Thin: access checks through access.py, writes through services."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from incident_console.accounts.auth import signed_in_user
from incident_console.timeline.selectors import events_for

from . import access, selectors, services
from .models import Incident, Status
from .serializers import (
    IncidentCreateSerializer,
    IncidentSerializer,
    IncidentUpdateSerializer,
    TimelineEventSerializer,
    TransitionSerializer,
)


@extend_schema_field(OpenApiTypes.BOOL)
class TrueFalseFilter(django_filters.TypedChoiceFilter):
    """A yes/no filter that answers 400 to anything but "true" or "false" (django-filter's own
    boolean filter ignores what it cannot read, so a typo would list everything)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(**kwargs)


class IncidentFilter(django_filters.FilterSet):
    council = django_filters.CharFilter(field_name="council__slug")
    is_exercise = TrueFalseFilter()

    class Meta:
        model = Incident
        fields = ["status", "severity", "is_exercise", "council"]


class IncidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Incident],
):
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter

    def get_queryset(self) -> QuerySet[Incident]:
        qs = access.visible_incidents(self.request.user).select_related("council")
        return qs.prefetch_related("shared_with").order_by("-declared_at")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # the API always paginates
        return self.get_paginated_response(IncidentSerializer(selectors.with_progress(page), many=True).data)

    def get_object(self) -> Incident:
        incident = super().get_object()
        access.require(self.request.user, "view_incident", incident)
        return incident

    def _serialized(self, pk: int) -> dict[str, Any]:
        """The incident as the API shows it, read again after a change."""
        (incident,) = selectors.with_progress([self.get_queryset().get(pk=pk)])
        return dict(IncidentSerializer(incident).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        (incident,) = selectors.with_progress([self.get_object()])
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=IncidentCreateSerializer, responses={201: IncidentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = IncidentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        council = values.pop("council")
        if not access.may_declare_in(request.user, council):
            return Response(
                {"council": ["You cannot declare an incident for this council."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        incident = services.declare_incident(council=council, actor=signed_in_user(request), **values)
        return Response(self._serialized(incident.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=IncidentUpdateSerializer, responses={200: IncidentSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = self.get_object()
        access.require(request.user, "manage_incident", incident)
        data = IncidentUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        services.update_incident(
            incident=incident, actor=signed_in_user(request), expected_version=version, **values
        )
        return Response(self._serialized(incident.pk))

    @extend_schema(request=TransitionSerializer, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        access.require(request.user, "manage_incident", incident)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        common = {
            "incident": incident,
            "actor": signed_in_user(request),
            "expected_version": values.get("version"),
        }
        if values["to_status"] == "stand_down":
            services.stand_down(reason=values["reason"], **common)
        else:
            services.transition_incident(
                to_status=Status(values["to_status"]), reason=values["reason"], **common
            )
        return Response(self._serialized(incident.pk))

    @extend_schema(responses={200: TimelineEventSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None)
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        access.require(request.user, "view_timeline", incident)
        paginator = self.paginator
        assert paginator is not None
        page = paginator.paginate_queryset(events_for(incident.pk), request, view=self)
        return paginator.get_paginated_response(TimelineEventSerializer(page, many=True).data)
