"""Who may see personal data about service users: one rule for every kind of it.

Vulnerable-family contacts, manual case records, priority cases, emergency payments to people,
safeguarding deadlines and the restricted grab pack name children, adults at risk and the
families caring for them. A council's such data is seen only by

- people holding a council-level social care role there (Role.SOCIAL_CARE_ADULTS /
  SOCIAL_CARE_CHILDREN), which opens the council-wide register and the data of every incident of
  the council; and
- whoever currently holds Gold, or any role in the adult or children's social care cell, in that
  council's own command structure of one of its open incidents, which opens the council-wide
  register and that incident's data while they hold the role.

The base role does not matter: a member of staff, a mutual aid social worker invited from another
council, or a connected council's officer whom the council's incident leads place in its social
care cell sees what the cell needs, and stops seeing it when the role ends. Placing them is a
deliberate act on the incident's timeline, and every view of a vulnerable-family contact or
priority case is in the access log. Nothing here reaches partner outputs (partner sitreps, the
general grab pack, general exports). Command roles held on a shared incident in a connected
council's own command structure open only that council's own data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from incident_console.accounts.models import SOCIAL_CARE_ROLES
from incident_console.lib.choices import Cell, Tier

from .access import council_roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User
    from incident_console.command.models import Assignment

    from .models import Incident

SOCIAL_CARE_CELLS = (Cell.ADULT_SOCIAL_CARE, Cell.CHILDRENS_SOCIAL_CARE)


def social_care_council_ids(user: User | AnonymousUser) -> set[int]:
    """Councils in which this person holds a council-level social care role."""
    return {cid for cid, roles in council_roles(user).items() if roles & SOCIAL_CARE_ROLES}


def _command_assignments(user_id: int) -> QuerySet[Assignment]:
    """This person's current Gold or social care cell roles in an open incident's own council."""
    from incident_console.command.models import Assignment

    from .models import Status

    return (
        Assignment.objects.filter(user_id=user_id, relinquished_at__isnull=True)
        .filter(council_id=F("incident__council_id"))
        .exclude(incident__status=Status.CLOSED)
        .filter(Q(tier=Tier.GOLD, cell="") | Q(cell__in=SOCIAL_CARE_CELLS))
    )


def command_incident_ids(user: User | AnonymousUser) -> dict[int, int]:
    """Open incidents (id -> council id) where this person now holds Gold or a social care cell
    role in the incident's own council's command structure. Cached on the user for the request."""
    if not user.is_authenticated:
        return {}
    cached: dict[int, int] | None = getattr(user, "_sensitive_command_cache", None)
    if cached is not None:
        return cached
    rows = _command_assignments(int(user.pk)).values_list("incident_id", "council_id")
    cached = dict(rows)
    user._sensitive_command_cache = cached  # type: ignore[attr-defined]
    return cached


def sensitive_council_ids(user: User | AnonymousUser) -> set[int]:
    """Councils whose council-wide service-user data (vulnerable-family contacts) this person may
    see under the rule above: a social care role there, or Gold / a social care cell on one of its
    open incidents."""
    return social_care_council_ids(user) | set(command_incident_ids(user).values())


def may_see_service_user_data(user: User | AnonymousUser, incident: Incident) -> bool:
    """May this person see the service-user data recorded on this incident, under the rule above?
    (Callers still check that the person may see the incident at all.)"""
    if incident.council_id in social_care_council_ids(user):
        return True
    return incident.pk in command_incident_ids(user)


def service_user_data_q(user: User | AnonymousUser, incident_field: str = "incident") -> Q:
    """A filter for rows (with a foreign key ``incident_field`` to the incident) this person may
    see under the rule above."""
    councils = social_care_council_ids(user)
    incidents = set(command_incident_ids(user))
    if not councils and not incidents:
        return Q(pk__in=[])
    return Q(**{f"{incident_field}__council_id__in": councils}) | Q(**{f"{incident_field}_id__in": incidents})


def service_user_data_exists_q(user: User | AnonymousUser, incident_field: str = "incident") -> Q:
    """The same filter as ``service_user_data_q`` with the command roles as a subquery, so a page
    that has not yet looked them up (the dashboard) spends no extra query on them."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    councils = social_care_council_ids(user)
    held = _command_assignments(int(user.pk)).filter(incident_id=OuterRef(f"{incident_field}_id"))
    return Q(**{f"{incident_field}__council_id__in": councils}) | Q(Exists(held))
