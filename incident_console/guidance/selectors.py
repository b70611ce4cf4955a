"""Reads of modules and checklists, with progress counted in the database."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from incident_console.lib.time import now
from incident_console.timeline.models import TimelineEvent

from .models import Checklist, ChecklistItem, GuidanceModule, ItemStatus, ModuleVersion, ProgressNote

OPEN_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)


def _with_progress(qs: QuerySet[Checklist]) -> QuerySet[Checklist]:
    return qs.select_related("module", "module_version").annotate(
        items_total=Count("items"),
        items_done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
        items_not_applicable=Count("items", filter=Q(items__status=ItemStatus.NOT_APPLICABLE)),
        items_overdue=Count("items", filter=Q(items__status__in=OPEN_STATUSES, items__due_at__lt=now())),
    )


def checklists_with_progress(incident_id: int, *, with_items: bool = True) -> QuerySet[Checklist]:
    qs = _with_progress(Checklist.objects.filter(incident_id=incident_id)).order_by("module__title")
    if with_items:
        qs = qs.prefetch_related(
            Prefetch("items", queryset=ChecklistItem.objects.select_related("owner").order_by("position"))
        )
    return qs


def checklist_progress(checklist_id: int) -> Checklist:
    return _with_progress(Checklist.objects.filter(pk=checklist_id)).get()


def item_for_page(item_id: int) -> ChecklistItem | None:
    return (
        ChecklistItem.objects.select_related(
            "checklist__incident__council",
            "checklist__module",
            "checklist__module_version",
            "owner",
            "strategic_action",
        )
        .prefetch_related(Prefetch("notes", queryset=ProgressNote.objects.select_related("author")))
        .filter(pk=item_id)
        .first()
    )


def item_history(item: ChecklistItem) -> QuerySet[TimelineEvent]:
    return (
        TimelineEvent.objects.filter(incident_id=item.checklist.incident_id, data__item=item.pk)
        .select_related("actor")
        .order_by("-sequence")
    )


def modules_with_versions() -> QuerySet[GuidanceModule]:
    return GuidanceModule.objects.select_related("current_version").annotate(
        version_count=Count("versions"),
        action_count=Count(
            "current_version__actions",
        ),
    )


def module_version(version_id: int) -> ModuleVersion | None:
    return (
        ModuleVersion.objects.select_related("module")
        .prefetch_related("actions")
        .filter(pk=version_id)
        .first()
    )


def unapplied_modules(incident_id: int) -> QuerySet[GuidanceModule]:
    applied = Checklist.objects.filter(incident_id=incident_id).values("module_id")
    return GuidanceModule.objects.filter(current_version__isnull=False).exclude(pk__in=applied)
