"""Reads for the command pages, the incident page and the dashboard. No per-row queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from incident_console.guidance.models import Checklist
from incident_console.lib.choices import Tier
from incident_console.lib.time import now

from .models import (
    DASH,
    Assignment,
    Decision,
    Handover,
    RhythmEntry,
    RhythmHeld,
    Risk,
    RiskStatus,
    cell_label,
)
from .rhythm import Occurrence, occurrences

if TYPE_CHECKING:
    from incident_console.accounts.models import User
    from incident_console.incidents.models import Incident

TIER_ORDER = {Tier.GOLD: 0, Tier.SILVER: 1, Tier.BRONZE: 2}


def current_assignments(incident: Incident) -> list[Assignment]:
    rows = list(
        Assignment.objects.filter(incident=incident, relinquished_at__isnull=True).select_related(
            "user", "council"
        )
    )
    rows.sort(key=lambda a: (TIER_ORDER[Tier(a.tier)], a.cell != "", a.cell_name, a.is_deputy))
    return rows


def assignment_history(incident: Incident) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(incident=incident)
        .select_related("user", "assigned_by", "relinquished_by", "council")
        .order_by("-assumed_at", "-pk")
    )


@dataclass
class Slot:
    """One role on the command board: its holder and deputy, if any."""

    tier: str
    cell: str
    council_name: str
    holder: Assignment | None = None
    deputy: Assignment | None = None

    @property
    def role_name(self) -> str:
        assignment = self.holder or self.deputy
        if assignment is not None:
            return assignment.role_name.replace(str(_(" (deputy)")), "")
        tier = str(Tier(self.tier).label).split(" ")[0]
        return f"{tier} {DASH} {cell_label(self.cell)}" if self.cell else tier


def board(incident: Incident) -> list[Slot]:
    slots: dict[tuple[int, str, str], Slot] = {}
    for assignment in current_assignments(incident):
        key = (assignment.council_id, assignment.tier, assignment.cell)
        slot = slots.setdefault(key, Slot(assignment.tier, assignment.cell, assignment.council.name))
        if assignment.is_deputy:
            slot.deputy = assignment
        else:
            slot.holder = assignment
    return list(slots.values())


def unacknowledged_handovers(incident: Incident) -> QuerySet[Handover]:
    return (
        Handover.objects.filter(incident=incident, acknowledged_at__isnull=True)
        .select_related("incoming__user", "outgoing__user", "written_by")
        .order_by("-created_at")
    )


def handovers(incident: Incident) -> QuerySet[Handover]:
    return Handover.objects.filter(incident=incident).select_related(
        "incoming__user", "outgoing__user", "written_by"
    )


# --- Representation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingRepresentation:
    service: str
    tier: str
    reason: str
    module: str

    @property
    def message(self) -> str:
        tier = str(Tier(self.tier).label).split(" ")[0]
        return _("%(service)s is not represented at %(tier)s") % {
            "service": cell_label(self.service),
            "tier": tier,
        }


def missing_representation(incident_ids: Iterable[int]) -> dict[int, list[MissingRepresentation]]:
    """For each incident, the representation rules of its applied modules that no current
    assignment meets. A rule (service S at tier T) is met by a current holder or deputy at tier T
    for cell S (at Gold, the "Gold: S representative" role). Two queries, however many
    incidents."""
    ids = list(incident_ids)
    if not ids:
        return {}
    held: set[tuple[int, str, str]] = set(
        Assignment.objects.filter(incident_id__in=ids, relinquished_at__isnull=True).values_list(
            "incident_id", "tier", "cell"
        )
    )
    missing: dict[int, list[MissingRepresentation]] = defaultdict(list)
    # Only the rules from each module document, not the whole guidance text.
    rows = Checklist.objects.filter(incident_id__in=ids).values_list(
        "incident_id", "module_version__document__representation_rules", "module__title"
    )
    for incident_id, rules, module_title in rows:
        for rule in rules or []:
            for tier in rule.get("tiers", []):
                if (incident_id, tier, rule["service"]) not in held:
                    missing[incident_id].append(
                        MissingRepresentation(rule["service"], tier, rule.get("reason", ""), module_title)
                    )
    for values in missing.values():
        values.sort(key=lambda m: (TIER_ORDER[Tier(m.tier)], m.service))
    return dict(missing)


# --- Decisions and risks ---------------------------------------------------------------------


def decisions(incident: Incident) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(incident=incident)
        .select_related("decision_maker", "recorded_by", "corrects")
        .prefetch_related(
            Prefetch("corrections", queryset=Decision.objects.only("id", "sequence", "corrects_id"))
        )
        .order_by("sequence")
    )


def risks(incident: Incident) -> QuerySet[Risk]:
    """Open risks first, highest score first."""
    from django.db.models import Case, F, IntegerField, Value, When

    return (
        Risk.objects.filter(incident=incident)
        .select_related("owner")
        .annotate(
            closed_last=Case(
                When(status=RiskStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            score_value=F("likelihood") * F("impact"),
        )
        .order_by("closed_last", "-score_value", "-created_at")
    )


def open_risk_count(incident: Incident) -> int:
    return Risk.objects.filter(incident=incident, status=RiskStatus.OPEN).count()


# --- Battle rhythm ----------------------------------------------------------------------------

OVERDUE_LOOKBACK = timedelta(days=2)
UPCOMING = timedelta(days=1)


@dataclass
class RhythmView:
    entries: list[RhythmEntry]
    upcoming: list[Occurrence] = field(default_factory=list)
    overdue: list[Occurrence] = field(default_factory=list)


def rhythm(incident: Incident, *, at: datetime | None = None) -> RhythmView:
    """What falls due in the next day, and what fell due since the incident was declared (at most
    two days back) without being marked as held."""
    moment = at or now()
    entries = list(RhythmEntry.objects.filter(incident=incident).order_by("kind", "title"))
    if not entries:
        return RhythmView(entries)
    since = max(incident.declared_at, moment - OVERDUE_LOOKBACK)
    held: set[tuple[Any, datetime]] = set(
        RhythmHeld.objects.filter(entry__incident=incident, occurs_at__gte=since).values_list(
            "entry_id", "occurs_at"
        )
    )
    past = occurrences(entries, since, moment)
    return RhythmView(
        entries,
        upcoming=occurrences(entries, moment, moment + UPCOMING),
        overdue=[o for o in past if (o.entry_id, o.at) not in held],
    )


def next_on_rota(incident: Incident) -> list[Any]:
    """Who is on each of the council's rotas now and who takes over next (rotas.selectors)."""
    from incident_console.rotas.selectors import on_now_and_next_for

    return on_now_and_next_for(incident.council, incident.pk)


def eligible_people(incident: Incident) -> QuerySet[User]:
    """People who may hold a command role or make a decision: members of a council with access to
    the incident, or participants other than partners."""
    from django.db.models import Q

    from incident_console.accounts.models import User
    from incident_console.incidents.models import ParticipantRole

    councils = [incident.council_id, *incident.shared_with.values_list("id", flat=True)]
    member = Q(memberships__council_id__in=councils, memberships__is_active=True)
    part = Q(participations__incident=incident, participations__ended_at__isnull=True) & ~Q(
        participations__role=ParticipantRole.PARTNER
    )
    ids = User.objects.filter(member | part, is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


def custom_cells(incident: Incident) -> list[str]:
    return sorted(
        set(Assignment.objects.filter(incident=incident).exclude(cell="").values_list("cell", flat=True))
    )
