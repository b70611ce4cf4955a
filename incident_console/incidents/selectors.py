"""Reads for incident pages and the dashboard. Counts come from the database, not loops."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from incident_console.guidance.models import ItemStatus
from incident_console.lib.time import now

from .access import can, visible_incidents
from .models import Incident, Invitation, Participation, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import Membership, User

OPEN_ITEM_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)


def with_progress(incidents: Iterable[Incident]) -> list[Incident]:
    """These incidents with their checklist progress (``items_total``, ``items_complete``,
    ``items_overdue``), counted in one query over only their actions.

    Counting after the page is cut (not in the list query, nor with a join and GROUP BY over every
    visible incident) keeps a paginated list as cheap with ten incidents behind it as with ten
    thousand, and keeps the list query simple enough to plan in a fraction of a millisecond.
    """
    from incident_console.guidance.models import ChecklistItem

    found = list(incidents)
    ids = [incident.pk for incident in found]
    rows = (
        ChecklistItem.objects.filter(checklist__incident_id__in=ids)
        .order_by()
        .values_list("checklist__incident_id")
        .annotate(
            total=Count("pk"),
            complete=Count("pk", filter=Q(status__in=[ItemStatus.DONE, ItemStatus.NOT_APPLICABLE])),
            overdue=Count("pk", filter=Q(status__in=OPEN_ITEM_STATUSES, due_at__lt=now())),
        )
    )
    counts: dict[int, tuple[int, int, int]] = {row[0]: row[1:] for row in rows} if ids else {}
    for incident in found:
        total, complete, overdue = counts.get(incident.pk, (0, 0, 0))
        incident.items_total = total  # type: ignore[attr-defined]
        incident.items_complete = complete  # type: ignore[attr-defined]
        incident.items_overdue = overdue  # type: ignore[attr-defined]
    return found


def dashboard_incidents(user: User | AnonymousUser, *, include_closed: bool = False) -> list[Incident]:
    qs = visible_incidents(user).select_related("council")
    if not include_closed:
        qs = qs.exclude(status=Status.CLOSED)
    return with_progress(qs.order_by("-declared_at"))


def incident_for_page(user: User | AnonymousUser, pk: int) -> Incident | None:
    """The incident with this id if the person may see it, else None.

    Read by its key and then checked against the same rule ``visible_incidents`` expresses in SQL
    (``view_incident``): the rule's inputs (council roles, participation, shared councils) are read
    once per request anyway, so a page need not also run the visibility subqueries."""
    incident = (
        Incident.objects.select_related("council", "created_by")
        .prefetch_related("shared_with")
        .filter(pk=pk)
        .first()
    )
    return incident if incident is not None and can(user, "view_incident", incident) else None


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
