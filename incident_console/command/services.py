"""Every write to the command structure, decision log, risk register and battle rhythm."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from incident_console.accounts.models import Membership
from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.incidents.models import Incident, ParticipantRole, Participation
from incident_console.incidents.services import add_participant
from incident_console.lib.choices import Tier
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.timeline.services import record

from .models import (
    Assignment,
    Decision,
    DecisionCounter,
    Handover,
    RhythmEntry,
    RhythmHeld,
    RhythmKind,
    Risk,
    RiskStatus,
)

if TYPE_CHECKING:
    from incident_console.accounts.models import Council, User

SLOT_TAKEN = "Someone else assigned this role while you were choosing. Check who holds it now and try again."


class SlotChangedError(StaleEditError):
    """The role changed hands after the person loaded the form (HTTP 409)."""

    def __init__(self, current: Assignment | None) -> None:
        super().__init__(current_version=current.pk if current else 0, message=_(SLOT_TAKEN))


def _lock_incident(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _check_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed."))


def may_take_part(incident: Incident, user: User) -> bool:
    """A command role goes to a member of a council with access, or a participant (not a partner)."""
    councils = [incident.council_id, *incident.shared_with.values_list("id", flat=True)]
    if Membership.objects.filter(user=user, council_id__in=councils, is_active=True).exists():
        return True
    return (
        Participation.objects.filter(incident=incident, user=user, ended_at__isnull=True)
        .exclude(role=ParticipantRole.PARTNER)
        .exists()
    )


def _ensure_participant(incident: Incident, actor: User, user: User, tier: str) -> None:
    wanted = ParticipantRole.RESPONDER if tier == Tier.BRONZE else ParticipantRole.LEAD
    current = (
        Participation.objects.filter(incident=incident, user=user, ended_at__isnull=True)
        .values_list("role", flat=True)
        .first()
    )
    rank = {ParticipantRole.LEAD: 3, ParticipantRole.RESPONDER: 2, ParticipantRole.STAFF: 1}
    if current is None or rank.get(ParticipantRole(current), 0) < rank[wanted]:
        add_participant(incident=incident, actor=actor, user=user, role=wanted)


def open_actions(incident: Incident) -> list[str]:
    return list(
        ChecklistItem.objects.filter(
            checklist__incident=incident, status__in=[ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS]
        )
        .order_by("due_at", "position")
        .values_list("title", flat=True)
    )


def open_risks(incident: Incident) -> list[str]:
    return [
        f"{risk.title} ({_('score')} {risk.score})"
        for risk in Risk.objects.filter(incident=incident, status=RiskStatus.OPEN).order_by("-created_at")
    ]


@transaction.atomic
def assign_role(
    *,
    incident: Incident,
    actor: User,
    user: User,
    tier: str,
    cell: str = "",
    council: Council | None = None,
    is_deputy: bool = False,
    expected_current: int | None = None,
    check_current: bool = False,
    situation: str = "",
    decisions_pending: str = "",
) -> Assignment:
    """Give a command role to a person. A current holder of the same slot is relinquished in the
    same transaction and a handover is written for the incoming person.

    With `check_current`, `expected_current` is the assignment id the person saw holding the slot
    (None for vacant); if the slot changed hands since, SlotChangedError is raised and nothing
    changes. The incident row is locked first, so concurrent assignments queue up behind it.
    """
    incident = _lock_incident(incident)
    _check_open(incident)
    cell = cell.strip()
    if tier not in Tier.values:
        raise ValidationError({"tier": _("Choose Gold, Silver or Bronze.")})
    if tier != Tier.GOLD and not cell:
        raise ValidationError({"cell": _("Choose the cell this role belongs to.")})
    if len(cell) > 60:
        raise ValidationError({"cell": _("A cell name must be 60 characters or fewer.")})
    council = council or incident.council
    if council.pk != incident.council_id and not incident.shared_with.filter(pk=council.pk).exists():
        raise ValidationError({"council": _("Choose the incident's council or a council it is shared with.")})
    if not may_take_part(incident, user):
        raise ValidationError(
            {"user": _("%(name)s cannot take part in this incident.") % {"name": user.display_name}}
        )
    slot = Assignment.objects.select_for_update().filter(
        incident=incident,
        council=council,
        tier=tier,
        cell=cell,
        is_deputy=is_deputy,
        relinquished_at__isnull=True,
    )
    current = slot.first()
    if check_current and (current.pk if current else None) != expected_current:
        raise SlotChangedError(current)
    if current and current.user_id == user.pk:
        raise ValidationError({"user": _("%(name)s already holds this role.") % {"name": user.display_name}})
    moment = now()
    if current:
        current.relinquished_at = moment
        current.relinquished_by = actor
        current.save(update_fields=["relinquished_at", "relinquished_by"])
    _ensure_participant(incident, actor, user, tier)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                incident=incident,
                council=council,
                tier=tier,
                cell=cell,
                is_deputy=is_deputy,
                user=user,
                assigned_by=actor,
                assumed_at=moment,
            )
    except IntegrityError as error:  # backed by the partial unique constraint
        raise SlotChangedError(None) from error
    summary = _("%(name)s took on %(role)s") % {"name": user.display_name, "role": assignment.role_name}
    if current:
        summary = _("%(name)s took on %(role)s from %(old)s") % {
            "name": user.display_name,
            "role": assignment.role_name,
            "old": current.user.display_name,
        }
    record(
        incident=incident,
        kind="command_role_assigned",
        actor=actor,
        summary=summary,
        data={
            "assignment": assignment.pk,
            "user": user.pk,
            "tier": tier,
            "cell": cell,
            "council": council.pk,
            "deputy": is_deputy,
            "relinquished": current.pk if current else None,
        },
    )
    if current or situation.strip():
        handover = Handover.objects.create(
            incident=incident,
            incoming=assignment,
            outgoing=current,
            written_by=actor,
            created_at=moment,
            situation=situation.strip() or _("No situation note was written."),
            open_actions=open_actions(incident),
            open_risks=open_risks(incident),
            decisions_pending=decisions_pending.strip(),
        )
        record(
            incident=incident,
            kind="handover_written",
            actor=actor,
            summary=_("Handover of %(role)s to %(name)s written")
            % {"role": assignment.role_name, "name": user.display_name},
            data={"handover": handover.pk, "assignment": assignment.pk},
        )
    return assignment


@transaction.atomic
def relinquish_role(*, assignment: Assignment, actor: User) -> Assignment:
    _lock_incident(assignment.incident)
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if current.relinquished_at is not None:
        return current
    current.relinquished_at = now()
    current.relinquished_by = actor
    current.save(update_fields=["relinquished_at", "relinquished_by"])
    record(
        incident=current.incident,
        kind="command_role_relinquished",
        actor=actor,
        summary=_("%(name)s stood down from %(role)s")
        % {"name": current.user.display_name, "role": current.role_name},
        data={"assignment": current.pk, "user": current.user_id},
    )
    return current


@transaction.atomic
def acknowledge_handover(*, handover: Handover, actor: User) -> Handover:
    locked = Handover.objects.select_for_update().select_related("incoming").get(pk=handover.pk)
    if locked.incoming.user_id != actor.pk:
        raise ValidationError(_("Only the person taking on the role can acknowledge this handover."))
    if locked.acknowledged_at is not None:
        return locked
    locked.acknowledged_at = now()
    locked.save(update_fields=["acknowledged_at"])
    record(
        incident=locked.incident,
        kind="handover_acknowledged",
        actor=actor,
        summary=_("%(name)s acknowledged the handover of %(role)s")
        % {"name": actor.display_name, "role": locked.incoming.role_name},
        data={"handover": locked.pk},
    )
    return locked


# --- Decision log -----------------------------------------------------------------------------


def maker_role_for(incident: Incident, user: User) -> str:
    """The command roles a person holds now, as text for the decision log."""
    roles = [
        a.role_name
        for a in Assignment.objects.filter(
            incident=incident, user=user, relinquished_at__isnull=True
        ).order_by("tier", "cell")
    ]
    return ", ".join(roles)


@transaction.atomic
def record_decision(
    *,
    incident: Incident,
    actor: User,
    decision_maker: User,
    decided_at: datetime,
    decision: str,
    rationale: str,
    maker_role: str = "",
    options_considered: str = "",
    information: str = "",
    risks: str = "",
    review_by: datetime | None = None,
    informed: str = "",
    corrects: Decision | None = None,
) -> Decision:
    """Append a decision. The number comes from a per-incident counter row locked for the
    allocation; the unique (incident, sequence) constraint backs it up."""
    _check_open(incident)
    errors: dict[str, str] = {}
    if not decision.strip():
        errors["decision"] = _("Enter the decision.")
    if not rationale.strip():
        errors["rationale"] = _("Enter the rationale for the decision.")
    moment = now()
    if decided_at > moment:
        errors["decided_at"] = _("The time of the decision must be now or in the past.")
    if corrects is not None and corrects.incident_id != incident.pk:
        errors["corrects"] = _("Choose a decision from this incident.")
    if errors:
        raise ValidationError(errors)
    if not may_take_part(incident, decision_maker):
        raise ValidationError({"decision_maker": _("Choose someone who takes part in this incident.")})
    DecisionCounter.objects.get_or_create(incident=incident)
    counter = DecisionCounter.objects.select_for_update().get(incident=incident)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    entry = Decision.objects.create(
        incident=incident,
        sequence=counter.last_number,
        decided_at=decided_at,
        recorded_at=moment,
        decision_maker=decision_maker,
        maker_role=(maker_role.strip() or maker_role_for(incident, decision_maker))[:120],
        decision=decision.strip(),
        rationale=rationale.strip(),
        options_considered=options_considered.strip(),
        information=information.strip(),
        risks=risks.strip(),
        review_by=review_by,
        informed=informed.strip(),
        recorded_by=actor,
        corrects=corrects,
    )
    summary = _("Decision %(n)s recorded: %(text)s") % {"n": entry.sequence, "text": entry.decision[:200]}
    if corrects is not None:
        summary = _("Decision %(n)s recorded, correcting decision %(old)s") % {
            "n": entry.sequence,
            "old": corrects.sequence,
        }
    record(
        incident=incident,
        kind="decision_recorded",
        actor=actor,
        summary=summary,
        data={
            "decision": entry.pk,
            "sequence": entry.sequence,
            "decision_maker": decision_maker.pk,
            "corrects": corrects.sequence if corrects else None,
        },
    )
    return entry


# --- Risk register ----------------------------------------------------------------------------


def _check_risk(title: str, likelihood: int, impact: int) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Describe the risk.")
    if not 1 <= likelihood <= 5:
        errors["likelihood"] = _("Likelihood must be from 1 to 5.")
    if not 1 <= impact <= 5:
        errors["impact"] = _("Impact must be from 1 to 5.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_risk(
    *,
    incident: Incident,
    actor: User,
    title: str,
    likelihood: int,
    impact: int,
    owner: User | None = None,
    mitigations: str = "",
    review_on: date | None = None,
) -> Risk:
    _check_open(incident)
    _check_risk(title, likelihood, impact)
    risk = Risk.objects.create(
        incident=incident,
        title=title.strip(),
        likelihood=likelihood,
        impact=impact,
        owner=owner,
        mitigations=mitigations.strip(),
        review_on=review_on,
        created_by=actor,
        created_at=now(),
    )
    record(
        incident=incident,
        kind="risk_added",
        actor=actor,
        summary=_("Risk added: %(title)s (score %(score)s)")
        % {"title": risk.title[:200], "score": risk.score},
        data={"risk": risk.pk, "likelihood": likelihood, "impact": impact},
    )
    return risk


@transaction.atomic
def update_risk(
    *,
    risk: Risk,
    actor: User,
    expected_version: int | None,
    title: str,
    likelihood: int,
    impact: int,
    owner: User | None,
    mitigations: str,
    status: str,
    review_on: date | None,
) -> Risk:
    locked = Risk.objects.select_for_update().get(pk=risk.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_open(locked.incident)
    _check_risk(title, likelihood, impact)
    if status not in RiskStatus.values:
        raise ValidationError({"status": _("Choose open or closed.")})
    before = {"likelihood": locked.likelihood, "impact": locked.impact, "status": locked.status}
    locked.title = title.strip()
    locked.likelihood = likelihood
    locked.impact = impact
    locked.owner = owner
    locked.mitigations = mitigations.strip()
    locked.status = status
    locked.review_on = review_on
    locked.version += 1
    locked.save()
    record(
        incident=locked.incident,
        kind="risk_updated",
        actor=actor,
        summary=_("Risk updated: %(title)s (score %(score)s, %(status)s)")
        % {"title": locked.title[:200], "score": locked.score, "status": locked.get_status_display()},
        data={
            "risk": locked.pk,
            "before": before,
            "likelihood": likelihood,
            "impact": impact,
            "status": status,
        },
    )
    return locked


# --- Battle rhythm ----------------------------------------------------------------------------


@transaction.atomic
def add_rhythm_entry(
    *, incident: Incident, actor: User, kind: str, title: str, times: list[str], weekdays: list[int]
) -> RhythmEntry:
    from .rhythm import parse_times

    _check_open(incident)
    if kind not in RhythmKind.values:
        raise ValidationError({"kind": _("Choose what kind of meeting or deadline this is.")})
    if not title.strip():
        raise ValidationError({"title": _("Enter a name, for example Silver meeting.")})
    try:
        parsed = parse_times(times)
    except ValueError:
        raise ValidationError(
            {"times": _("Enter times as HH:MM, separated by commas, for example 08:30, 16:30.")}
        ) from None
    if any(d not in range(7) for d in weekdays):
        raise ValidationError({"weekdays": _("Choose days of the week.")})
    entry = RhythmEntry.objects.create(
        incident=incident,
        kind=kind,
        title=title.strip(),
        times=[t.strftime("%H:%M") for t in parsed],
        weekdays=sorted(set(weekdays)),
        created_by=actor,
        created_at=now(),
    )
    record(
        incident=incident,
        kind="battle_rhythm_added",
        actor=actor,
        summary=_("Battle rhythm: %(title)s at %(times)s")
        % {"title": entry.title, "times": ", ".join(entry.times)},
        data={"entry": entry.pk, "times": entry.times, "weekdays": entry.weekdays},
    )
    return entry


@transaction.atomic
def mark_held(*, entry: RhythmEntry, actor: User, occurs_at: datetime) -> RhythmHeld:
    from .rhythm import occurrences

    valid = {o.at for o in occurrences([entry], occurs_at, occurs_at + timedelta(minutes=1))}
    if occurs_at not in valid:
        raise ValidationError(_("That is not a time this meeting falls due."))
    held, created = RhythmHeld.objects.get_or_create(
        entry=entry, occurs_at=occurs_at, defaults={"marked_by": actor, "marked_at": now()}
    )
    if created:
        record(
            incident=entry.incident,
            kind="battle_rhythm_held",
            actor=actor,
            summary=_("%(title)s marked as held") % {"title": entry.title},
            data={"entry": entry.pk, "occurs_at": occurs_at},
        )
    return held
