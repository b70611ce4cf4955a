"""Who may see and sign data-loss assessments.

Assessments are visible only to the data protection officer, Caldicott guardian and SIRO of the
assessment's council, the incident's Gold (for their council) and the assessment's authors. Never
partners, staff or other responders: not in pages, the API or exports. Rules join
`incidents.access` (registered as `incidents.<action>`), so `access.require` answers 404 when the
incident is not visible and 403 when it is but the assessment is not for this person.

| action | who |
|---|---|
| `view_assessments` (list) | DPO, Caldicott, SIRO of a council of the incident; Gold or Silver; an author |
| `write_assessment` (start one) | open incident; DPO, Caldicott, SIRO of a council of it; Gold or Silver |
| `view_assessment`, `edit_assessment` | DPO, Caldicott, SIRO of its council; Gold for it; its authors |
| `sign_off_assessment` | DPO, Caldicott or SIRO of its council (never the version's author) |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from rules.predicates import predicate
from rules.rulesets import add_rule

from incident_console.accounts.models import Role
from incident_console.incidents.access import _incident_of, _shared_council_ids, council_roles, is_open
from incident_console.lib.choices import Tier

from .models import Assessment, AssessmentVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User
    from incident_console.incidents.models import Incident

DP_ROLES = frozenset({Role.DPO, Role.CALDICOTT, Role.SIRO})


def dp_roles(user: User | AnonymousUser, council_id: int) -> frozenset[str]:
    return council_roles(user).get(council_id, frozenset()) & DP_ROLES


def holds_role(user: User | AnonymousUser, council_id: int, role: str) -> bool:
    return role in council_roles(user).get(council_id, frozenset())


def command_councils(user: User | AnonymousUser, incident: Incident, tiers: tuple[str, ...]) -> set[int]:
    """Councils for which this person holds a current command role at these tiers."""
    from incident_console.command.access import current_roles

    return {council for tier, _cell, council in current_roles(user, incident) if tier in tiers}


def incident_councils(incident: Incident) -> set[int]:
    return {incident.council_id, *_shared_council_ids(incident)}


def authored(user: User | AnonymousUser, assessment: Assessment) -> bool:
    if not user.is_authenticated:
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_assess_author_cache", {})
    if assessment.pk not in cache:
        cache[assessment.pk] = (
            assessment.created_by_id == user.pk
            or AssessmentVersion.objects.filter(assessment=assessment, author=user).exists()
        )
    return cache[assessment.pk]


def authored_any(user: User | AnonymousUser, incident: Incident) -> bool:
    if not user.is_authenticated:
        return False
    return AssessmentVersion.objects.filter(assessment__incident=incident, author_id=user.pk).exists()


@predicate
def has_dp_role_in_incident(user: User, obj: Any) -> bool:
    incident = _incident_of(obj)
    return any(dp_roles(user, cid) for cid in incident_councils(incident))


@predicate
def commands_gold_or_silver(user: User, obj: Any) -> bool:
    return bool(command_councils(user, _incident_of(obj), (Tier.GOLD, Tier.SILVER)))


@predicate
def wrote_one(user: User, obj: Any) -> bool:
    return authored_any(user, _incident_of(obj))


@predicate
def may_see_this_assessment(user: User, obj: Any) -> bool:
    if not isinstance(obj, Assessment):
        return False
    return (
        bool(dp_roles(user, obj.council_id))
        or obj.council_id in command_councils(user, obj.incident, (Tier.GOLD,))
        or authored(user, obj)
    )


@predicate
def may_sign_this_assessment(user: User, obj: Any) -> bool:
    return isinstance(obj, Assessment) and bool(dp_roles(user, obj.council_id))


RULES = {
    "view_assessments": has_dp_role_in_incident | commands_gold_or_silver | wrote_one,
    "write_assessment": is_open & (has_dp_role_in_incident | commands_gold_or_silver),
    "view_assessment": may_see_this_assessment,
    "edit_assessment": is_open & may_see_this_assessment,
    "sign_off_assessment": is_open & may_sign_this_assessment,
}
for _name, _predicate in RULES.items():
    add_rule(f"incidents.{_name}", _predicate)


def writable_councils(user: User | AnonymousUser, incident: Incident) -> set[int]:
    """The councils of the incident for which this person may start an assessment."""
    councils = {cid for cid in incident_councils(incident) if dp_roles(user, cid)}
    councils |= command_councils(user, incident, (Tier.GOLD, Tier.SILVER)) & incident_councils(incident)
    return councils


def visible_q(user: User | AnonymousUser, incident: Incident) -> Q:
    """The condition that limits an incident's assessments to those this person may see."""
    dp = {cid for cid in incident_councils(incident) if dp_roles(user, cid)}
    gold = command_councils(user, incident, (Tier.GOLD,))
    q = Q(council_id__in=dp | gold)
    if user.is_authenticated:
        q |= Q(created_by_id=user.pk) | Q(versions__author_id=user.pk)
    return q
