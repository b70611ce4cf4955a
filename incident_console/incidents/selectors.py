"""Reads for incident pages and the dashboard. Counts come from the database, not loops."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from incident_console.guidance.models import ItemStatus
from incident_console.lib.time import now

from .access import visible_incidents
from .models import Incident, Invitation, Participation, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import Membership, User

OPEN_ITEM_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)


def with_progress(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """Checklist progress of each incident, as one small correlated count per row.

    Counting in subqueries (not a join with GROUP BY over every visible incident's items) lets
    PostgreSQL count only the rows a page returns: a paginated list costs the same with ten or ten
    thousand incidents behind it.
    """
    from incident_console.guidance.models import ChecklistItem

    def count(where: Q) -> Coalesce:
        items = (
            ChecklistItem.objects.filter(where, checklist__incident=OuterRef("pk"))
            .order_by()
            .values("checklist__incident")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(items, output_field=IntegerField()), 0)

    return qs.annotate(
        items_total=count(Q()),
        items_complete=count(Q(status__in=[ItemStatus.DONE, ItemStatus.NOT_APPLICABLE])),
        items_overdue=count(Q(status__in=OPEN_ITEM_STATUSES, due_at__lt=now())),
    )


def dashboard_incidents(user: User | AnonymousUser, *, include_closed: bool = False) -> QuerySet[Incident]:
    qs = visible_incidents(user).select_related("council")
    if not include_closed:
        qs = qs.exclude(status=Status.CLOSED)
    return with_progress(qs).order_by("-declared_at")


def incident_for_page(user: User | AnonymousUser, pk: int) -> Incident | None:
    return (
        visible_incidents(user)
        .select_related("council", "created_by")
        .prefetch_related("shared_with")
        .filter(pk=pk)
        .first()
    )


def participants(incident: Incident) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(incident=incident, ended_at__isnull=True)
        .select_related("user")
        .order_by("role", "user__username")
    )


def assignable_people(incident: Incident) -> QuerySet[User]:
    """People who can own checklist items: those working on the incident."""
    from incident_console.accounts.models import User
    from incident_console.incidents.models import ParticipantRole

    return (
        User.objects.filter(
            participations__incident=incident,
            participations__ended_at__isnull=True,
            participations__role__in=[ParticipantRole.LEAD, ParticipantRole.RESPONDER, ParticipantRole.STAFF],
        )
        .order_by("full_name", "username")
        .distinct()
    )


def people_who_could_join(incident: Incident) -> QuerySet[User]:
    """Members of the incident's council, or of a council it is shared with, not yet taking part."""
    from incident_console.accounts.models import User

    councils = [incident.council_id, *incident.shared_with.values_list("id", flat=True)]
    current = Participation.objects.filter(incident=incident, ended_at__isnull=True).values("user_id")
    return (
        User.objects.filter(memberships__council_id__in=councils, memberships__is_active=True, is_active=True)
        .exclude(pk__in=current)
        .order_by("full_name", "username")
        .distinct()
    )


def invitations(incident: Incident) -> QuerySet[Invitation]:
    return Invitation.objects.filter(incident=incident).select_related("invited_by", "accepted_by")


@dataclass
class AccessReview:
    """Everyone who had access to an incident, and through what."""

    participants: list[Participation]
    council_members: list[Membership]
    shared_members: list[Membership]


def access_review(incident: Incident) -> AccessReview:
    from incident_console.accounts.models import COUNCIL_WIDE_ROLES, Membership

    wide = [str(r) for r in COUNCIL_WIDE_ROLES]
    members = (
        Membership.objects.filter(role__in=wide).select_related("user", "council").order_by("user__full_name")
    )
    return AccessReview(
        participants=list(
            Participation.objects.filter(incident=incident)
            .select_related("user", "added_by", "invitation")
            .order_by("added_at")
        ),
        council_members=list(members.filter(council_id=incident.council_id)),
        shared_members=list(members.filter(council__in=incident.shared_with.all())),
    )
