"""Safeguarding critical timings in the API. Items carry case references: the service-user data
rule (incidents.sensitivity) decides who sees them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.incidents import access as incident_access
from incident_console.lib.time import london

from . import access, selectors, services
from .models import Deadline, TimingRule
from .serializers import (
    CompleteSerializer,
    DeadlineSerializer,
    DeadlineUpdateSerializer,
    DeadlineWriteSerializer,
    TimingRuleSerializer,
)


class DeadlineList(generics.ListCreateAPIView[Deadline]):
    """The incident's safeguarding register, soonest due first."""

    serializer_class = DeadlineSerializer
    queryset = Deadline.objects.none()

    def get_queryset(self) -> QuerySet[Deadline]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.deadlines_for(
            incident_access.incident_for(self.request.user, self.kwargs["pk"], "view_deadlines")
        )

    @extend_schema(request=DeadlineWriteSerializer, responses={201: DeadlineSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = incident_access.incident_for(request.user, self.kwargs["pk"], "manage_deadlines")
        data = DeadlineWriteSerializer(
            data=request.data, context={"people": selectors.possible_owners(incident)}
        )
        data.is_valid(raise_exception=True)
        deadline = services.add_deadline(
            incident=incident, actor=signed_in_user(request), **data.validated_data
        )
        return Response(DeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)


class DeadlineDetail(APIView):
    """One item. PATCH carries `version`; fields left out keep their values."""

    @extend_schema(responses={200: DeadlineSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(DeadlineSerializer(selectors.deadline_visible(request.user, pk)).data)

    @extend_schema(request=DeadlineUpdateSerializer, responses={200: DeadlineSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        deadline = selectors.deadline_visible(request.user, pk, "manage_deadlines")
        current = {
            "kind": deadline.kind,
            "case_reference": deadline.case_reference,
            "start_date": deadline.start_date,
            "due_on": london(deadline.due_at).date()
            if deadline.is_overridden or not deadline.computed_due_at
            else None,
            "override_reason": deadline.override_reason,
            "owner": deadline.owner_id,
            "note": deadline.note,
        }
        body: dict[str, Any] = request.data if isinstance(request.data, dict) else {}
        data = DeadlineUpdateSerializer(
            data={**current, **body}, context={"people": selectors.possible_owners(deadline.incident)}
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        updated = services.update_deadline(
            deadline=deadline, actor=signed_in_user(request), expected_version=version, **values
        )
        return Response(DeadlineSerializer(updated).data)


class DeadlineComplete(APIView):
    @extend_schema(request=CompleteSerializer, responses={200: DeadlineSerializer})
    def post(self, request: Request, pk: int) -> Response:
        deadline = selectors.deadline_visible(request.user, pk, "manage_deadlines")
        data = CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        updated = services.complete_deadline(
            deadline=deadline,
            actor=signed_in_user(request),
            expected_version=values["version"],
            outcome=values["outcome"],
            completed_at=values["completed_at"],
            note=values["note"],
        )
        return Response(DeadlineSerializer(updated).data)


class TimingRuleList(generics.ListAPIView[TimingRule]):
    """The timescales of the councils the person belongs to."""

    serializer_class = TimingRuleSerializer
    queryset = TimingRule.objects.none()
    pagination_class = None

    def get_queryset(self) -> QuerySet[TimingRule]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        councils = Council.objects.filter(pk__in=access.member_council_ids(self.request.user))
        for council in councils:
            selectors.rules_for(council)
        return (
            TimingRule.objects.filter(council__in=councils)
            .select_related("council")
            .order_by("council__name", "pk")
        )
