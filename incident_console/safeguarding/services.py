"""Writes for safeguarding critical timings: council timescales and the incident register.

Timeline events say what kind of item it is and when it is due, never the case reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from incident_console.accounts import audit
from incident_console.incidents.models import Incident
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import london, now
from incident_console.timeline.services import record

from .models import (
    CareService,
    Deadline,
    DeadlineStatus,
    Kind,
    Region,
    TimingPolicy,
    TimingRule,
    Unit,
)
from .working_days import due_date, due_instant

if TYPE_CHECKING:
    from incident_console.accounts.models import Council, User


@dataclass(frozen=True)
class Default:
    service: str
    amount: int | None
    unit: str
    start_label: str
    local_default: bool = False


# England, from Working Together to Safeguarding Children. Section 47 and section 42 enquiries have
# no national timescale: these are starting points for the council to check.
DEFAULTS: dict[str, Default] = {
    Kind.REFERRAL_DECISION: Default(CareService.CHILDREN, 1, Unit.WORKING_DAYS, "referral received"),
    Kind.SECTION_47: Default(CareService.CHILDREN, 15, Unit.WORKING_DAYS, "strategy discussion", True),
    Kind.ICPC: Default(CareService.CHILDREN, 15, Unit.WORKING_DAYS, "strategy discussion"),
    Kind.ASSESSMENT: Default(CareService.CHILDREN, 45, Unit.WORKING_DAYS, "referral received"),
    Kind.CARE_PROCEEDINGS: Default(CareService.CHILDREN, 26, Unit.WEEKS, "proceedings issued"),
    Kind.COURT_DEADLINE: Default(CareService.CHILDREN, None, Unit.SET_BY_COURT, "court order"),
    Kind.ADULT_ENQUIRY: Default(CareService.ADULTS, 28, Unit.WORKING_DAYS, "concern received", True),
}


def _day(value: datetime) -> str:
    local = london(value)
    return f"{local:%a} {local.day} {local:%b}"


def due_wording(value: datetime) -> str:
    """ "17:00 Thu 10 Dec": short enough for a text message."""
    return f"{london(value):%H:%M} {_day(value)}"


@transaction.atomic
def create_missing_rules(*, council: Council) -> TimingPolicy:
    """The council's policy and a rule for every kind, from the defaults where none exists yet."""
    stamp = now()
    policy, _created = TimingPolicy.objects.get_or_create(council=council, defaults={"updated_at": stamp})
    have = set(TimingRule.objects.filter(council=council).values_list("kind", flat=True))
    TimingRule.objects.bulk_create(
        [
            TimingRule(
                council=council,
                kind=kind,
                service=default.service,
                amount=default.amount,
                unit=default.unit,
                start_label=default.start_label,
                local_default=default.local_default,
                updated_at=stamp,
            )
            for kind, default in DEFAULTS.items()
            if kind not in have
        ],
        ignore_conflicts=True,
    )
    return policy


