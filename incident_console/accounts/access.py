"""The one place that answers "may this person do X to this account object".

API tokens:
- everyone may see and revoke their own tokens;
- a council admin may see and revoke the tokens of people who belong to a council they administer
  (any membership, active or not, so a leaver's token can still be stopped), never another council's;
- anyone else is told the token does not exist (404), so ids do not leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.predicates import predicate
from rules.rulesets import add_rule, test_rule

from incident_console.incidents.access import council_roles

from .models import ApiToken, Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


def administered_council_ids(user: User | AnonymousUser) -> set[int]:
    """Councils in which this person is an active council admin."""
    return {cid for cid, roles in council_roles(user).items() if Role.COUNCIL_ADMIN in roles}


@predicate
def owns_token(user: User, token: ApiToken) -> bool:
    return bool(user.is_authenticated and token.user_id == user.pk)


@predicate
def administers_token_owner(user: User, token: ApiToken) -> bool:
    councils = administered_council_ids(user)
    return (
        bool(councils) and Membership.objects.filter(user_id=token.user_id, council_id__in=councils).exists()
    )


add_rule("accounts.revoke_api_token", owns_token | administers_token_owner)


def may_revoke(user: User | AnonymousUser, token: ApiToken) -> bool:
    return bool(test_rule("accounts.revoke_api_token", user, token))


def may_manage_council_tokens(user: User | AnonymousUser) -> bool:
    """May see the council tokens page: a council admin somewhere."""
    return bool(administered_council_ids(user))
