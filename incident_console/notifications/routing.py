"""Who hears about an alert at each step of the escalation ladder.

The ladder: whoever the source names first (an action's owner) → Silver for the action's cell →
Gold → the deputies of those roles → the council's admins. Silver and Gold are found through the
incident's current command assignments; a step that finds nobody (no such role held, or the
owner is already at that tier) is passed over at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from incident_console.accounts.models import Role, User
from incident_console.command.models import Assignment, cell_label
from incident_console.lib.choices import Tier

from .models import Alert


@dataclass(frozen=True)
class Recipient:
    user: User
    reason: str


Finder = Callable[[Alert], list[Recipient]]


def _holders(alert: Alert, *, tier: str, cell: str = "", deputy: bool = False) -> list[User]:
    if not alert.incident_id:
        return []
    holding = Assignment.objects.filter(
        incident_id=alert.incident_id,
        council_id=alert.council_id,
        tier=tier,
        cell=cell,
        is_deputy=deputy,
        relinquished_at__isnull=True,
    ).values("user_id")
    return list(User.objects.filter(pk__in=holding, is_active=True).order_by("pk"))


def first_recipients(alert: Alert) -> list[Recipient]:
    people = User.objects.filter(pk__in=alert.first_recipients, is_active=True).order_by("pk")
    return [Recipient(person, _("you own it")) for person in people]


def _silver_applies(alert: Alert) -> bool:
    return bool(alert.cell) and alert.tier not in (Tier.SILVER, Tier.GOLD)


def silver(alert: Alert) -> list[Recipient]:
    """Silver for the action's cell, unless the action already sits at Silver or Gold."""
    if not _silver_applies(alert):
        return []
    reason = _("you are Silver for %(cell)s and nobody below has acknowledged it") % {
        "cell": cell_label(alert.cell)
    }
    return [Recipient(person, reason) for person in _holders(alert, tier=Tier.SILVER, cell=alert.cell)]


def gold(alert: Alert) -> list[Recipient]:
    if alert.tier == Tier.GOLD:
        return []
    reason = _("you are Gold and nobody below has acknowledged it")
    return [Recipient(person, reason) for person in _holders(alert, tier=Tier.GOLD)]


def deputies(alert: Alert) -> list[Recipient]:
    people: list[User] = []
    if _silver_applies(alert):
        people += _holders(alert, tier=Tier.SILVER, cell=alert.cell, deputy=True)
    people += _holders(alert, tier=Tier.GOLD, deputy=True)
    reason = _("you are a named deputy and nobody else has acknowledged it")
    return [Recipient(person, reason) for person in dict.fromkeys(people)]


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


# Named steps in ladder order.
LADDER: dict[str, Finder] = {
    "first": first_recipients,
    "silver": silver,
    "gold": gold,
    "deputy": deputies,
    "council_admin": council_admins,
}
STEP_NAMES = list(LADDER)


def step_count() -> int:
    return len(LADDER)


def step_index(name: str) -> int:
    return STEP_NAMES.index(name)


def find(alert: Alert, step: int) -> list[Recipient]:
    return LADDER[STEP_NAMES[step]](alert)