def _check_rule(kind: str, amount: int | None, unit: str, start_label: str) -> None:
    errors: dict[str, str] = {}
    if unit not in Unit.values:
        errors["unit"] = _("Choose how the time is counted.")
    elif kind == Kind.COURT_DEADLINE:
        if unit != Unit.SET_BY_COURT or amount is not None:
            errors["amount"] = _("The court sets court deadlines: leave the amount empty.")
    elif unit == Unit.SET_BY_COURT:
        errors["unit"] = _("Only court deadlines are set by the court. Choose days or weeks.")
    elif amount is None or amount < 1:
        errors["amount"] = _("Enter a whole number of 1 or more.")
    elif amount > 520:
        errors["amount"] = _("Enter a number up to 520.")
    if not start_label.strip():
        errors["start_label"] = _("Say what starts the clock, for example referral received.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_rule(
    *,
    rule: TimingRule,
    actor: User,
    expected_version: int | None,
    amount: int | None,
    unit: str,
    start_label: str,
) -> TimingRule:
    locked = TimingRule.objects.select_for_update().get(pk=rule.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    _check_rule(locked.kind, amount, unit, start_label)
    before = locked.timescale
    locked.amount = None if unit == Unit.SET_BY_COURT else amount
    locked.unit = unit
    locked.start_label = start_label.strip()
    locked.version += 1
    locked.updated_at = now()
    locked.updated_by = actor
    locked.save()
    audit.record(
        council=locked.council,
        actor=actor,
        kind="safeguarding_timescale_changed",
        summary=_("Safeguarding timescale for %(kind)s: %(timescale)s from %(event)s (was %(before)s)")
        % {
            "kind": locked.get_kind_display().lower(),
            "timescale": locked.timescale,
            "event": locked.start_label,
            "before": before,
        },
        data={"rule": locked.pk, "kind": locked.kind, "amount": locked.amount, "unit": locked.unit},
    )
    return locked


@transaction.atomic
def update_policy(
    *, policy: TimingPolicy, actor: User, expected_version: int | None, region: str, due_time: time
) -> TimingPolicy:
    locked = TimingPolicy.objects.select_for_update().get(pk=policy.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    if region not in Region.values:
        raise ValidationError({"region": _("Choose England or Wales.")})
    locked.region = region
    locked.due_time = due_time
    locked.version += 1
    locked.updated_at = now()
    locked.updated_by = actor
    locked.save()
    audit.record(
        council=locked.council,
        actor=actor,
        kind="safeguarding_working_days_changed",
        summary=_("Safeguarding items count the bank holidays of %(region)s and fall due at %(time)s")
        % {"region": locked.get_region_display(), "time": f"{due_time:%H:%M}"},
        data={"region": region, "due_time": f"{due_time:%H:%M}"},
    )
    return locked


@dataclass(frozen=True)
class Terms:
    """The timescale an item is worked out with (a rule, or an item's snapshot of one)."""

    amount: int | None
    unit: str
    start_label: str


def computed_due(*, terms: Terms, policy: TimingPolicy, start_date: date | None) -> datetime | None:
    """When the timescale says the item is due, or None when the court sets it."""
    if start_date is None:
        return None
    day = due_date(start_date, terms.amount, terms.unit, policy.region)
    return due_instant(day, policy.due_time) if day else None


def _policy_and_rule(council: Council, kind: str) -> tuple[TimingPolicy, TimingRule]:
    policy = TimingPolicy.objects.filter(council=council).first()
    rule = TimingRule.objects.filter(council=council, kind=kind).first()
    if policy is None or rule is None:
        policy = create_missing_rules(council=council)
        rule = TimingRule.objects.get(council=council, kind=kind)
    return policy, rule


def _work_out(
    *,
    kind: str,
    terms: Terms,
    policy: TimingPolicy,
    start_date: date | None,
    due_on: date | None,
    override_reason: str,
) -> tuple[datetime | None, datetime]:
    """(computed due, due) for the item, or the field errors that stop it."""
    errors: dict[str, str] = {}
    if start_date is not None and start_date > london(now()).date():
        errors["start_date"] = _("The date the clock started cannot be in the future.")
    computed = None if errors else computed_due(terms=terms, policy=policy, start_date=start_date)
    if terms.unit == Unit.SET_BY_COURT:
        if due_on is None:
            errors["due_on"] = _("Enter the date the court set.")
    elif start_date is None and "start_date" not in errors:
        errors["start_date"] = _("Enter the date the clock started (%(event)s).") % {
            "event": terms.start_label
        }
    due = due_instant(due_on, policy.due_time) if due_on else computed
    if (
        due is not None
        and computed is not None
        and due != computed
        and not override_reason.strip()
        and "due_on" not in errors
    ):
        errors["override_reason"] = _(
            "The timescale makes it due %(due)s. Say why it is due on a different date."
        ) % {"due": due_wording(computed)}
    if errors or due is None:
        raise ValidationError(errors or {"due_on": _("Enter the due date.")})
    return computed, due


def _item_errors(incident: Incident, kind: str, case_reference: str, owner: User | None) -> dict[str, str]:
    from .selectors import possible_owners

    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the kind of item.")})
    errors: dict[str, str] = {}
    if not case_reference.strip():
        errors["case_reference"] = _("Enter the local case reference.")
    if owner is not None and not possible_owners(incident).filter(pk=owner.pk).exists():
        errors["owner"] = _("Choose someone who may see the safeguarding register of this incident.")
    return errors


def _checked(
    errors: dict[str, str],
    *,
    kind: str,
    terms: Terms,
    policy: TimingPolicy,
    start_date: date | None,
    due_on: date | None,
    override_reason: str,
) -> tuple[datetime | None, datetime]:
    """Work the due date out; raise every field error at once."""
    try:
        worked = _work_out(
            kind=kind,
            terms=terms,
            policy=policy,
            start_date=start_date,
            due_on=due_on,
            override_reason=override_reason,
        )
    except ValidationError as error:
        raise ValidationError({**error.message_dict, **{k: [v] for k, v in errors.items()}}) from error
    if errors:
        raise ValidationError(errors)
    return worked


@transaction.atomic
def add_deadline(
    *,
    incident: Incident,
    actor: User,
    kind: str,
    case_reference: str,
    start_date: date | None = None,
    due_on: date | None = None,
    override_reason: str = "",
    owner: User | None = None,
    note: str = "",
) -> Deadline:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed."))
    errors = _item_errors(incident, kind, case_reference, owner)
    policy, rule = _policy_and_rule(incident.council, kind)
    terms = Terms(rule.amount, rule.unit, rule.start_label)
    computed, due = _checked(
        errors,
        kind=kind,
        terms=terms,
        policy=policy,
        start_date=start_date,
        due_on=due_on,
        override_reason=override_reason,
    )
    stamp = now()
    try:
        with transaction.atomic():
            deadline = Deadline.objects.create(
                incident=incident,
                council=incident.council,
                kind=kind,
                service=rule.service,
                case_reference=case_reference.strip(),
                start_date=start_date,
                rule_amount=rule.amount,
                rule_unit=rule.unit,
                rule_start_label=rule.start_label,
                computed_due_at=computed,
                due_at=due,
                override_reason=override_reason.strip() if computed and due != computed else "",
                owner=owner,
                note=note.strip(),
                created_by=actor,
                created_at=stamp,
                updated_at=stamp,
            )
    except IntegrityError as error:  # pragma: no cover - the checks above come first
        raise ValidationError(_("This item could not be saved. Check the dates.")) from error
    record(
        incident=incident,
        kind="safeguarding_deadline_added",
        actor=actor,
        summary=_("Safeguarding deadline %(number)s (%(kind)s) added, due %(due)s")
        % {"number": deadline.pk, "kind": deadline.get_kind_display().lower(), "due": _day(due)},
        data={"deadline": deadline.pk, "kind": kind, "due_at": due, "overridden": deadline.is_overridden},
    )
    return deadline


def _locked(deadline: Deadline, expected_version: int | None) -> Deadline:
    locked = Deadline.objects.select_for_update().select_related("incident__council").get(pk=deadline.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    if not locked.incident.is_open:
        raise ValidationError(_("This incident is closed."))
    return locked


@transaction.atomic
def update_deadline(
    *,
    deadline: Deadline,
    actor: User,
    expected_version: int | None,
    kind: str,
    case_reference: str,
    start_date: date | None,
    due_on: date | None,
    override_reason: str,
    owner: User | None,
    note: str,
) -> Deadline:
    """Change an open item. The due date is worked out again with the rule it was added with,
    unless its kind changes (then with the council's current rule for the new kind)."""
    locked = _locked(deadline, expected_version)
    if not locked.is_open:
        raise ValidationError(_("This item is complete and can no longer be changed."))
    errors = _item_errors(locked.incident, kind, case_reference, owner)
    policy, rule = _policy_and_rule(locked.incident.council, kind)
    if kind == locked.kind:
        terms = Terms(locked.rule_amount, locked.rule_unit, locked.rule_start_label)
        service = locked.service
    else:
        terms = Terms(rule.amount, rule.unit, rule.start_label)
        service = rule.service
    computed, due = _checked(
        errors,
        kind=kind,
        terms=terms,
        policy=policy,
        start_date=start_date,
        due_on=due_on,
        override_reason=override_reason,
    )
    before = locked.due_at
    locked.kind = kind
    locked.service = service
    locked.case_reference = case_reference.strip()
    locked.start_date = start_date
    locked.rule_amount, locked.rule_unit, locked.rule_start_label = (
        terms.amount,
        terms.unit,
        terms.start_label,
    )
    locked.computed_due_at = computed
    locked.due_at = due
    locked.override_reason = override_reason.strip() if computed and due != computed else ""
    locked.owner = owner
    locked.note = note.strip()
    locked.version += 1
    locked.updated_at = now()
    locked.save()
    summary = (
        _("Safeguarding deadline %(number)s (%(kind)s) now due %(due)s (was %(before)s)")
        if before != due
        else _("Safeguarding deadline %(number)s (%(kind)s) updated, due %(due)s")
    ) % {
        "number": locked.pk,
        "kind": locked.get_kind_display().lower(),
        "due": _day(due),
        "before": _day(before),
    }
    record(
        incident=locked.incident,
        kind="safeguarding_deadline_updated",
        actor=actor,
        summary=summary,
        data={"deadline": locked.pk, "kind": kind, "due_at": due, "before": before},
    )
    return locked


OUTCOMES = (DeadlineStatus.MET, DeadlineStatus.MISSED, DeadlineStatus.NOT_NEEDED)


@transaction.atomic
def complete_deadline(
    *,
    deadline: Deadline,
    actor: User,
    expected_version: int | None,
    outcome: str,
    completed_at: datetime | None = None,
    note: str = "",
) -> Deadline:
    """Close an item as met, missed or not needed. Met means done by the due time."""
    locked = _locked(deadline, expected_version)
    if not locked.is_open:
        raise ValidationError(_("This item is already complete."))
    stamp = now()
    when = completed_at or stamp
    errors: dict[str, str] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = _("Choose met, missed or not needed.")
    if when > stamp:
        errors["completed_at"] = _("The time it was done cannot be in the future.")
    elif outcome == DeadlineStatus.MET and when > locked.due_at:
        errors["outcome"] = _("It was done after the due time (%(due)s): record it as missed.") % {
            "due": due_wording(locked.due_at)
        }
    if errors:
        raise ValidationError(errors)
    locked.status = outcome
    locked.completed_at = when
    if note.strip():
        locked.note = f"{locked.note}\n{note.strip()}".strip()
    locked.version += 1
    locked.updated_at = stamp
    locked.save()
    record(
        incident=locked.incident,
        kind="safeguarding_deadline_completed",
        actor=actor,
        summary=_("Safeguarding deadline %(number)s (%(kind)s), due %(due)s: %(outcome)s")
        % {
            "number": locked.pk,
            "kind": locked.get_kind_display().lower(),
            "due": _day(locked.due_at),
            "outcome": locked.get_status_display().lower(),
        },
        data={"deadline": locked.pk, "kind": locked.kind, "status": outcome, "completed_at": when},
    )
    return locked
