"""Assessment API. Thin: access through access.py, reads through selectors, writes through services.
Nothing here is visible to partners, staff or other responders: 403 (or 404 outside the incident)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.incidents import access as incident_access
from incident_console.incidents.models import Incident

from . import access, selectors, services
from .models import CONTENT_FIELDS, Assessment, SignOff
from .serializers import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    AssessmentUpdateSerializer,
    SignOffCreateSerializer,
    SignOffSerializer,
    SubmitSerializer,
)


def _incident(request: Request, pk: int, action: str) -> Incident:
    incident = incident_access.visible_incidents(request.user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    incident_access.require(request.user, action, incident)
    return incident


def _with_versions(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return qs.prefetch_related(
        Prefetch("current__sign_offs", queryset=SignOff.objects.select_related("person", "version"))
    ).select_related("current__author")


def _content(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in CONTENT_FIELDS if name in data}


class AssessmentList(generics.ListCreateAPIView[Assessment]):
    """The incident's data-loss assessments that you may see."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        incident = _incident(self.request, self.kwargs["pk"], "view_assessments")
        return _with_versions(selectors.assessments_for(self.request.user, incident))

    @extend_schema(request=AssessmentCreateSerializer, responses={201: AssessmentSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = _incident(request, self.kwargs["pk"], "write_assessment")
        data = AssessmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        slug = values.get("council")
        council = Council.objects.filter(slug=slug).first() if slug else incident.council
        user = signed_in_user(request)
        if council is None or council.pk not in access.writable_councils(user, incident):
            return Response({"council": ["Choose a council of this incident you work for."]}, status=400)
        assessment = services.create_assessment(
            incident=incident, council=council, actor=user, title=values["title"], content=_content(values)
        )
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentDetail(APIView):
    """One assessment with its current version and that version's sign-offs. PATCH saves a new version."""

    @extend_schema(responses={200: AssessmentSerializer})
    def get(self, request: Request, assessment_id: int) -> Response:
        return Response(AssessmentSerializer(selectors.assessment_for(request.user, assessment_id)).data)

    @extend_schema(request=AssessmentUpdateSerializer, responses={200: AssessmentSerializer})
    def patch(self, request: Request, assessment_id: int) -> Response:
        assessment = selectors.assessment_for(request.user, assessment_id, "edit_assessment")
        assert assessment.current is not None
        current = assessment.current.content()
        body: dict[str, Any] = request.data if isinstance(request.data, dict) else {}
        merged = {**{name: current[name] for name in CONTENT_FIELDS}, **body}
        data = AssessmentUpdateSerializer(data=merged)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        updated = services.new_version(
            assessment=assessment,
            actor=signed_in_user(request),
            expected_version=values["version"],
            content=_content(values),
            change_note=values.get("change_note", ""),
            title=values.get("title"),
        )
        return Response(AssessmentSerializer(updated).data)


class AssessmentSubmit(APIView):
    @extend_schema(request=SubmitSerializer, responses={200: AssessmentSerializer})
    def post(self, request: Request, assessment_id: int) -> Response:
        assessment = selectors.assessment_for(request.user, assessment_id, "edit_assessment")
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.submit(
            assessment=assessment,
            actor=signed_in_user(request),
            expected_version=data.validated_data["version"],
        )
        return Response(AssessmentSerializer(updated).data)


class _SignOffAction(APIView):
    returning = False

    @extend_schema(request=SignOffCreateSerializer, responses={201: SignOffSerializer})
    def post(self, request: Request, assessment_id: int) -> Response:
        assessment = selectors.assessment_for(request.user, assessment_id, "sign_off_assessment")
        data = SignOffCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = signed_in_user(request)
        role = data.validated_data["role"]
        if role not in access.dp_roles(user, assessment.council_id):
            raise incident_access.AccessDenied("sign_off_assessment")
        act = services.return_assessment if self.returning else services.sign_off
        signed = act(
            assessment=assessment,
            actor=user,
            role=role,
            statement=data.validated_data["statement"],
            expected_version=data.validated_data["version"],
        )
        return Response(SignOffSerializer(signed).data, status=status.HTTP_201_CREATED)


class AssessmentSignOff(_SignOffAction):
    """Sign off the current version as DPO, Caldicott guardian or SIRO (not its author)."""


class AssessmentReturn(_SignOffAction):
    """Return the current version with comments."""

    returning = True
