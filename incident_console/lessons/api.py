"""The lessons log and recovery handovers in the API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.command.selectors import eligible_people
from incident_console.incidents import access
from incident_console.incidents.models import Incident

from . import selectors, services
from .models import Lesson, RecoveryHandover
from .serializers import (
    AcknowledgeSerializer,
    LessonCreateSerializer,
    LessonSerializer,
    LessonUpdateSerializer,
    RecoveryHandoverSerializer,
)


class LessonList(generics.ListCreateAPIView[Lesson]):
    """The lessons log, newest first (filter with ?status= and ?category=)."""

    serializer_class = LessonSerializer
    queryset = Lesson.objects.none()

    def get_queryset(self) -> QuerySet[Lesson]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "view_lessons")
        return selectors.filtered_lessons(
            incident,
            status=self.request.query_params.get("status", ""),
            category=self.request.query_params.get("category", ""),
        )

    @extend_schema(request=LessonCreateSerializer, responses={201: LessonSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(request.user, self.kwargs["pk"], "manage_lessons")
        data = LessonCreateSerializer(data=request.data, context={"people": eligible_people(incident)})
        data.is_valid(raise_exception=True)
        lesson = services.add_lesson(incident=incident, actor=signed_in_user(request), **data.validated_data)
        return Response(LessonSerializer(lesson).data, status=status.HTTP_201_CREATED)


def _lesson(request: Request, pk: int, action: str) -> tuple[Incident, Lesson]:
    """404 unless the person may see the lesson's incident; 403 unless they may do ``action``."""
    lesson = access.row_for(request.user, Lesson.objects.select_related("owner", "raised_by"), pk, action)
    return lesson.incident, lesson


class LessonDetail(APIView):
    @extend_schema(responses={200: LessonSerializer})
    def get(self, request: Request, pk: int) -> Response:
        _incident, lesson = _lesson(request, pk, "view_lessons")
        return Response(LessonSerializer(lesson).data)

    @extend_schema(request=LessonUpdateSerializer, responses={200: LessonSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        incident, lesson = _lesson(request, pk, "manage_lessons")
        data = LessonUpdateSerializer(data=request.data, context={"people": eligible_people(incident)})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        merged: dict[str, Any] = {
            f: getattr(lesson, f)
            for f in (
                "what_happened",
                "learned",
                "category",
                "owner",
                "action",
                "action_due",
                "status",
                "reason",
            )
        }
        merged.update(values)
        updated = services.update_lesson(
            lesson=lesson, actor=signed_in_user(request), expected_version=version, **merged
        )
        return Response(LessonSerializer(selectors.lesson_for(incident, updated.pk)).data)


class RecoveryHandoverList(generics.ListAPIView[RecoveryHandover]):
    """Every handover from response to recovery, latest (the current one) first."""

    serializer_class = RecoveryHandoverSerializer
    queryset = RecoveryHandover.objects.none()
    pagination_class = None

    def get_queryset(self) -> QuerySet[RecoveryHandover]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.handovers_for(
            access.incident_for(self.request.user, self.kwargs["pk"], "view_recovery_handover")
        )


class RecoveryHandoverAcknowledge(APIView):
    """Take on the handover (once; the latest handover only). 400 with the reason otherwise."""

    @extend_schema(request=AcknowledgeSerializer, responses={200: RecoveryHandoverSerializer})
    def post(self, request: Request, pk: int) -> Response:
        handover = access.row_for(
            request.user, RecoveryHandover.objects.all(), pk, "acknowledge_recovery_handover"
        )
        incident = handover.incident
        data = AcknowledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.acknowledge_handover(
            handover=handover, actor=signed_in_user(request), note=data.validated_data["note"]
        )
        return Response(RecoveryHandoverSerializer(selectors.handover_for(incident, pk)).data)
