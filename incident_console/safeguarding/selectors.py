"""Reads for safeguarding critical timings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from incident_console.accounts.models import SOCIAL_CARE_ROLES, Council, User
from incident_console.incidents.models import Incident
from incident_console.incidents.sensitivity import SOCIAL_CARE_CELLS, service_user_data_exists_q
from incident_console.lib.choices import Tier
from incident_console.lib.time import london, now

from .models import Deadline, DeadlineStatus, Kind, TimingPolicy, TimingRule

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

DUE_SOON = timedelta(hours=24)


def rules_for(council: Council) -> tuple[TimingPolicy, list[TimingRule]]:
    """The council's policy and its rules, one per kind, in the order of the kinds. Missing ones
    are created from the defaults first."""
    from .services import create_missing_rules

    rules = list(TimingRule.objects.filter(council=council))
    policy = TimingPolicy.objects.filter(council=council).first()
    if policy is None or len(rules) < len(Kind.values):
        policy = create_missing_rules(council=council)
        rules = list(TimingRule.objects.filter(council=council))
    order = {kind: n for n, kind in enumerate(Kind.values)}
    return policy, sorted(rules, key=lambda r: order.get(r.kind, 99))


def rule_for(council: Council, pk: int) -> TimingRule | None:
    return TimingRule.objects.filter(council=council, pk=pk).first()


def deadlines_for(incident: Incident) -> QuerySet[Deadline]:
    return Deadline.objects.filter(incident=incident).select_related("owner")


def deadline_for(incident: Incident, pk: int) -> Deadline | None:
    return deadlines_for(incident).filter(pk=pk).first()


def possible_owners(incident: Incident) -> QuerySet[User]:
    """Who may own an item: people who may see it (a social care role in the incident's council,
    or Gold or a social care cell role on the incident for that council)."""
    from incident_console.command.models import Assignment

    holders = Assignment.objects.filter(
        incident=incident, council_id=incident.council_id, relinquished_at__isnull=True
    ).filter(Q(tier=Tier.GOLD, cell="") | Q(cell__in=SOCIAL_CARE_CELLS))
    social_care = Q(
        memberships__council_id=incident.council_id,
        memberships__is_active=True,
        memberships__role__in=list(SOCIAL_CARE_ROLES),
    )
    ids = User.objects.filter(social_care | Q(pk__in=holders.values("user_id")), is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


@dataclass
class Row:
    """An item as a list shows it: whether it is overdue or due today (London)."""

    deadline: Deadline
    overdue: bool
    due_today: bool


def rows(deadlines: list[Deadline], at: datetime | None = None) -> list[Row]:
    instant = at or now()
    today = london(instant).date()
    return [
        Row(
            deadline=d,
            overdue=d.is_open and d.due_at <= instant,
            due_today=d.is_open and d.due_at > instant and london(d.due_at).date() == today,
        )
        for d in deadlines
    ]


def pressing_for(user: User | AnonymousUser, incident_ids: list[int]) -> list[Row]:
    """Open items overdue or due within 24 hours, on these (visible) incidents, that the person
    may see. One query."""
    if not incident_ids:
        return []
    at = now()
    found = (
        Deadline.objects.filter(
            service_user_data_exists_q(user),
            incident_id__in=incident_ids,
            status=DeadlineStatus.OPEN,
            due_at__lte=at + DUE_SOON,
        )
        .select_related("incident", "owner")
        .order_by("due_at", "pk")
    )
    return rows(list(found), at)


def preview_due(
    incident: Incident, kind: str, start_date: object, deadline: Deadline | None = None
) -> datetime | None:
    """When an item of this kind started on this date would be due under the council's rule, or
    under the rule an existing item of the same kind was added with (None when the court sets it
    or the kind or date is missing)."""
    from datetime import date

    from .services import Terms, computed_due

    if not isinstance(start_date, date) or kind not in Kind.values:
        return None
    policy, rules = rules_for(incident.council)
    if deadline is not None and deadline.kind == kind:
        terms = Terms(deadline.rule_amount, deadline.rule_unit, deadline.rule_start_label)
        return computed_due(terms=terms, policy=policy, start_date=start_date)
    rule = next(r for r in rules if r.kind == kind)
    return computed_due(
        terms=Terms(rule.amount, rule.unit, rule.start_label), policy=policy, start_date=start_date
    )


def deadline_visible(user: User | AnonymousUser, pk: int, action: str = "view_deadlines") -> Deadline:
    """An item for an API call: 404 unless its incident is visible to the person, 403 unless they
    may do ``action`` there."""
    from incident_console.incidents.access import row_for

    return row_for(user, Deadline.objects.select_related("incident__council", "owner"), pk, action)
