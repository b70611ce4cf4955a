"""Key contacts API: ``contacts/`` (list, create) and ``contacts/{id}/`` (get, patch with
``version`` → 409). The same rules as the pages: vulnerable-family contacts only for social care,
and every one returned is written to the access log."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.incidents.models import Incident
from incident_console.lib.time import now

from . import access, selectors, services
from .models import SENSITIVE_CATEGORIES, ContactAccess, PartnerContact
from .serializers import ContactCreateSerializer, ContactSerializer, ContactUpdateSerializer


def _out(contacts: list[PartnerContact]) -> Any:
    return ContactSerializer(contacts, many=True, context={"at": now()}).data


class ContactList(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("category", str, description="Only this category.")],
        responses={200: ContactSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        if not access.may_open_register(request.user):
            raise PermissionDenied
        contacts = selectors.register(request.user, category=request.query_params.get("category", ""))
        services.record_access(
            contacts=contacts, actor=signed_in_user(request), via=ContactAccess.Via.API, what="GET contacts/"
        )
        return Response(_out(contacts))

    @extend_schema(request=ContactCreateSerializer, responses={201: ContactSerializer})
    def post(self, request: Request) -> Response:
        data = ContactCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        sensitive = values["category"] in SENSITIVE_CATEGORIES
        allowed = (
            access.sensitive_council_ids(request.user)
            if sensitive
            else access.admin_council_ids(request.user)
        )
        if not allowed:
            raise PermissionDenied
        slug = values.pop("council", None)
        councils = Council.objects.filter(pk__in=allowed)
        if slug:
            council = councils.filter(slug=slug).first()
        else:
            council = councils.first() if len(allowed) == 1 else None
        if council is None:
            raise ValidationError(
                {"council": ["Give the short name of a council where you may add this contact."]}
            )
        incident_id = values.pop("incident", None)
        incident = None
        if incident_id is not None:
            incident = Incident.objects.filter(pk=incident_id, council=council).first()
            if incident is None:
                raise ValidationError({"incident": ["Choose an incident of this council."]})
        contact = services.add_contact(
            council=council, actor=signed_in_user(request), incident=incident, **values
        )
        return Response(_out([contact])[0], status=status.HTTP_201_CREATED)


class ContactDetail(APIView):
    def _contact(self, request: Request, pk: int) -> PartnerContact:
        contact = (
            PartnerContact.objects.select_related("council", "verified_by", "incident").filter(pk=pk).first()
        )
        if contact is None or not (
            access.may_see(request.user, contact) or access.may_know_of(request.user, contact)
        ):
            raise Http404
        if not access.may_see(request.user, contact):
            raise PermissionDenied
        return contact

    @extend_schema(responses={200: ContactSerializer})
    def get(self, request: Request, pk: int) -> Response:
        contact = self._contact(request, pk)
        services.record_access(
            contacts=[contact],
            actor=signed_in_user(request),
            via=ContactAccess.Via.API,
            what=f"GET contacts/{pk}/",
        )
        return Response(_out([contact])[0])

    @extend_schema(request=ContactUpdateSerializer, responses={200: ContactSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        contact = self._contact(request, pk)
        if not access.may_edit(request.user, contact):
            raise PermissionDenied
        data = ContactUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        merged: dict[str, Any] = {
            f: getattr(contact, f)
            for f in (
                "organisation",
                "role",
                "name",
                "phone",
                "out_of_band_phone",
                "email",
                "personal_email",
                "address",
                "notes",
                "is_spoc",
            )
        }
        merged.update(values)
        updated = services.update_contact(
            contact=contact, actor=signed_in_user(request), expected_version=version, **merged
        )
        services.record_access(
            contacts=[updated],
            actor=signed_in_user(request),
            via=ContactAccess.Via.API,
            what=f"PATCH contacts/{pk}/",
        )
        return Response(_out([updated])[0])
