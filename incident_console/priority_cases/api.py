"""Priority cases in the API. Every list or case returned is written to the access log."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents import access
from incident_console.incidents.models import Incident

from . import selectors, services
from .models import PriorityCase, PriorityCaseAccess
from .serializers import (
    CaseContactCreateSerializer,
    CaseContactSerializer,
    PriorityCaseCreateSerializer,
    PriorityCaseSerializer,
    PriorityCaseUpdateSerializer,
)

EDITABLE = (
    "reference",
    "service",
    "why_at_risk",
    "risk_level",
    "owner",
    "next_contact_due",
    "status",
    "closed_reason",
    "notes",
)


def _case(request: Request, pk: int, action: str) -> tuple[Incident, PriorityCase]:
    """The case with this id: 404 unless the person may see its incident, 403 unless they may do
    ``action``."""
    case = access.row_for(request.user, PriorityCase.objects.select_related("owner"), pk, action)
    return case.incident, case


class PriorityCaseList(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("service", str, description="Only this service."),
            OpenApiParameter("status", str, description="Only this status."),
        ],
        responses={200: PriorityCaseSerializer(many=True)},
    )
    def get(self, request: Request, pk: int) -> Response:
        incident = access.incident_for(request.user, pk, "view_priority_cases")
        cases = list(
            selectors.cases_for(
                incident,
                service=request.query_params.get("service", ""),
                status=request.query_params.get("status", ""),
            )
        )
        services.record_access(
            incident=incident,
            cases=cases,
            actor=signed_in_user(request),
            via=PriorityCaseAccess.Via.API,
            what=f"GET incidents/{pk}/priority-cases/",
        )
        return Response(PriorityCaseSerializer(cases, many=True).data)

    @extend_schema(request=PriorityCaseCreateSerializer, responses={201: PriorityCaseSerializer})
    def post(self, request: Request, pk: int) -> Response:
        incident = access.incident_for(request.user, pk, "manage_priority_cases")
        data = PriorityCaseCreateSerializer(
            data=request.data, context={"people": selectors.eligible_owners(incident)}
        )
        data.is_valid(raise_exception=True)
        case = services.add_case(incident=incident, actor=signed_in_user(request), **data.validated_data)
        return Response(PriorityCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class PriorityCaseDetail(APIView):
    @extend_schema(responses={200: PriorityCaseSerializer})
    def get(self, request: Request, pk: int) -> Response:
        incident, case = _case(request, pk, "view_priority_cases")
        services.record_access(
            incident=incident,
            cases=[case],
            actor=signed_in_user(request),
            via=PriorityCaseAccess.Via.API,
            what=f"GET priority-cases/{pk}/",
        )
        return Response(PriorityCaseSerializer(case).data)

    @extend_schema(request=PriorityCaseUpdateSerializer, responses={200: PriorityCaseSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        incident, case = _case(request, pk, "manage_priority_cases")
        data = PriorityCaseUpdateSerializer(
            data=request.data, context={"people": selectors.eligible_owners(incident)}
        )
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        version = values.pop("version")
        merged: dict[str, Any] = {field: getattr(case, field) for field in EDITABLE}
        merged.update(values)
        actor = signed_in_user(request)
        updated = services.update_case(case=case, actor=actor, expected_version=version, **merged)
        services.record_access(
            incident=incident,
            cases=[updated],
            actor=actor,
            via=PriorityCaseAccess.Via.API,
            what=f"PATCH priority-cases/{pk}/",
        )
        return Response(PriorityCaseSerializer(selectors.case_for(incident, updated.pk)).data)


class CaseContactCreate(APIView):
    @extend_schema(request=CaseContactCreateSerializer, responses={201: CaseContactSerializer})
    def post(self, request: Request, pk: int) -> Response:
        incident, case = _case(request, pk, "manage_priority_cases")
        data = CaseContactCreateSerializer(
            data=request.data, context={"people": selectors.eligible_owners(incident)}
        )
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        actor = signed_in_user(request)
        values["contacted_by"] = values.get("contacted_by") or actor
        contact = services.record_contact(
            case=case, actor=actor, expected_version=values.pop("version", None), **values
        )
        return Response(CaseContactSerializer(contact).data, status=status.HTTP_201_CREATED)
