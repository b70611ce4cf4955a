"""The recovery tracker and the external notifications log in the API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from incident_console.accounts.auth import signed_in_user
from incident_console.command.selectors import eligible_people
from incident_console.incidents import access

from . import selectors, services
from .models import AffectedSystem, ExternalNotification, TellingDecision
from .serializers import (
    AffectedSystemSerializer,
    ExternalNotificationCreateSerializer,
    ExternalNotificationSerializer,
    SystemUpdateSerializer,
    SystemWriteSerializer,
)


class SystemList(generics.ListCreateAPIView[AffectedSystem]):
    """The systems on the recovery tracker, in the agreed restore order."""

    serializer_class = AffectedSystemSerializer
    queryset = AffectedSystem.objects.none()

    def get_queryset(self) -> QuerySet[AffectedSystem]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.systems_for(
            access.incident_for(self.request.user, self.kwargs["pk"], "view_recovery")
        )

    @extend_schema(request=SystemWriteSerializer, responses={201: AffectedSystemSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(request.user, self.kwargs["pk"], "manage_systems")
        data = SystemWriteSerializer(data=request.data, context={"people": eligible_people(incident)})
        data.is_valid(raise_exception=True)
        system = services.add_system(incident=incident, actor=signed_in_user(request), **data.validated_data)
        return Response(AffectedSystemSerializer(system).data, status=status.HTTP_201_CREATED)


class SystemDetail(generics.RetrieveAPIView[AffectedSystem]):
    serializer_class = AffectedSystemSerializer
    queryset = AffectedSystem.objects.none()
    lookup_url_kwarg = "system_id"

    def get_queryset(self) -> QuerySet[AffectedSystem]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.systems_for(
            access.incident_for(self.request.user, self.kwargs["pk"], "view_recovery")
        )

    @extend_schema(request=SystemUpdateSerializer, responses={200: AffectedSystemSerializer})
    def put(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(request.user, self.kwargs["pk"], "manage_systems")
        system = selectors.system_for(incident, self.kwargs["system_id"])
        if system is None:
            raise Http404
        data = SystemUpdateSerializer(data=request.data, context={"people": eligible_people(incident)})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        updated = services.update_system(
            system=system, actor=signed_in_user(request), expected_version=version, **values
        )
        return Response(AffectedSystemSerializer(selectors.system_for(incident, updated.pk)).data)


class ExternalNotificationList(generics.ListCreateAPIView[ExternalNotification]):
    """Who outside the council has been told, and which usual bodies were recorded as not needing
    telling (`decision`: `not_needed`, with `reason`, `decided_by` and `decided_at`)."""

    serializer_class = ExternalNotificationSerializer
    queryset = ExternalNotification.objects.none()
    pagination_class = None

    def get_queryset(self) -> QuerySet[ExternalNotification]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.notifications_for(
            access.incident_for(self.request.user, self.kwargs["pk"], "view_recovery")
        )

    @extend_schema(
        request=ExternalNotificationCreateSerializer, responses={201: ExternalNotificationSerializer}
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(request.user, self.kwargs["pk"], "log_external_notification")
        data = ExternalNotificationCreateSerializer(
            data=request.data,
            context={
                "people": eligible_people(incident),
                "assessments": selectors.unreported_assessments(request.user, incident),
            },
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        actor = signed_in_user(request)
        if values.pop("decision") == TellingDecision.NOT_NEEDED:
            entry = services.record_not_needed(
                incident=incident,
                actor=actor,
                body=values["body"],
                reason=values["reason"],
                decided_by=values.get("decided_by") or actor,
                decided_at=values.get("decided_at"),
            )
        else:
            for field in ("reason", "decided_by", "decided_at"):
                values.pop(field, None)
            values["told_by"] = values.get("told_by") or actor
            entry = services.log_notification(incident=incident, actor=actor, **values)
        return Response(ExternalNotificationSerializer(entry).data, status=status.HTTP_201_CREATED)
