"""Emergency payments and bank-detail changes in the API. Answers 404 for another council's
incident and 403 to people who may see the incident but not its service-user data."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents import access as incident_access

from . import access, selectors, services
from .models import BankDetailChange, EmergencyPayment
from .serializers import (
    BankChangeCreateSerializer,
    BankChangeSerializer,
    CallBackSerializer,
    PaidSerializer,
    PaymentCreateSerializer,
    PaymentSerializer,
    PaymentVersionSerializer,
    ReconcileSerializer,
    RejectSerializer,
)


class PaymentList(generics.ListCreateAPIView[EmergencyPayment]):
    """Emergency payments on the incident, newest first."""

    serializer_class = PaymentSerializer
    queryset = EmergencyPayment.objects.none()

    def get_queryset(self) -> QuerySet[EmergencyPayment]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        self.incident = incident_access.incident_for(self.request.user, self.kwargs["pk"], "view_payments")
        return selectors.payments_for(self.incident)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        selectors.with_bank_warnings(rows, list(selectors.changes_for(self.incident)))
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=PaymentCreateSerializer, responses={201: PaymentSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = incident_access.incident_for(request.user, self.kwargs["pk"], "manage_payments")
        data = PaymentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.request_payment(
            incident=incident, actor=signed_in_user(request), **data.validated_data
        )
        return Response(PaymentSerializer(_with_warnings(payment)).data, status=status.HTTP_201_CREATED)


def _with_warnings(payment: EmergencyPayment) -> EmergencyPayment:
    changes = selectors.changes_for(payment.incident).filter(payee_reference__iexact=payment.payee_reference)
    selectors.with_bank_warnings([payment], list(changes))
    return payment


class PaymentDetail(generics.RetrieveAPIView[EmergencyPayment]):
    serializer_class = PaymentSerializer
    queryset = EmergencyPayment.objects.none()

    def get_object(self) -> EmergencyPayment:
        return _with_warnings(access.payment_for(self.request.user, self.kwargs["pk"]))


class _PaymentAction(APIView, metaclass=ABCMeta):
    """One step of a payment: each subclass says which service it calls."""

    serializer_class: type[PaymentVersionSerializer] = PaymentVersionSerializer

    @abstractmethod
    def act(self, payment: EmergencyPayment, request: Request, data: dict[str, Any]) -> EmergencyPayment:
        """Call the service for this step with the validated data."""

    def post(self, request: Request, pk: int) -> Response:
        payment = access.payment_for(request.user, pk, "manage_payments")
        data = self.serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        updated = self.act(payment, request, dict(data.validated_data))
        return Response(PaymentSerializer(_with_warnings(updated)).data)


class PaymentAuthorise(_PaymentAction):
    """Authorise a requested payment. The person who requested it may not."""

    @extend_schema(request=PaymentVersionSerializer, responses={200: PaymentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, payment: EmergencyPayment, request: Request, data: dict[str, Any]) -> EmergencyPayment:
        return services.authorise_payment(
            payment=payment, actor=signed_in_user(request), expected_version=data["version"]
        )


class PaymentReject(_PaymentAction):
    """Reject a requested payment, with the reason. The person who requested it may not."""

    serializer_class = RejectSerializer

    @extend_schema(request=RejectSerializer, responses={200: PaymentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, payment: EmergencyPayment, request: Request, data: dict[str, Any]) -> EmergencyPayment:
        return services.reject_payment(
            payment=payment,
            actor=signed_in_user(request),
            expected_version=data["version"],
            reason=data["reason"],
        )


class PaymentPaid(_PaymentAction):
    """Record that an authorised payment has been paid, by you (`paid_at` defaults to now)."""

    serializer_class = PaidSerializer

    @extend_schema(request=PaidSerializer, responses={200: PaymentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, payment: EmergencyPayment, request: Request, data: dict[str, Any]) -> EmergencyPayment:
        return services.mark_paid(
            payment=payment,
            actor=signed_in_user(request),
            expected_version=data["version"],
            paid_at=data.get("paid_at"),
        )


class PaymentReconcile(_PaymentAction):
    """Record the finance system reference once a paid payment is reconciled."""

    serializer_class = ReconcileSerializer

    @extend_schema(request=ReconcileSerializer, responses={200: PaymentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, payment: EmergencyPayment, request: Request, data: dict[str, Any]) -> EmergencyPayment:
        return services.reconcile_payment(
            payment=payment,
            actor=signed_in_user(request),
            expected_version=data["version"],
            finance_reference=data["finance_reference"],
        )


class BankChangeList(generics.ListCreateAPIView[BankDetailChange]):
    """Bank-detail change requests on the incident. Account numbers are masked."""

    serializer_class = BankChangeSerializer
    queryset = BankDetailChange.objects.none()

    def get_queryset(self) -> QuerySet[BankDetailChange]:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.changes_for(
            incident_access.incident_for(self.request.user, self.kwargs["pk"], "view_payments")
        )

    @extend_schema(request=BankChangeCreateSerializer, responses={201: BankChangeSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = incident_access.incident_for(request.user, self.kwargs["pk"], "manage_payments")
        data = BankChangeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.request_bank_change(
            incident=incident, actor=signed_in_user(request), **data.validated_data
        )
        return Response(BankChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class BankChangeDetail(generics.RetrieveAPIView[BankDetailChange]):
    serializer_class = BankChangeSerializer
    queryset = BankDetailChange.objects.none()

    def get_object(self) -> BankDetailChange:
        return access.change_for(self.request.user, self.kwargs["pk"])


class BankChangeCallBack(APIView):
    """Record the call-back on a number held before the request. `not_confirmed` rejects the change."""

    @extend_schema(request=CallBackSerializer, responses={200: BankChangeSerializer})
    def post(self, request: Request, pk: int) -> Response:
        change = access.change_for(request.user, pk, "manage_payments")
        data = CallBackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        updated = services.record_call_back(
            change=change, actor=signed_in_user(request), expected_version=values.pop("version"), **values
        )
        return Response(BankChangeSerializer(updated).data)


class BankChangeConfirm(APIView):
    """Confirm a change whose call-back confirmed it. The person who recorded it may not."""

    @extend_schema(request=PaymentVersionSerializer, responses={200: BankChangeSerializer})
    def post(self, request: Request, pk: int) -> Response:
        change = access.change_for(request.user, pk, "manage_payments")
        data = PaymentVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.confirm_bank_change(
            change=change, actor=signed_in_user(request), expected_version=data.validated_data["version"]
        )
        return Response(BankChangeSerializer(updated).data)


class BankChangeReject(APIView):
    @extend_schema(request=RejectSerializer, responses={200: BankChangeSerializer})
    def post(self, request: Request, pk: int) -> Response:
        change = access.change_for(request.user, pk, "manage_payments")
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.reject_bank_change(
            change=change,
            actor=signed_in_user(request),
            expected_version=data.validated_data["version"],
            reason=data.validated_data["reason"],
        )
        return Response(BankChangeSerializer(updated).data)
