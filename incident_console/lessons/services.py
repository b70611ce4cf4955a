"""Writes for the lessons log and the handover from response to recovery."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from incident_console.incidents.models import Incident
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import london, now
from incident_console.timeline.services import record

from . import handover as snapshots
from .models import Lesson, LessonCategory, LessonStatus, RecoveryHandover

if TYPE_CHECKING:
    from incident_console.accounts.models import User


def _short(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _check_lesson(what_happened: str, learned: str, category: str) -> None:
    errors: dict[str, str] = {}
    if not what_happened.strip():
        errors["what_happened"] = _("Say what happened.")
    if not learned.strip():
        errors["learned"] = _("Say what we learned.")
    if category and category not in LessonCategory.values:
        errors["category"] = _("Choose a category from the list, or leave it blank.")
    if errors:
        raise ValidationError(errors)


def _check_status(status: str, reason: str) -> None:
    if status not in LessonStatus.values:
        raise ValidationError({"status": _("Choose the status of the lesson.")})
    if status == LessonStatus.NOT_TAKEN_FORWARD and not reason.strip():
        raise ValidationError({"reason": _("Say why the lesson is not being taken forward.")})


@transaction.atomic
def add_lesson(
    *,
    incident: Incident,
    actor: User,
    what_happened: str,
    learned: str,
    category: str = "",
    owner: User | None = None,
    action: str = "",
    action_due: date | None = None,
) -> Lesson:
    _check_lesson(what_happened, learned, category)
    stamp = now()
    lesson = Lesson.objects.create(
        incident=incident,
        council_id=incident.council_id,
        what_happened=what_happened.strip(),
        learned=learned.strip(),
        category=category,
        owner=owner,
        action=action.strip(),
        action_due=action_due,
        raised_by=actor,
        raised_at=stamp,
        updated_at=stamp,
    )
    record(
        incident=incident,
        kind="lesson_added",
        actor=actor,
        summary=_("Lesson logged: %(learned)s") % {"learned": _short(lesson.learned)},
        data={"lesson": lesson.pk, "category": category},
    )
    return lesson


def _locked(lesson: Lesson, expected_version: int | None) -> Lesson:
    locked = Lesson.objects.select_for_update(of=("self",)).select_related("incident").get(pk=lesson.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    return locked


def _set_status(locked: Lesson, status: str, reason: str) -> str:
    """Apply a status; returns the status before."""
    _check_status(status, reason)
    before = locked.status
    locked.status = status
    locked.reason = reason.strip() if status == LessonStatus.NOT_TAKEN_FORWARD else ""
    return before


def _status_summary(locked: Lesson, before: str) -> str:
    return _("Lesson now %(status)s (was %(before)s): %(learned)s") % {
        "status": locked.get_status_display(),
        "before": LessonStatus(before).label,
        "learned": _short(locked.learned),
    }


@transaction.atomic
def update_lesson(
    *,
    lesson: Lesson,
    actor: User,
    expected_version: int | None,
    what_happened: str,
    learned: str,
    category: str,
    owner: User | None,
    action: str,
    action_due: date | None,
    status: str,
    reason: str = "",
) -> Lesson:
    locked = _locked(lesson, expected_version)
    _check_lesson(what_happened, learned, category)
    before = _set_status(locked, status, reason)
    locked.what_happened = what_happened.strip()
    locked.learned = learned.strip()
    locked.category = category
    locked.owner = owner
    locked.action = action.strip()
    locked.action_due = action_due
    locked.version += 1
    locked.updated_at = now()
    locked.save()
    summary = (
        _status_summary(locked, before)
        if before != status
        else _("Lesson changed: %(learned)s") % {"learned": _short(locked.learned)}
    )
    record(
        incident=locked.incident,
        kind="lesson_updated",
        actor=actor,
        summary=summary,
        data={"lesson": locked.pk, "status": status, "before": before},
    )
    return locked


@transaction.atomic
def change_lesson_status(
    *, lesson: Lesson, actor: User, expected_version: int | None, status: str, reason: str = ""
) -> Lesson:
    locked = _locked(lesson, expected_version)
    before = _set_status(locked, status, reason)
    if before == status and status != LessonStatus.NOT_TAKEN_FORWARD:
        return locked
    locked.version += 1
    locked.updated_at = now()
    locked.save()
    record(
        incident=locked.incident,
        kind="lesson_status_changed",
        actor=actor,
        summary=_status_summary(locked, before),
        data={"lesson": locked.pk, "status": status, "before": before, "reason": locked.reason},
    )
    return locked


# --- Handover from response to recovery ----------------------------------------------------------


@transaction.atomic
def create_handover(*, incident: Incident, actor: User) -> RecoveryHandover:
    """Snapshot what is still open as the incident moves from response to recovery. Called by
    the incident's status change, in its transaction; every move into recovery makes a new one."""
    snapshot = snapshots.build_snapshot(incident)
    handover = RecoveryHandover.objects.create(
        incident=incident,
        council_id=incident.council_id,
        created_by=actor,
        created_at=now(),
        snapshot=snapshot,
        sha256=snapshots.digest(snapshot),
    )
    counts = {s["key"]: len(s["rows"]) for s in snapshot["sections"]}
    record(
        incident=incident,
        kind="recovery_handover_created",
        actor=actor,
        summary=_("Handover from response to recovery recorded: %(counts)s")
        % {"counts": ", ".join(f"{s['title']} {len(s['rows'])}" for s in snapshot["sections"])},
        data={"handover": handover.pk, "sha256": handover.sha256, "counts": counts},
    )
    return handover


