"""Reads of partner contacts, scoped to councils."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import PartnerContact


def contacts_of(council_ids: Iterable[int]) -> QuerySet[PartnerContact]:
    return PartnerContact.objects.filter(council_id__in=list(council_ids)).select_related("council")


def spocs_of(council_id: int) -> QuerySet[PartnerContact]:
    return PartnerContact.objects.filter(council_id=council_id, is_spoc=True).order_by("organisation", "name")
