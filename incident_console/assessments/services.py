"""Every write to data-loss assessments. Keyword-only, atomic, and each records a timeline event.

Timeline summaries never carry the assessment's content: the timeline is seen by people who may
not see assessments.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from incident_console.accounts.models import Role
from incident_console.incidents.models import Incident
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.timeline.services import record

from . import clock as ico_clock
from .access import dp_roles, holds_role, incident_councils
from .models import (
    CONTENT_FIELDS,
    Article34Exception,
    Assessment,
    AssessmentState,
    AssessmentVersion,
    ControllerAwareness,
    DataCategory,
    Exfiltration,
    Nature,
    PeopleCategory,
    ReportDecision,
    SignOff,
    SignOffOutcome,
    SignOffRole,
    TellPeople,
)

if TYPE_CHECKING:
    from incident_console.accounts.models import Council, User

# More people or records than this is a typing mistake, not a breach estimate (the UK has about
# 70 million people; a council's systems hold far fewer records than a billion).
MAX_COUNT = 100_000_000

TEXT_FIELDS = (
    "systems_affected",
    "data_sets",
    "consequences",
    "measures_taken",
    "measures_proposed",
    "decision_reason",
    "tell_people_reason",
    "ico_reference",
    "late_reason",
)

BLANK_CONTENT: dict[str, Any] = {
    "nature": [],
    "systems_affected": "",
    "data_sets": "",
    "data_categories": [],
    "people_categories": [],
    "people_affected": None,
    "records_affected": None,
    "exfiltration": Exfiltration.ASSUMED,
    "likelihood": None,
    "severity": None,
    "consequences": "",
    "measures_taken": "",
    "measures_proposed": "",
    "dpo_advice": "",
    "report_decision": "",
    "decision_reason": "",
    "tell_people": "",
    "tell_people_exception": "",
    "tell_people_reason": "",
    "ico_reference": "",
    "ico_reported_at": None,
    "late_reason": "",
}


def awareness_of(incident: Incident, council_id: int) -> datetime | None:
    """When this controller council became aware: the incident's time for the host council, the
    recorded time for a connected council, None when that has not been recorded yet."""
    if council_id == incident.council_id:
        return incident.aware_at
    row = ControllerAwareness.objects.filter(incident=incident, council_id=council_id).first()
    return row.aware_at if row else None


def _choice_list(value: Any, allowed: list[str]) -> list[str] | None:
    if not isinstance(value, list | tuple) or any(v not in allowed for v in value):
        return None
    return [v for v in allowed if v in value]  # fixed order, no duplicates


def _count(value: Any, field: str, errors: dict[str, str]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = _("Enter a whole number.")
        return None
    if value < 0:
        errors[field] = _("The number cannot be negative.")
    elif value > MAX_COUNT:
        errors[field] = _("The number must be 100,000,000 or fewer: give your best estimate.")
    return value


def _score(value: Any, field: str, label: str, errors: dict[str, str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors[field] = _("%(label)s must be a whole number from 1 to 5.") % {"label": label}
        return None
    return value


def clean_content(
    *,
    data: dict[str, Any],
    previous: dict[str, Any],
    actor: User,
    council_id: int,
    aware_at: datetime | None,
) -> dict[str, Any]:
    """Check a whole version's content. Every problem is reported at once, per field."""
    errors: dict[str, str] = {}
    unknown = set(data) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    content = {**BLANK_CONTENT, **data}
    for name in TEXT_FIELDS:
        content[name] = str(content[name] or "").strip()

    for field, choices, message in (
        ("nature", Nature, _("Choose at least one: confidentiality, integrity or availability.")),
        ("data_categories", DataCategory, _("Choose categories from the list.")),
        ("people_categories", PeopleCategory, _("Choose categories from the list.")),
    ):
        cleaned = _choice_list(content[field], list(choices.values))
        if cleaned is None or (field == "nature" and not cleaned):
            errors[field] = str(message)
        else:
            content[field] = cleaned
    content["people_affected"] = _count(content["people_affected"], "people_affected", errors)
    content["records_affected"] = _count(content["records_affected"], "records_affected", errors)
    content["likelihood"] = _score(content["likelihood"], "likelihood", _("Likelihood"), errors)
    content["severity"] = _score(content["severity"], "severity", _("Severity"), errors)
    if content["exfiltration"] not in Exfiltration.values:
        errors["exfiltration"] = _("Choose confirmed, suspected or assumed.")

    for field in ("dpo_advice", "report_decision"):
        if content[field] not in ReportDecision.values:
            errors[field] = _("Choose one of the options.")
    if content["tell_people"] not in TellPeople.values:
        errors["tell_people"] = _("Choose one of the options.")
    if content["tell_people_exception"] not in Article34Exception.values:
        errors["tell_people_exception"] = _("Choose one of the options.")

    # Who may record what: the DPO advises, the SIRO (the controller) decides.
    if content["dpo_advice"] != previous.get("dpo_advice", "") and not holds_role(
        actor, council_id, Role.DPO
    ):
        errors["dpo_advice"] = _("Only the council's data protection officer can record the DPO's advice.")
    if content["report_decision"] != previous.get("report_decision", "") and not holds_role(
        actor, council_id, Role.SIRO
    ):
        errors["report_decision"] = _("Only the council's SIRO can record the decision to report or not.")

    decision, advice = content["report_decision"], content["dpo_advice"]
    if decision == ReportDecision.NOT_REPORTABLE and not content["decision_reason"]:
        errors["decision_reason"] = _("Give the reasons for deciding not to report to the ICO.")
    elif decision and advice and decision != advice and not content["decision_reason"]:
        errors["decision_reason"] = _("Give the reasons for deciding differently from the DPO's advice.")

    if content["tell_people"] == TellPeople.DO_NOT_TELL:
        if not content["tell_people_exception"]:
            errors["tell_people_exception"] = _("Say which exception you rely on for not telling people.")
        if not content["tell_people_reason"]:
            errors["tell_people_reason"] = _("Give the reasons for not telling the people affected.")

    reported_at = content["ico_reported_at"]
    if reported_at is not None and not isinstance(reported_at, datetime):
        errors["ico_reported_at"] = _("Enter the date and time it was reported.")
    elif reported_at is not None:
        if decision != ReportDecision.REPORT:
            errors["ico_reported_at"] = _(
                "The SIRO records the decision to report before the report is logged."
            )
        elif aware_at is not None and reported_at < aware_at:
            errors["ico_reported_at"] = _(
                "The report cannot be before the council became aware of the breach."
            )
        elif reported_at > now() + timedelta(minutes=5):
            errors["ico_reported_at"] = _("The report time cannot be in the future.")
        elif not content["ico_reference"]:
            errors["ico_reference"] = _("Enter the ICO case reference given when you reported.")
        elif (
            aware_at is not None and reported_at > ico_clock.deadline(aware_at) and not content["late_reason"]
        ):
            errors["late_reason"] = _("The report was more than 72 hours after awareness: give the reasons.")
    elif content["ico_reference"]:
        errors["ico_reported_at"] = _("Enter when it was reported, with the ICO case reference.")
    if errors:
        raise ValidationError(errors)
    return content


