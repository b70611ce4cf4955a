"""Sitrep and communications API. Thin: access checks through access.py, writes through services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents import access
from incident_console.incidents.access import AccessDenied
from incident_console.incidents.models import Incident
from incident_console.incidents.sensitivity import may_see_service_user_data
from incident_console.lib.errors import ValidationError

from . import grab_pack, selectors, services
from .models import CommsEntry, JobState, Sitrep
from .serializers import (
    CommsSerializer,
    PartnerSitrepSerializer,
    PdfJobSerializer,
    SitrepCreateSerializer,
    SitrepSerializer,
    WorkflowSerializer,
)


def _sitrep_for(request: Request, sitrep_id: int, action: str) -> Sitrep:
    related = ("full_pdf", "partner_pdf", "prepared_by", "approved_by", "amends")
    return access.row_for(request.user, Sitrep.objects.select_related(*related), sitrep_id, action)


class SitrepList(generics.ListAPIView[Sitrep]):
    """Sitreps of the incident. Partners get issued sitreps only, with the partner PDF only."""

    serializer_class = SitrepSerializer
    queryset = Sitrep.objects.none()

    def get_queryset(self) -> QuerySet[Sitrep]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "view_partner_sitreps")
        self.full = access.can(self.request.user, "view_sitreps", incident)
        return selectors.sitreps(incident, issued_only=not self.full)

    def get_serializer_class(self) -> Any:
        return SitrepSerializer if getattr(self, "full", True) else PartnerSitrepSerializer

    @extend_schema(request=SitrepCreateSerializer, responses={201: SitrepSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(request.user, self.kwargs["pk"], "draft_sitrep")
        data = SitrepCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        amends_id = values.pop("amends")
        amends = None
        if amends_id is not None:
            amends = selectors.sitreps(incident, issued_only=True).filter(pk=amends_id).first()
            if amends is None:
                raise ValidationError({"amends": "Choose an issued sitrep of this incident."})
        sitrep = services.draft_sitrep(
            incident=incident, actor=signed_in_user(request), amends=amends, **values
        )
        return Response(SitrepSerializer(sitrep).data, status=status.HTTP_201_CREATED)


class SitrepDetail(generics.RetrieveAPIView[Sitrep]):
    serializer_class = SitrepSerializer
    queryset = Sitrep.objects.none()

    def get_object(self) -> Sitrep:
        return _sitrep_for(self.request, self.kwargs["sitrep_id"], "view_sitreps")


class _WorkflowStep(APIView):
    action = ""

    @extend_schema(request=WorkflowSerializer, responses={200: SitrepSerializer})
    def post(self, request: Request, sitrep_id: int) -> Response:
        sitrep = _sitrep_for(request, sitrep_id, f"{self.action}_sitrep")
        data = WorkflowSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step = services.approve_sitrep if self.action == "approve" else services.issue_sitrep
        done = step(
            sitrep=sitrep, actor=signed_in_user(request), expected_version=data.validated_data["version"]
        )
        return Response(SitrepSerializer(done).data)


class SitrepApprove(_WorkflowStep):
    """Gold (or deputy, or the incident lead) approves a draft."""

    action = "approve"


class SitrepIssue(_WorkflowStep):
    """Issue an approved sitrep: numbered, snapshot stored with its SHA-256, both PDFs queued."""

    action = "issue"


class SitrepPdf(APIView):
    """The PDF of an issued sitrep: 200 with the file when ready, 202 with the job while it renders,
    409 with the error when it failed (retry from the sitrep page)."""

    @extend_schema(
        parameters=[OpenApiParameter("variant", str, enum=["full", "partner"], default="partner")],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            202: PdfJobSerializer,
            409: PdfJobSerializer,
        },
    )
    def get(self, request: Request, sitrep_id: int) -> Response | FileResponse:
        variant = request.query_params.get("variant", "partner")
        if variant not in {"full", "partner"}:
            raise ValidationError({"variant": "Choose full or partner."})
        sitrep = _sitrep_for(
            request, sitrep_id, "view_sitreps" if variant == "full" else "view_partner_sitreps"
        )
        job = sitrep.full_pdf if variant == "full" else sitrep.partner_pdf
        if job is None:
            raise Http404
        if job.state == JobState.DONE and job.file:
            response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
            response["Content-Type"] = "application/pdf"
            return response
        code = status.HTTP_409_CONFLICT if job.state == JobState.FAILED else status.HTTP_202_ACCEPTED
        return Response(PdfJobSerializer(job).data, status=code)


class CommsList(generics.ListCreateAPIView[CommsEntry]):
    """The incident's communications log."""

    serializer_class = CommsSerializer
    queryset = CommsEntry.objects.none()

    def get_queryset(self) -> QuerySet[CommsEntry]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.comms(access.incident_for(self.request.user, self.kwargs["pk"], "view_comms"))

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(request.user, self.kwargs["pk"], "record_comms")
        data = CommsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.record_comms(incident=incident, actor=signed_in_user(request), **data.validated_data)
        return Response(CommsSerializer(entry).data, status=status.HTTP_201_CREATED)


class GrabPack(APIView):
    """The incident's latest grab pack (GET) or a new one of the incident as it is now (POST, 202)."""

    @extend_schema(responses={200: PdfJobSerializer})
    def get(self, request: Request, pk: int) -> Response:
        incident = access.incident_for(request.user, pk, "view_command")
        job = grab_pack.latest(incident)
        if job is None:
            raise Http404
        return Response(PdfJobSerializer(job).data)

    @extend_schema(request=None, responses={202: PdfJobSerializer})
    def post(self, request: Request, pk: int) -> Response:
        incident = access.incident_for(request.user, pk, "view_command")
        job = grab_pack.request_grab_pack(incident=incident, actor=signed_in_user(request))
        return Response(PdfJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class RestrictedGrabPack(APIView):
    """The restricted edition (with vulnerable families) made for the caller: their latest (GET) or
    a new one (POST, 202). Only for people who may see service-user data on the incident; every
    making and download is written to the families' access log."""

    def _incident(self, request: Request, pk: int) -> Incident:
        incident = access.incident_for(request.user, pk, "view_command")
        if not may_see_service_user_data(request.user, incident):
            raise AccessDenied("restricted_grab_pack")
        return incident

    @extend_schema(responses={200: PdfJobSerializer})
    def get(self, request: Request, pk: int) -> Response:
        incident = self._incident(request, pk)
        job = grab_pack.latest(incident, restricted_for=signed_in_user(request))
        if job is None:
            raise Http404
        return Response(PdfJobSerializer(job).data)

    @extend_schema(request=None, responses={202: PdfJobSerializer})
    def post(self, request: Request, pk: int) -> Response:
        incident = self._incident(request, pk)
        job = grab_pack.request_restricted_grab_pack(incident=incident, actor=signed_in_user(request))
        return Response(PdfJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
