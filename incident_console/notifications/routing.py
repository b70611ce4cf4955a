"""Who hears about an alert at each step of the escalation ladder.

The ladder: the owner (or whoever the source names) → the holder of the tier above → the named
deputy → the council's admins. A step that finds nobody is passed over at once. Steps that need
the command structure are found through ``LADDER``, so the command app plugs them in without
this module knowing its models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from incident_console.accounts.models import Role, User

from .models import Alert


@dataclass(frozen=True)
class Recipient:
    user: User
    reason: str


Finder = Callable[[Alert], list[Recipient]]


def first_recipients(alert: Alert) -> list[Recipient]:
    people = User.objects.filter(pk__in=alert.first_recipients, is_active=True).order_by("pk")
    return [Recipient(person, _("you own it")) for person in people]


def council_admins(alert: Alert) -> list[Recipient]:
    people = (
        User.objects.filter(
            is_active=True,
            memberships__council_id=alert.council_id,
            memberships__role=Role.COUNCIL_ADMIN,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    return [Recipient(person, _("council admin: nobody earlier acknowledged it")) for person in people]


def _none(alert: Alert) -> list[Recipient]:
    return []


# Named steps in ladder order. The command structure replaces "tier_above" and "deputy".
LADDER: dict[str, Finder] = {
    "first": first_recipients,
    "tier_above": _none,
    "deputy": _none,
    "council_admin": council_admins,
}


def step_count() -> int:
    return len(LADDER)


def find(alert: Alert, step: int) -> list[Recipient]:
    return list(LADDER.values())[step](alert)
