"""The one place that answers "may this person do X to this incident, or to anything in it".

Scoping rules:
- council admins, responders, DPOs, Caldicott guardians and SIROs see every incident of their
  council, and incidents explicitly shared with their council;
- staff and partners see only incidents they take part in (an active Participation);
- nobody sees another council's incident otherwise: views answer 404, so existence does not leak.

Checklists and the timeline are hidden from partners, who get read-only briefings.
Writes need a part in the incident (lead or responder) or the council admin role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from rules.predicates import predicate
from rules.rulesets import add_rule, test_rule

from incident_console.accounts.models import COUNCIL_WIDE_ROLES, Membership, Role

from .models import Incident, ParticipantRole, Participation

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import Council, User


RowT = TypeVar("RowT", bound=Model)


class _OfAnIncident(Protocol):
    incident: Incident


class AccessDenied(PermissionDenied):
    """The person can see the object but may not do this to it (HTTP 403)."""


def council_roles(user: User | AnonymousUser) -> dict[int, frozenset[str]]:
    """Active roles per council id, cached on the user object for the request."""
    if not user.is_authenticated:
        return {}
    cached: dict[int, frozenset[str]] | None = getattr(user, "_council_roles_cache", None)
    if cached is None:
        roles: dict[int, set[str]] = {}
        names: dict[int, str] = {}
        rows = Membership.objects.filter(user=user, is_active=True).values_list(
            "council_id", "role", "council__name"
        )
        for council_id, role, name in rows:
            roles.setdefault(council_id, set()).add(role)
            names[council_id] = name
        cached = {k: frozenset(v) for k, v in roles.items()}
        user._council_roles_cache = cached  # type: ignore[attr-defined]
        user._council_names_cache = names  # type: ignore[attr-defined]
    return cached


def council_names(user: User | AnonymousUser) -> list[str]:
    """Names of the councils this person belongs to, for the page header."""
    council_roles(user)
    return sorted(getattr(user, "_council_names_cache", {}).values())


def wide_council_ids(user: User | AnonymousUser) -> set[int]:
    return {cid for cid, roles in council_roles(user).items() if roles & COUNCIL_WIDE_ROLES}


def participation_role(user: User | AnonymousUser, incident: Incident) -> str | None:
    if not user.is_authenticated:
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_participation_cache", {})
    if incident.pk not in cache:
        cache[incident.pk] = (
            Participation.objects.filter(incident=incident, user=user, ended_at__isnull=True)
            .values_list("role", flat=True)
            .first()
        )
    return cache[incident.pk]


def _incident_of(obj: Any) -> Incident:
    return obj if isinstance(obj, Incident) else obj.incident


def prefetched_shared_councils(incident: Incident) -> list[Council] | None:
    """The councils the incident is shared with, if a query already prefetched them; else None."""
    cache: dict[str, Any] = getattr(incident, "_prefetched_objects_cache", {})
    return list(cache["shared_with"]) if "shared_with" in cache else None


def _shared_council_ids(incident: Incident) -> set[int]:
    cache: set[int] | None = getattr(incident, "_shared_ids_cache", None)
    if cache is None:
        prefetched = prefetched_shared_councils(incident)
        if prefetched is not None:
            cache = {council.pk for council in prefetched}
        else:
            cache = set(incident.shared_with.values_list("id", flat=True))
        incident._shared_ids_cache = cache  # type: ignore[attr-defined]
    return cache


@predicate
def is_council_wide_member(user: User, obj: Any) -> bool:
    incident = _incident_of(obj)
    councils = wide_council_ids(user)
    return incident.council_id in councils or bool(councils & _shared_council_ids(incident))


@predicate
def is_council_admin(user: User, obj: Any) -> bool:
    return Role.COUNCIL_ADMIN in council_roles(user).get(_incident_of(obj).council_id, frozenset())


@predicate
def takes_part(user: User, obj: Any) -> bool:
    return participation_role(user, _incident_of(obj)) is not None


@predicate
def leads(user: User, obj: Any) -> bool:
    return participation_role(user, _incident_of(obj)) == ParticipantRole.LEAD


@predicate
def responds(user: User, obj: Any) -> bool:
    return participation_role(user, _incident_of(obj)) in {ParticipantRole.LEAD, ParticipantRole.RESPONDER}


@predicate
def works_on(user: User, obj: Any) -> bool:
    return participation_role(user, _incident_of(obj)) in {
        ParticipantRole.LEAD,
        ParticipantRole.RESPONDER,
        ParticipantRole.STAFF,
    }


@predicate
def is_open(user: User, obj: Any) -> bool:
    return _incident_of(obj).is_open


RULES = {
    "view_incident": is_council_wide_member | takes_part,
    "view_checklists": is_council_wide_member | works_on,
    "view_timeline": is_council_wide_member | works_on,
    "view_people": is_council_wide_member | works_on,
    "manage_incident": is_council_admin | leads,
    "update_checklist_item": is_open & (is_council_admin | responds),
    "add_checklist_item": is_open & (is_council_admin | leads),
    "apply_module": is_open & (is_council_admin | leads),
    "invite_people": is_open & is_council_admin,
    "review_access": is_council_admin | leads,
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)


def can(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    return bool(test_rule(f"incidents.{action}", user, obj))


def require(user: User | AnonymousUser, action: str, obj: Any) -> None:
    """404 if the person may not see the incident at all; AccessDenied if they may not do this."""
    if not can(user, "view_incident", obj):
        raise Http404
    if action != "view_incident" and not can(user, action, obj):
        raise AccessDenied(action)


def incident_for(user: User | AnonymousUser, pk: int, action: str = "view_incident") -> Incident:
    """The incident with this id for an API call: 404 unless the person may see it, AccessDenied
    unless they may do ``action`` to it."""
    incident = visible_incidents(user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    require(user, action, incident)
    return incident


def row_for(user: User | AnonymousUser, rows: QuerySet[RowT], pk: int, action: str) -> RowT:
    """The row with this id from ``rows`` (of a model with an ``incident``) for an API call: 404
    unless the person may see its incident, AccessDenied unless they may do ``action`` to it."""
    row = rows.filter(pk=pk, incident__in=visible_incidents(user)).select_related("incident").first()
    if row is None:
        raise Http404
    require(user, action, cast(_OfAnIncident, row).incident)
    return row


def visible_incidents(user: User | AnonymousUser) -> QuerySet[Incident]:
    """Every incident this person may see, scoped by council and participation."""
    if not user.is_authenticated:
        return Incident.objects.none()
    councils = wide_council_ids(user)
    # IN (subquery), not EXISTS: PostgreSQL hashes each small subquery once instead of running it
    # for every incident row.
    shared = Incident.shared_with.through.objects.filter(council_id__in=councils).values("incident_id")
    part = Participation.objects.filter(user_id=user.pk, ended_at__isnull=True).values("incident_id")
    return Incident.objects.filter(Q(council_id__in=councils) | Q(pk__in=shared) | Q(pk__in=part))


def declarable_councils(user: User | AnonymousUser) -> list[int]:
    """Councils in which this person may declare an incident."""
    allowed = {Role.COUNCIL_ADMIN, Role.RESPONDER}
    return [cid for cid, roles in council_roles(user).items() if roles & allowed]


def may_declare_in(user: User | AnonymousUser, council: Council) -> bool:
    return council.pk in declarable_councils(user)
