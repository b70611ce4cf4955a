"""Every write to checklists: applying a module, updating items, adding items and notes.

Loading module files into the database lives in loading.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from incident_console.incidents.models import Incident
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.timeline.services import record

from .models import Checklist, ChecklistItem, GuidanceModule, ItemStatus, ProgressNote

if TYPE_CHECKING:
    from incident_console.accounts.models import User

_UNSET: Any = object()


@transaction.atomic
def apply_module(*, incident: Incident, module: GuidanceModule, actor: User | None) -> Checklist:
    """Make a checklist from the module's current version: one item per strategic action."""
    if not incident.is_open:
        raise ValidationError(_("Guidance cannot be applied to a closed incident."))
    version = module.current_version
    if version is None:
        raise ValidationError(_("The module %(title)s has no loaded version.") % {"title": module.title})
    if Checklist.objects.filter(incident=incident, module=module).exists():
        raise ValidationError(
            {"module": _("%(title)s is already applied to this incident.") % {"title": module.title}}
        )
    checklist = Checklist.objects.create(
        incident=incident, module=module, module_version=version, applied_at=now(), applied_by=actor
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                checklist=checklist,
                strategic_action=action,
                position=action.position,
                title=action.text,
                suggested_tier=action.default_tier,
                suggested_cell=action.default_cell,
                due_at=(
                    incident.declared_at + timedelta(hours=action.due_offset_hours)
                    if action.due_offset_hours is not None
                    else None
                ),
                created_by=actor,
            )
            for action in version.actions.order_by("position")
        ]
    )
    record(
        incident=incident,
        kind="module_applied",
        actor=actor,
        summary=_("Guidance applied: %(title)s (version %(number)s)")
        % {"title": module.title, "number": version.number},
        data={"module": module.slug, "version": version.number, "content_hash": version.content_hash},
    )
    return checklist


def apply_modules_for_services(*, incident: Incident, actor: User | None) -> list[Checklist]:
    """Apply every loaded module whose service the incident affects and that is not applied yet."""
    applied = set(incident.checklists.values_list("module_id", flat=True))
    modules = GuidanceModule.objects.filter(
        service__in=incident.services_affected, current_version__isnull=False
    ).exclude(pk__in=applied)
    return [apply_module(incident=incident, module=m, actor=actor) for m in modules]


def _lock_item(item: ChecklistItem, expected_version: int | None) -> ChecklistItem:
    locked = ChecklistItem.objects.select_for_update().select_related("checklist__incident").get(pk=item.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    return locked


@transaction.atomic
def update_item(
    *,
    item: ChecklistItem,
    actor: User,
    expected_version: int | None,
    status: str | None = None,
    not_applicable_reason: str | None = None,
    owner: User | None = _UNSET,
    due_at: datetime | None = _UNSET,
    note: str = "",
) -> ChecklistItem:
    """Change an item's status, owner or due time, and/or append a progress note.

    A stale `expected_version` raises StaleEditError; nothing is written.
    """
    locked = _lock_item(item, expected_version)
    incident = locked.checklist.incident
    if not incident.is_open:
        raise ValidationError(_("This incident is closed; its checklist can no longer change."))
    changes: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}

    new_status = status if status is not None else locked.status
    if new_status not in ItemStatus.values:
        errors["status"] = _("Choose a status.")
    reason = (
        not_applicable_reason if not_applicable_reason is not None else locked.not_applicable_reason
    ).strip()
    if new_status == ItemStatus.NOT_APPLICABLE and not reason:
        errors["not_applicable_reason"] = _("Say why this action does not apply.")
    if errors:
        raise ValidationError(errors)

    if new_status != locked.status:
        changes["status"] = {"from": locked.status, "to": new_status}
        locked.status = new_status
        locked.completed_at = now() if new_status == ItemStatus.DONE else None
    if new_status != ItemStatus.NOT_APPLICABLE:
        reason = ""
    if reason != locked.not_applicable_reason:
        changes["not_applicable_reason"] = {"from": locked.not_applicable_reason, "to": reason}
        locked.not_applicable_reason = reason
    if owner is not _UNSET and owner != locked.owner:
        changes["owner"] = {
            "from": locked.owner.display_name if locked.owner else None,
            "to": owner.display_name if owner else None,
        }
        locked.owner = owner
    if due_at is not _UNSET and due_at != locked.due_at:
        changes["due_at"] = {"from": locked.due_at, "to": due_at}
        locked.due_at = due_at

    note = note.strip()
    if not changes and not note:
        return locked
    if changes:
        locked.version += 1
        locked.updated_by = actor
        locked.save()
    if note:
        ProgressNote.objects.create(item=locked, author=actor, created_at=now(), text=note)
    record(
        incident=incident,
        kind="checklist_item_updated",
        actor=actor,
        summary=_describe_change(locked, changes, bool(note)),
        data={"item": locked.pk, "changes": changes, "note": note},
    )
    return locked


def _describe_change(item: ChecklistItem, changes: dict[str, Any], noted: bool) -> str:
    title = item.title if len(item.title) <= 80 else item.title[:77] + "…"
    if "status" in changes:
        return _("%(title)s: %(status)s") % {"title": title, "status": ItemStatus(item.status).label}
    if changes:
        return _("%(title)s: %(fields)s changed") % {"title": title, "fields": ", ".join(changes)}
    return _("%(title)s: progress note added") % {"title": title}


@transaction.atomic
def add_item(
    *,
    checklist: Checklist,
    actor: User,
    title: str,
    owner: User | None = None,
    due_at: datetime | None = None,
) -> ChecklistItem:
    """An incident lead's own action, added to a module's checklist."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Enter the action.")})
    incident = checklist.incident
    if not incident.is_open:
        raise ValidationError(_("This incident is closed; its checklist can no longer change."))
    last = checklist.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = ChecklistItem.objects.create(
        checklist=checklist,
        position=last + 1,
        title=title,
        owner=owner,
        due_at=due_at,
        created_by=actor,
        updated_by=actor,
    )
    record(
        incident=incident,
        kind="checklist_item_added",
        actor=actor,
        summary=_("Action added to %(module)s: %(title)s")
        % {"module": checklist.module.title, "title": title[:200]},
        data={"item": item.pk, "checklist": checklist.pk},
    )
    return item
