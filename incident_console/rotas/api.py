"""Rota API. Thin: access through access.py, reads through selectors, writes through services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents.access import AccessDenied
from incident_console.lib.time import now

from . import access, selectors, services
from .models import Override, Rota, Swap
from .resolver import Shift
from .serializers import (
    DaysQuerySerializer,
    GapSerializer,
    MyShiftSerializer,
    OverrideSerializer,
    RangeQuerySerializer,
    RotaSerializer,
    ShiftSerializer,
    SwapSerializer,
)


def _shift_data(shift: Shift, people: dict[int, Any]) -> dict[str, Any]:
    person = people.get(shift.person) if shift.person is not None else None
    return {
        "start": shift.start,
        "end": shift.end,
        "person": person.username if person else None,
        "kind": str(shift.source),
        "shift_name": shift.label,
    }


class RotaViewSet(viewsets.ReadOnlyModelViewSet[Rota]):
    serializer_class = RotaSerializer
    filterset_class = None
    lookup_value_regex = r"\d+"  # anything else is not a rota: 404, not a failed int()

    def get_queryset(self) -> QuerySet[Rota]:
        return selectors.council_rotas(self.request.user)

    def get_object(self) -> Rota:
        rota = selectors.rota_for_page(self.request.user, int(self.kwargs["pk"]))
        if rota is None:
            raise Http404
        access.require(self.request.user, "view_rota", rota)
        return rota

    @extend_schema(parameters=[RangeQuerySerializer], responses={200: ShiftSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def shifts(self, request: Request, pk: str | None = None) -> Response:
        rota = self.get_object()
        query = RangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        people = selectors.people_of(rota)
        listed = selectors.shifts_for(rota, query.validated_data["start"], query.validated_data["end"])
        return Response(ShiftSerializer([_shift_data(s, people) for s in listed], many=True).data)

    @extend_schema(parameters=[DaysQuerySerializer], responses={200: GapSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def gaps(self, request: Request, pk: str | None = None) -> Response:
        rota = self.get_object()
        query = DaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.gaps_for(rota, days=query.validated_data["days"])
        return Response(GapSerializer([{"start": g.start, "end": g.end} for g in found], many=True).data)

    @extend_schema(methods=["get"], responses={200: OverrideSerializer(many=True)})
    @extend_schema(methods=["post"], request=OverrideSerializer, responses={201: OverrideSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def overrides(self, request: Request, pk: str | None = None) -> Response:
        rota = self.get_object()
        if request.method == "GET":
            upcoming = Override.objects.filter(rota=rota, end__gt=now()).select_related("user", "created_by")
            return Response(OverrideSerializer(upcoming, many=True).data)
        access.require(request.user, "manage_rota", rota)
        data = OverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        override = services.add_override(
            rota=rota,
            actor=signed_in_user(request),
            user=values["user"],
            start=values["start"],
            end=values["end"],
            reason=values.get("reason", ""),
        )
        return Response(OverrideSerializer(override).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses={200: SwapSerializer(many=True)})
    @extend_schema(methods=["post"], request=SwapSerializer, responses={201: SwapSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def swaps(self, request: Request, pk: str | None = None) -> Response:
        rota = self.get_object()
        user = signed_in_user(request)
        if request.method == "GET":
            mine = Swap.objects.filter(Q(requested_by=user) | Q(other=user), rota=rota)
            return Response(SwapSerializer(mine.select_related("requested_by", "other"), many=True).data)
        if not rota.members.filter(user=user, is_backup=False).exists():
            raise AccessDenied("swap")
        data = SwapSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        swap = services.request_swap(
            rota=rota,
            actor=user,
            my_shift_start=values["requested_shift_start"],
            other=values["other"],
            other_shift_start=values["other_shift_start"],
        )
        return Response(SwapSerializer(swap).data, status=status.HTTP_201_CREATED)


class SwapViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Swap]):
    """A swap, seen and acted on only by its two people."""

    serializer_class = SwapSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Swap]:
        user = self.request.user
        return Swap.objects.filter(
            Q(requested_by_id=user.pk) | Q(other_id=user.pk),
            rota__council_id__in=access.member_council_ids(user),
        ).select_related("requested_by", "other")

    @extend_schema(request=None, responses={200: SwapSerializer})
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, pk: str | None = None) -> Response:
        swap = self.get_object()
        return Response(SwapSerializer(services.agree_swap(swap=swap, actor=signed_in_user(request))).data)

    @extend_schema(request=None, responses={200: SwapSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        swap = self.get_object()
        return Response(SwapSerializer(services.withdraw_swap(swap=swap, actor=signed_in_user(request))).data)


class MyShiftsView(APIView):
    @extend_schema(parameters=[DaysQuerySerializer], responses={200: MyShiftSerializer(many=True)})
    def get(self, request: Request) -> Response:
        query = DaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = signed_in_user(request)
        start = now()
        rows = []
        for mine in selectors.my_shifts(user, start, start + timedelta(days=query.validated_data["days"])):
            rows.append(
                {
                    **_shift_data(mine.shift, {user.pk: user}),
                    "rota": mine.rota.pk,
                    "position": mine.rota.name,
                    "standby": mine.is_standby,
                    "takes_over_from": mine.from_person.username if mine.from_person else None,
                    "hands_over_to": mine.to_person.username if mine.to_person else None,
                }
            )
        return Response(MyShiftSerializer(rows, many=True).data)
