"""Staff broadcasts in the API: list and send per incident, and who has acknowledged one."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.incidents import access

from . import selectors, services
from .serializers import BroadcastCreateSerializer, BroadcastDetailSerializer, BroadcastSerializer


class BroadcastList(APIView):
    @extend_schema(responses={200: BroadcastSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        incident = access.incident_for(request.user, pk, "view_broadcasts")
        broadcasts = list(selectors.broadcasts_for(incident)[:100])
        counts = selectors.acknowledgement_counts(broadcasts)
        return Response(BroadcastSerializer(broadcasts, many=True, context={"counts": counts}).data)

    @extend_schema(request=BroadcastCreateSerializer, responses={201: BroadcastDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        incident = access.incident_for(request.user, pk, "send_broadcast")
        data = BroadcastCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        broadcast = services.send_broadcast(
            incident=incident, actor=signed_in_user(request), **data.validated_data
        )
        return Response(_detail(broadcast), status=status.HTTP_201_CREATED)


class BroadcastDetail(APIView):
    @extend_schema(responses={200: BroadcastDetailSerializer})
    def get(self, request: Request, pk: int, broadcast_id: int) -> Response:
        incident = access.incident_for(request.user, pk, "view_broadcasts")
        broadcast = selectors.broadcast_for(incident, broadcast_id)
        if broadcast is None:
            raise Http404
        return Response(_detail(broadcast))


def _detail(broadcast: Any) -> Any:
    statuses = selectors.recipient_statuses(broadcast)
    done = sum(1 for s in statuses if s.acknowledged_at)
    context = {"counts": {broadcast.pk: (done, len(statuses))}, "statuses": statuses}
    return BroadcastDetailSerializer(broadcast, context=context).data
