"""Who hears about an alert at each step of the escalation ladder.

The ladder: whoever the source names first (an action's owner) → the role one tier up (Bronze →
Silver for the same cell → Gold) → the deputies of those roles → the council's admins. Where the
owner sits is the command role they hold in the incident now, or, if none, the action's suggested
tier and cell. Holders are found through the incident's current command assignments; a step
that finds nobody (no such role held, or the owner is already at that tier) is passed over.
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


TIER_RANK = {Tier.GOLD: 0, Tier.SILVER: 1, Tier.BRONZE: 2}


def _position(alert: Alert) -> tuple[str, str]:
    """Where the first recipient sits: the highest command role they hold in the incident now,
    or else the tier and cell the source suggested (an action's suggested tier and cell).
    Worked out once per alert object: every step of one sweep asks."""
    cached: tuple[str, str] | None = alert.__dict__.get("_position")
    if cached is None:
        cached = alert.__dict__["_position"] = _find_position(alert)
    return cached


def _find_position(alert: Alert) -> tuple[str, str]:
    if alert.incident_id and alert.first_recipients:
        held = Assignment.objects.filter(
            incident_id=alert.incident_id,
            council_id=alert.council_id,
            user_id__in=alert.first_recipients,
            is_deputy=False,
            relinquished_at__isnull=True,
        ).values_list("tier", "cell")
        if held:
            tier, cell = min(held, key=lambda row: TIER_RANK.get(Tier(row[0]), 3))
            return tier, cell or alert.cell
    return alert.tier, alert.cell


def silver(alert: Alert) -> list[Recipient]:
    """Silver for the cell, unless the first recipient already sits at Silver or Gold."""
    tier, cell = _position(alert)
    if not cell or tier in (Tier.SILVER, Tier.GOLD):
        return []
    reason = _("you are Silver for %(cell)s and nobody below has acknowledged it") % {
        "cell": cell_label(cell)
    }
    return [Recipient(person, reason) for person in _holders(alert, tier=Tier.SILVER, cell=cell)]


def gold(alert: Alert) -> list[Recipient]:
    if _position(alert)[0] == Tier.GOLD:
        return []
    reason = _("you are Gold and nobody below has acknowledged it")
    return [Recipient(person, reason) for person in _holders(alert, tier=Tier.GOLD)]


def deputies(alert: Alert) -> list[Recipient]:
    tier, cell = _position(alert)
    people: list[User] = []
    if cell and tier not in (Tier.SILVER, Tier.GOLD):
        people += _holders(alert, tier=Tier.SILVER, cell=cell, deputy=True)
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
