"""Archive exports, exercise reset and controlled purge in the API. Thin: the same access rules and
services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents import access
from incident_console.lib.errors import ValidationError
from incident_console.reports.models import JobState

from . import selectors, services
from .access import admin_council_ids
from .models import ArchiveJob, PurgeRecord
from .serializers import ArchiveSerializer, PurgeRecordSerializer, ReasonSerializer
from .views import zip_response


class ArchiveList(generics.ListAPIView[ArchiveJob]):
    """The incident's archive exports, newest first (GET), or a new one of a closed incident (POST)."""

    serializer_class = ArchiveSerializer
    queryset = ArchiveJob.objects.none()

    def get_queryset(self) -> QuerySet[ArchiveJob]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.archives(access.incident_for(self.request.user, self.kwargs["pk"], "view_archives"))

    @extend_schema(request=None, responses={202: ArchiveSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(request.user, self.kwargs["pk"], "view_archives")
        job = services.request_archive(incident=incident, actor=signed_in_user(request))
        return Response(ArchiveSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ArchiveDetail(APIView):
    @extend_schema(responses={200: ArchiveSerializer})
    def get(self, request: Request, job_id: int) -> Response:
        return Response(ArchiveSerializer(selectors.archive_for(request.user, job_id)).data)


class ArchiveDownload(APIView):
    """The archive ZIP: 200 with the file when it is built (each download is logged on the incident's
    timeline and in the priority cases' access log), 202 with the archive while it is being made,
    409 with it when making it failed (retry from the archive page). Only those who may download
    the ZIP (closure/access.py) get any of these."""

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            202: ArchiveSerializer,
            409: ArchiveSerializer,
        }
    )
    def get(self, request: Request, job_id: int) -> Response | FileResponse:
        job = selectors.archive_for(request.user, job_id, "download_archive")
        if job.state == JobState.DONE and job.file:
            return zip_response(job, signed_in_user(request), via="api")
        code = status.HTTP_409_CONFLICT if job.state == JobState.FAILED else status.HTTP_202_ACCEPTED
        return Response(ArchiveSerializer(job).data, status=code)


class _ReasonAction(APIView):
    """Purge or reset: 201 with the purge record, 400 with field errors or the reason it is refused."""

    kind = ""

    @extend_schema(request=ReasonSerializer, responses={201: PurgeRecordSerializer})
    def post(self, request: Request, pk: int) -> Response:
        action = "purge_incident" if self.kind == "purge" else "reset_exercise"
        incident = access.incident_for(request.user, pk, action)
        if self.kind == "reset" and not incident.is_exercise:
            raise Http404
        data = ReasonSerializer(data=request.data, context={"reference": incident.reference})
        data.is_valid(raise_exception=True)
        if self.kind == "purge":
            refusal = services.purge_refusal(incident)
            if refusal:
                raise ValidationError({"incident": refusal})
            record = services.purge_incident(
                incident=incident, actor=signed_in_user(request), reason=data.validated_data["reason"]
            )
        else:
            record = services.reset_exercise(
                incident=incident, actor=signed_in_user(request), reason=data.validated_data["reason"]
            )
        return Response(PurgeRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class Purge(_ReasonAction):
    kind = "purge"


class Reset(_ReasonAction):
    kind = "reset"


class PurgeRecordList(generics.ListAPIView[PurgeRecord]):
    """What was purged or reset, by whom and why: for the council admins of those councils."""

    serializer_class = PurgeRecordSerializer
    queryset = PurgeRecord.objects.none()

    def get_queryset(self) -> QuerySet[PurgeRecord]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if not admin_council_ids(self.request.user):
            raise PermissionDenied
        return selectors.purge_records(self.request.user)