def _locked_handover(handover: RecoveryHandover) -> RecoveryHandover:
    locked = (
        RecoveryHandover.objects.select_for_update(of=("self",))
        .select_related("incident", "acknowledged_by")
        .get(pk=handover.pk)
    )
    if locked.acknowledged_at is not None:
        assert locked.acknowledged_by is not None
        raise ValidationError(
            _("This handover was already taken on by %(name)s at %(at)s.")
            % {
                "name": locked.acknowledged_by.display_name,
                "at": f"{london(locked.acknowledged_at):%d/%m/%Y %H:%M}",
            }
        )
    newer = RecoveryHandover.objects.filter(incident_id=locked.incident_id, pk__gt=locked.pk).exists()
    if newer:
        raise ValidationError(_("A later handover replaces this one: take on the latest handover instead."))
    return locked


@transaction.atomic
def refresh_handover(*, handover: RecoveryHandover, actor: User) -> RecoveryHandover:
    """Take the snapshot again, before anyone has taken the handover on."""
    locked = _locked_handover(handover)
    snapshot = snapshots.build_snapshot(locked.incident)
    previous = locked.sha256
    locked.snapshot = snapshot
    locked.sha256 = snapshots.digest(snapshot)
    locked.refreshed_at = now()
    locked.save(update_fields=["snapshot", "sha256", "refreshed_at"])
    record(
        incident=locked.incident,
        kind="recovery_handover_refreshed",
        actor=actor,
        summary=_("Handover from response to recovery brought up to date"),
        data={"handover": locked.pk, "sha256": locked.sha256, "previous_sha256": previous},
    )
    return locked


@transaction.atomic
def acknowledge_handover(*, handover: RecoveryHandover, actor: User, note: str = "") -> RecoveryHandover:
    """The person taking over recovery takes the handover on. Once only."""
    locked = _locked_handover(handover)
    locked.acknowledged_by = actor
    locked.acknowledged_at = now()
    locked.acknowledgement_note = note.strip()
    locked.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note"])
    record(
        incident=locked.incident,
        kind="recovery_handover_acknowledged",
        actor=actor,
        summary=_("%(name)s took on the handover from response to recovery") % {"name": actor.display_name},
        data={"handover": locked.pk, "sha256": locked.sha256, "note": locked.acknowledgement_note},
    )
    return locked
