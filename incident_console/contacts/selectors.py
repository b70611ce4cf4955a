"""Reads of the key contacts register, scoped to councils and to the sensitivity rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from incident_console.lib.choices import ContactCategory

from . import access
from .models import SENSITIVE_CATEGORIES, ContactAccess, PartnerContact

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


def contacts_of(council_ids: Iterable[int]) -> QuerySet[PartnerContact]:
    """Every contact of these councils except vulnerable families (the general register)."""
    return (
        PartnerContact.objects.filter(council_id__in=list(council_ids))
        .exclude(category__in=SENSITIVE_CATEGORIES)
        .select_related("council", "verified_by", "incident")
    )


def visible_to(user: User | AnonymousUser) -> QuerySet[PartnerContact]:
    """What this person may see: the general register of their councils, and vulnerable-family
    contacts where the sensitivity rule lets them."""
    general = Q(council_id__in=access.viewer_council_ids(user)) & ~Q(category__in=SENSITIVE_CATEGORIES)
    sensitive = Q(council_id__in=access.sensitive_council_ids(user), category__in=SENSITIVE_CATEGORIES)
    return PartnerContact.objects.filter(general | sensitive).select_related(
        "council", "verified_by", "incident"
    )


def register(user: User | AnonymousUser, *, category: str = "") -> list[PartnerContact]:
    contacts = visible_to(user)
    if category in ContactCategory.values:
        contacts = contacts.filter(category=category)
    return list(contacts.order_by("council__name", "category", "organisation", "-is_spoc", "name"))


def council_spocs(council_ids: Iterable[int]) -> list[PartnerContact]:
    """The councils' own single points of contact: staff contacts marked SPOC."""
    return list(
        PartnerContact.objects.filter(
            council_id__in=list(council_ids), category=ContactCategory.STAFF, is_spoc=True
        )
        .select_related("council")
        .order_by("council__name", "name")
    )


def spocs_of(council_id: int) -> QuerySet[PartnerContact]:
    """Partner SPOCs a sitrep can be sent to: never the council's own staff, never vulnerable families."""
    return (
        PartnerContact.objects.filter(council_id=council_id, is_spoc=True)
        .exclude(category__in={*SENSITIVE_CATEGORIES, ContactCategory.STAFF})
        .order_by("organisation", "name")
    )


def access_log(council_ids: Iterable[int]) -> QuerySet[ContactAccess]:
    return ContactAccess.objects.filter(council_id__in=list(council_ids)).select_related(
        "actor", "contact", "council"
    )
