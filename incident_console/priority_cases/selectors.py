"""Reads for priority cases."""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from incident_console.accounts.models import SOCIAL_CARE_ROLES, User
from incident_console.incidents.models import Incident
from incident_console.incidents.sensitivity import SOCIAL_CARE_CELLS
from incident_console.lib.choices import Tier

from .models import CaseContact, CaseStatus, PriorityCase, PriorityCaseAccess


def cases_for(incident: Incident, *, service: str = "", status: str = "") -> QuerySet[PriorityCase]:
    """The incident's priority cases: open ones first, by next contact due."""
    cases = PriorityCase.objects.filter(incident=incident).select_related("owner")
    if service:
        cases = cases.filter(service=service)
    if status:
        cases = cases.filter(status=status)
    closed_last = Case(
        When(status=CaseStatus.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return cases.order_by(closed_last, F("next_contact_due").asc(nulls_last=True), "number")


def case_for(incident: Incident, pk: int) -> PriorityCase | None:
    return cases_for(incident).filter(pk=pk).first()


def contacts_of(case: PriorityCase) -> QuerySet[CaseContact]:
    return CaseContact.objects.filter(case=case).select_related("contacted_by", "recorded_by")


def eligible_owners(incident: Incident) -> QuerySet[User]:
    """People who may own a priority case: those who may see the list (a council-level social care
    role in the incident's council, or Gold or a social care cell role held now on the incident)."""
    from incident_console.command.models import Assignment

    holders = Assignment.objects.filter(
        incident=incident, council_id=incident.council_id, relinquished_at__isnull=True
    ).filter(Q(tier=Tier.GOLD, cell="") | Q(cell__in=SOCIAL_CARE_CELLS))
    social_care = Q(
        memberships__council_id=incident.council_id,
        memberships__role__in=SOCIAL_CARE_ROLES,
        memberships__is_active=True,
    )
    ids = User.objects.filter(social_care | Q(pk__in=holders.values("user_id")), is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


def access_log(incident: Incident) -> QuerySet[PriorityCaseAccess]:
    return PriorityCaseAccess.objects.filter(incident=incident).select_related("actor", "case")