def _lock(assessment: Assessment, expected_version: int | None) -> Assessment:
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("incident", "current")
        .get(pk=assessment.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    return locked


def _check_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError(_("This incident is closed."))


def _add_version(
    *, assessment: Assessment, actor: User, content: dict[str, Any], change_note: str
) -> AssessmentVersion:
    number = (assessment.current.number + 1) if assessment.current else 1
    version = AssessmentVersion(
        assessment=assessment, number=number, author=actor, created_at=now(), change_note=change_note[:300]
    )
    for name in CONTENT_FIELDS:
        setattr(version, name, content[name])
    version.save()
    return version


@transaction.atomic
def create_assessment(
    *,
    incident: Incident,
    council: Council,
    actor: User,
    title: str,
    content: dict[str, Any],
    change_note: str = "",
) -> Assessment:
    _check_open(incident)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _('Give the assessment a title, for example "Case management servers".')
    if council.pk not in incident_councils(incident):
        errors["council"] = _("Choose a council that is part of this incident.")
    try:
        cleaned = clean_content(
            data=content,
            previous=BLANK_CONTENT,
            actor=actor,
            council_id=council.pk,
            aware_at=awareness_of(incident, council.pk),
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        cleaned = {}
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        incident=incident, council=council, title=title.strip()[:200], created_by=actor, created_at=now()
    )
    assessment.current = _add_version(
        assessment=assessment, actor=actor, content=cleaned, change_note=change_note or _("First version")
    )
    assessment.save(update_fields=["current", "updated_at"])
    record(
        incident=incident,
        kind="assessment_created",
        actor=actor,
        summary=_("Data-loss assessment %(id)s started (version 1)") % {"id": assessment.pk},
        data={"assessment": assessment.pk, "council": council.pk, "version": 1},
    )
    return assessment


@transaction.atomic
def new_version(
    *,
    assessment: Assessment,
    actor: User,
    expected_version: int | None,
    content: dict[str, Any],
    change_note: str = "",
    title: str | None = None,
) -> Assessment:
    """Save changed content as the next version. Sign-offs of earlier versions stay as they were
    and are shown as not covering this one; the assessment goes back to draft."""
    locked = _lock(assessment, expected_version)
    _check_open(locked.incident)
    assert locked.current is not None
    previous = locked.current.content()
    cleaned = clean_content(
        data=content,
        previous=previous,
        actor=actor,
        council_id=locked.council_id,
        aware_at=awareness_of(locked.incident, locked.council_id),
    )
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": _("Give the assessment a title.")})
        locked.title = title.strip()[:200]
    if all(cleaned[name] == previous[name] for name in CONTENT_FIELDS):
        if title is not None:
            locked.version += 1
            locked.save(update_fields=["title", "version", "updated_at"])
            return locked
        raise ValidationError(_("Nothing has changed, so no new version was saved."))
    locked.current = _add_version(assessment=locked, actor=actor, content=cleaned, change_note=change_note)
    was = locked.state
    locked.state = AssessmentState.DRAFT
    locked.version += 1
    locked.save(update_fields=["title", "current", "state", "version", "updated_at"])
    record(
        incident=locked.incident,
        kind="assessment_version_saved",
        actor=actor,
        summary=_("Data-loss assessment %(id)s: version %(n)s saved")
        % {"id": locked.pk, "n": locked.current.number},
        data={"assessment": locked.pk, "version": locked.current.number, "state_before": was},
    )
    _record_reporting_changes(locked, actor, previous, cleaned)
    return locked


def _record_reporting_changes(
    assessment: Assessment, actor: User, before: dict[str, Any], after: dict[str, Any]
) -> None:
    if after["report_decision"] != before["report_decision"] and after["report_decision"]:
        record(
            incident=assessment.incident,
            kind="assessment_decision",
            actor=actor,
            summary=_("Data-loss assessment %(id)s: decision recorded (%(decision)s)")
            % {"id": assessment.pk, "decision": ReportDecision(after["report_decision"]).label},
            data={"assessment": assessment.pk, "decision": after["report_decision"]},
        )
    if after["ico_reported_at"] and not before["ico_reported_at"]:
        record(
            incident=assessment.incident,
            kind="assessment_reported",
            actor=actor,
            summary=_("Data-loss assessment %(id)s: reported to the ICO") % {"id": assessment.pk},
            data={"assessment": assessment.pk, "reported_at": after["ico_reported_at"]},
        )


@transaction.atomic
def submit(*, assessment: Assessment, actor: User, expected_version: int | None = None) -> Assessment:
    locked = _lock(assessment, expected_version)
    _check_open(locked.incident)
    if locked.state not in (AssessmentState.DRAFT, AssessmentState.RETURNED):
        raise ValidationError(_("Only a draft or returned assessment can be submitted."))
    locked.state = AssessmentState.SUBMITTED
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated_at"])
    record(
        incident=locked.incident,
        kind="assessment_submitted",
        actor=actor,
        summary=_("Data-loss assessment %(id)s: version %(n)s submitted for sign-off")
        % {"id": locked.pk, "n": locked.current.number if locked.current else 0},
        data={"assessment": locked.pk},
    )
    return locked


def required_roles(version: AssessmentVersion) -> list[str]:
    """The DPO always signs; the Caldicott guardian too where health or care data is involved."""
    roles = [SignOffRole.DPO.value]
    if version.involves_care_data:
        roles.append(SignOffRole.CALDICOTT.value)
    return roles


def _check_signer(locked: Assessment, actor: User, role: str) -> AssessmentVersion:
    if role not in SignOffRole.values:
        raise ValidationError({"role": _("Choose DPO, Caldicott guardian or SIRO.")})
    if not holds_role(actor, locked.council_id, role):
        raise ValidationError(
            {
                "role": _("You do not hold the %(role)s role in this council.")
                % {"role": SignOffRole(role).label}
            }
        )
    version = locked.current
    assert version is not None
    if version.author_id == actor.pk:
        raise ValidationError({"role": _("You wrote this version, so someone else must sign it off.")})
    if locked.state != AssessmentState.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be signed off or returned."))
    if role == SignOffRole.CALDICOTT and not version.involves_care_data:
        raise ValidationError(
            {"role": _("No health or care data is involved, so no Caldicott sign-off is needed.")}
        )
    if SignOff.objects.filter(version=version, role=role, outcome=SignOffOutcome.SIGNED).exists():
        raise ValidationError({"role": _("This version has already been signed off for that role.")})
    return version


@transaction.atomic
def sign_off(
    *,
    assessment: Assessment,
    actor: User,
    role: str,
    statement: str,
    expected_version: int | None = None,
) -> SignOff:
    locked = _lock(assessment, expected_version)
    _check_open(locked.incident)
    version = _check_signer(locked, actor, role)
    if not statement.strip():
        raise ValidationError({"statement": _("Write the statement you are signing.")})
    signed = SignOff.objects.create(
        version=version,
        role=role,
        outcome=SignOffOutcome.SIGNED,
        person=actor,
        signed_at=now(),
        statement=statement.strip(),
        content_hash=version.content_hash(),
    )
    have = set(
        SignOff.objects.filter(version=version, outcome=SignOffOutcome.SIGNED).values_list("role", flat=True)
    )
    if set(required_roles(version)) <= have:
        locked.state = AssessmentState.SIGNED_OFF
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated_at"])
    record(
        incident=locked.incident,
        kind="assessment_signed_off",
        actor=actor,
        summary=_("Data-loss assessment %(id)s: version %(n)s signed off by the %(role)s")
        % {"id": locked.pk, "n": version.number, "role": SignOffRole(role).label},
        data={
            "assessment": locked.pk,
            "version": version.number,
            "role": role,
            "sha256": signed.content_hash,
        },
    )
    return signed


@transaction.atomic
def return_assessment(
    *,
    assessment: Assessment,
    actor: User,
    role: str,
    statement: str,
    expected_version: int | None = None,
) -> SignOff:
    locked = _lock(assessment, expected_version)
    _check_open(locked.incident)
    version = _check_signer(locked, actor, role)
    if not statement.strip():
        raise ValidationError({"statement": _("Write your comments, so the author knows what to change.")})
    returned = SignOff.objects.create(
        version=version,
        role=role,
        outcome=SignOffOutcome.RETURNED,
        person=actor,
        signed_at=now(),
        statement=statement.strip(),
        content_hash=version.content_hash(),
    )
    locked.state = AssessmentState.RETURNED
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated_at"])
    record(
        incident=locked.incident,
        kind="assessment_returned",
        actor=actor,
        summary=_("Data-loss assessment %(id)s: version %(n)s returned with comments by the %(role)s")
        % {"id": locked.pk, "n": version.number, "role": SignOffRole(role).label},
        data={"assessment": locked.pk, "version": version.number, "role": role},
    )
    return returned


def may_record_awareness(actor: User, incident: Incident) -> bool:
    """The host council's DPO, Caldicott guardian, SIRO or admin records telling a connected council."""
    return bool(dp_roles(actor, incident.council_id)) or holds_role(
        actor, incident.council_id, Role.COUNCIL_ADMIN
    )


@transaction.atomic
def record_awareness(
    *, incident: Incident, council: Council, actor: User, told_at: datetime, aware_at: datetime | None = None
) -> ControllerAwareness:
    """The host council records when it told a connected council; that council's clock starts at
    its own awareness (by default, when it was told)."""
    Incident.objects.select_for_update().only("id").get(pk=incident.pk)
    aware_at = aware_at or told_at
    errors: dict[str, str] = {}
    if council.pk == incident.council_id or council.pk not in incident_councils(incident):
        errors["council"] = _("Choose a connected council this incident is shared with.")
    if told_at < incident.aware_at:
        errors["told_at"] = _("The host council cannot have told them before it became aware itself.")
    elif told_at > now() + timedelta(minutes=5):
        errors["told_at"] = _("The time cannot be in the future.")
    if aware_at > now() + timedelta(minutes=5):
        errors["aware_at"] = _("The time cannot be in the future.")
    if not may_record_awareness(actor, incident):
        errors["council"] = _(
            "Only the host council's DPO, Caldicott guardian, SIRO or admin can record this."
        )
    if errors:
        raise ValidationError(errors)
    row, _created = ControllerAwareness.objects.update_or_create(
        incident=incident,
        council=council,
        defaults={"told_at": told_at, "aware_at": aware_at, "recorded_by": actor, "recorded_at": now()},
    )
    record(
        incident=incident,
        kind="controller_told",
        actor=actor,
        summary=_("%(council)s told of the breach; their 72-hour clock runs from their awareness")
        % {"council": council.name},
        data={"council": council.pk, "told_at": told_at, "aware_at": aware_at},
    )
    return row
