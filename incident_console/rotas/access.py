"""Who may see and change rotas. Scoped by council: another council's rota is a 404.

- any member of the rota's council except partners sees the council's rotas (staff included);
- council admins and the rota's owner edit it: patterns, members, overrides, import, reports;
- a swap is asked for by a rota member and agreed only by the other person; either withdraws it
  before agreement;
- everyone sees their own shifts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from rules.predicates import predicate
from rules.rulesets import add_rule, test_rule

from incident_console.accounts.models import Role
from incident_console.incidents.access import AccessDenied, council_roles

from .models import Rota

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User


def rota_council_ids(user: User | AnonymousUser) -> set[int]:
    """Councils whose rotas this person sees: any role there but partner."""
    return {cid for cid, roles in council_roles(user).items() if roles - {Role.PARTNER}}


def member_council_ids(user: User | AnonymousUser) -> set[int]:
    return set(council_roles(user))


def admin_council_ids(user: User | AnonymousUser) -> set[int]:
    return {cid for cid, roles in council_roles(user).items() if Role.COUNCIL_ADMIN in roles}


@predicate
def sees_council_rotas(user: User, rota: Rota) -> bool:
    return rota.council_id in rota_council_ids(user)


@predicate
def is_council_admin(user: User, rota: Rota) -> bool:
    return rota.council_id in admin_council_ids(user)


@predicate
def owns(user: User, rota: Rota) -> bool:
    return user.is_authenticated and rota.owner_id == user.pk and rota.council_id in member_council_ids(user)


RULES = {
    "view_rota": sees_council_rotas,
    "manage_rota": is_council_admin | owns,
}
for _name, _predicate in RULES.items():
    add_rule(f"rotas.{_name}", _predicate)


def can(user: User | AnonymousUser, action: str, obj: Any) -> bool:
    return bool(test_rule(f"rotas.{action}", user, obj))


def require(user: User | AnonymousUser, action: str, rota: Rota) -> None:
    """404 if the rota is not in one of the person's councils; AccessDenied if they may not do this."""
    if rota.council_id not in member_council_ids(user):
        raise Http404
    if not can(user, "view_rota", rota) or (action != "view_rota" and not can(user, action, rota)):
        raise AccessDenied(action)


def visible_rotas(user: User | AnonymousUser) -> QuerySet[Rota]:
    if not user.is_authenticated:
        return Rota.objects.none()
    return Rota.objects.filter(council_id__in=rota_council_ids(user))


def may_see_rotas(user: User | AnonymousUser) -> bool:
    return bool(rota_council_ids(user))


def may_create_rotas(user: User | AnonymousUser) -> bool:
    return bool(admin_council_ids(user))
