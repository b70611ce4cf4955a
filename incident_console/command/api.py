"""Command API, nested under the incident. Thin: access checks through access.py, writes through
services. The decision log has no update or delete: those methods answer 405."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.incidents import access

from . import selectors, services
from .models import Assignment, Decision, Handover, RhythmEntry, Risk
from .serializers import (
    AssignmentSerializer,
    AssignSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
    HandoverSerializer,
    RhythmCreateSerializer,
    RhythmEntrySerializer,
    RiskCreateSerializer,
    RiskSerializer,
    RiskUpdateSerializer,
)


class AssignmentList(generics.ListCreateAPIView[Assignment]):
    """Every command assignment of the incident, current and past (filter with ?current=1)."""

    serializer_class = AssignmentSerializer
    queryset = Assignment.objects.none()

    def get_queryset(self) -> QuerySet[Assignment]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        qs = selectors.assignment_history(
            access.incident_for(self.request.user, self.kwargs["pk"], "view_command")
        )
        if self.request.query_params.get("current") == "1":
            qs = qs.filter(relinquished_at__isnull=True)
        return qs

    @extend_schema(request=AssignSerializer, responses={201: AssignmentSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "assign_roles")
        councils = Council.objects.filter(
            pk__in=[incident.council_id, *incident.shared_with.values_list("id", flat=True)]
        )
        data = AssignSerializer(
            data=request.data, context={"people": selectors.eligible_people(incident), "councils": councils}
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        check = "expected_current" in values
        assignment = services.assign_role(
            incident=incident,
            actor=signed_in_user(request),
            check_current=check,
            expected_current=values.pop("expected_current", None),
            **values,
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class HandoverList(generics.ListAPIView[Handover]):
    serializer_class = HandoverSerializer
    queryset = Handover.objects.none()

    def get_queryset(self) -> QuerySet[Handover]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.handovers(
            access.incident_for(self.request.user, self.kwargs["pk"], "view_command")
        ).order_by("-created_at")


class HandoverAcknowledge(generics.GenericAPIView[Handover]):
    """The incoming holder acknowledges a handover. Anyone else gets 403."""

    serializer_class = HandoverSerializer
    queryset = Handover.objects.none()

    @extend_schema(request=None, responses={200: HandoverSerializer})
    def post(self, request: Request, pk: int, handover_id: int) -> Response:
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "view_command")
        handover = selectors.handovers(incident).filter(pk=handover_id).first()
        if handover is None:
            raise Http404
        if handover.incoming.user_id != request.user.pk:
            raise access.AccessDenied("acknowledge_handover")
        handover = services.acknowledge_handover(handover=handover, actor=signed_in_user(request))
        return Response(HandoverSerializer(selectors.handovers(incident).get(pk=handover.pk)).data)


class DecisionList(generics.ListCreateAPIView[Decision]):
    """The decision log, oldest first. Entries are appended, never changed."""

    serializer_class = DecisionSerializer
    queryset = Decision.objects.none()

    def get_queryset(self) -> QuerySet[Decision]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.decisions(access.incident_for(self.request.user, self.kwargs["pk"], "view_command"))

    @extend_schema(request=DecisionCreateSerializer, responses={201: DecisionSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "record_decision")
        data = DecisionCreateSerializer(
            data=request.data, context={"people": selectors.eligible_people(incident)}
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        corrects_number = values.pop("corrects")
        corrects = None
        if corrects_number is not None:
            corrects = Decision.objects.filter(incident=incident, sequence=corrects_number).first()
            if corrects is None:
                return Response(
                    {"corrects": ["There is no decision with that number in this incident."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        entry = services.record_decision(
            incident=incident, actor=signed_in_user(request), corrects=corrects, **values
        )
        return Response(
            DecisionSerializer(selectors.decisions(incident).get(pk=entry.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class DecisionDetail(generics.RetrieveAPIView[Decision]):
    serializer_class = DecisionSerializer
    queryset = Decision.objects.none()
    lookup_url_kwarg = "decision_id"

    def get_queryset(self) -> QuerySet[Decision]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.decisions(access.incident_for(self.request.user, self.kwargs["pk"], "view_command"))


class RiskList(generics.ListCreateAPIView[Risk]):
    serializer_class = RiskSerializer
    queryset = Risk.objects.none()

    def get_queryset(self) -> QuerySet[Risk]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.risks(access.incident_for(self.request.user, self.kwargs["pk"], "view_command"))

    @extend_schema(request=RiskCreateSerializer, responses={201: RiskSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "manage_risks")
        data = RiskCreateSerializer(
            data=request.data, context={"people": selectors.eligible_people(incident)}
        )
        data.is_valid(raise_exception=True)
        risk = services.add_risk(incident=incident, actor=signed_in_user(request), **data.validated_data)
        return Response(RiskSerializer(risk).data, status=status.HTTP_201_CREATED)


class RiskDetail(generics.RetrieveAPIView[Risk]):
    serializer_class = RiskSerializer
    queryset = Risk.objects.none()
    lookup_url_kwarg = "risk_id"

    def get_queryset(self) -> QuerySet[Risk]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.risks(access.incident_for(self.request.user, self.kwargs["pk"], "view_command"))

    @extend_schema(request=RiskUpdateSerializer, responses={200: RiskSerializer})
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "manage_risks")
        risk = self.get_object()
        data = RiskUpdateSerializer(
            data=request.data, context={"people": selectors.eligible_people(incident)}
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        merged: dict[str, Any] = {
            "title": risk.title,
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "owner": risk.owner,
            "mitigations": risk.mitigations,
            "status": risk.status,
            "review_on": risk.review_on,
        }
        version = values.pop("version")
        merged.update(values)
        updated = services.update_risk(
            risk=risk, actor=signed_in_user(request), expected_version=version, **merged
        )
        return Response(RiskSerializer(updated).data)


class RhythmList(generics.ListCreateAPIView[RhythmEntry]):
    """The incident's recurring meetings and deadlines, in UK wall-clock time."""

    serializer_class = RhythmEntrySerializer
    queryset = RhythmEntry.objects.none()

    def get_queryset(self) -> QuerySet[RhythmEntry]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return RhythmEntry.objects.filter(
            incident=access.incident_for(self.request.user, self.kwargs["pk"], "view_command")
        ).order_by("kind", "title")

    @extend_schema(request=RhythmCreateSerializer, responses={201: RhythmEntrySerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "manage_rhythm")
        data = RhythmCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.add_rhythm_entry(
            incident=incident, actor=signed_in_user(request), **data.validated_data
        )
        return Response(RhythmEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
