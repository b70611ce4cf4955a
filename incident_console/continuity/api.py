"""Manual records in the API. The same sensitivity rule as the pages: 404 when the incident is
invisible, 403 when the person may see it but not service-user data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents import access

from . import selectors, services
from .access import may_verify
from .models import ManualRecord
from .serializers import (
    EnterSerializer,
    ManualRecordCreateSerializer,
    ManualRecordSerializer,
    RecordVersionSerializer,
    ReturnSerializer,
)


def _record_for(request: Request, record_id: int, action: str) -> ManualRecord:
    people = ("recorded_by", "entered_by", "verified_by", "returned_by")
    return access.row_for(request.user, ManualRecord.objects.select_related(*people), record_id, action)


class ManualRecordList(generics.ListCreateAPIView[ManualRecord]):
    """Manual records of the incident, oldest first. `?state=` unreconciled, pending, entered,
    verified or all (default all); `?service=` adult_social_care or childrens_social_care."""

    serializer_class = ManualRecordSerializer
    queryset = ManualRecord.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[ManualRecord]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        incident = access.incident_for(self.request.user, self.kwargs["pk"], "view_manual_records")
        params = self.request.query_params
        return selectors.filtered(
            incident, state=params.get("state", "all"), service=params.get("service", "")
        )

    @extend_schema(request=ManualRecordCreateSerializer, responses={201: ManualRecordSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = access.incident_for(request.user, self.kwargs["pk"], "add_manual_record")
        data = ManualRecordCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        upload = values.pop("attachment", None)
        entry = services.add_record(
            incident=incident,
            actor=signed_in_user(request),
            attachment=upload,
            attachment_name=upload.name if upload else "",
            attachment_size=upload.size if upload else 0,
            **values,
        )
        return Response(ManualRecordSerializer(entry).data, status=status.HTTP_201_CREATED)


class ManualRecordDetail(generics.RetrieveAPIView[ManualRecord]):
    serializer_class = ManualRecordSerializer
    queryset = ManualRecord.objects.none()

    def get_object(self) -> ManualRecord:
        return _record_for(self.request, self.kwargs["record_id"], "view_manual_records")


class ManualRecordEnter(APIView):
    """Mark the record as entered into the restored system, with that system's reference."""

    @extend_schema(request=EnterSerializer, responses={200: ManualRecordSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        entry = _record_for(request, record_id, "reconcile_manual_record")
        data = EnterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.enter_record(
            entry=entry,
            actor=signed_in_user(request),
            expected_version=data.validated_data["version"],
            system_reference=data.validated_data["system_reference"],
        )
        return Response(ManualRecordSerializer(done).data)


class ManualRecordVerify(APIView):
    """Verify an entered record: someone other than the person who entered it."""

    @extend_schema(request=RecordVersionSerializer, responses={200: ManualRecordSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        entry = _record_for(request, record_id, "reconcile_manual_record")
        if not may_verify(request.user, entry):
            raise access.AccessDenied("verify_manual_record")
        data = RecordVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.verify_record(
            entry=entry, actor=signed_in_user(request), expected_version=data.validated_data["version"]
        )
        return Response(ManualRecordSerializer(done).data)


class ManualRecordReturn(APIView):
    """Return an entered record to pending, with what is wrong: someone other than the enterer."""

    @extend_schema(request=ReturnSerializer, responses={200: ManualRecordSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        entry = _record_for(request, record_id, "reconcile_manual_record")
        if not may_verify(request.user, entry):
            raise access.AccessDenied("return_manual_record")
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.return_record(
            entry=entry,
            actor=signed_in_user(request),
            expected_version=data.validated_data["version"],
            reason=data.validated_data["reason"],
        )
        return Response(ManualRecordSerializer(done).data)
