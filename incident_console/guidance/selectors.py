"""Reads of modules and checklists, with progress counted in the database."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from incident_console.lib.time import now
from incident_console.timeline.models import TimelineEvent

from .models import Checklist, ChecklistItem, GuidanceModule, ItemStatus, ModuleVersion, ProgressNote

OPEN_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)
CLOSED_STATUSES = (ItemStatus.DONE, ItemStatus.NOT_APPLICABLE)
# Open actions shown under each module on the incident page; the checklist page lists them all.
OPEN_PREVIEW = 20
# Actions per page on a checklist page.
CHECKLIST_PAGE_SIZE = 50
# What a row of the task list reads: the action and its owner's name (not the whole person).
ROW_FIELDS = (
    "checklist",
    "position",
    "title",
    "status",
    "due_at",
    "suggested_tier",
    "strategic_action",
    "version",
    "owner__full_name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)
# What a checklist page can show, by the ``show`` query parameter.
SHOW_FILTERS: dict[str, tuple[str, ...]] = {"open": OPEN_STATUSES, "completed": CLOSED_STATUSES}


def _with_progress(qs: QuerySet[Checklist]) -> QuerySet[Checklist]:
    # The module version's number and dates, not its whole guidance document.
    return (
        qs.select_related("module", "module_version")
        .defer("module_version__document")
        .annotate(
            items_total=Count("items"),
            items_done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
            items_not_applicable=Count("items", filter=Q(items__status=ItemStatus.NOT_APPLICABLE)),
            items_open=Count("items", filter=Q(items__status__in=OPEN_STATUSES)),
            items_overdue=Count("items", filter=Q(items__status__in=OPEN_STATUSES, items__due_at__lt=now())),
        )
    )


def checklists_with_progress(incident_id: int, *, with_items: bool = True) -> QuerySet[Checklist]:
    """Each checklist of the incident with its counts and, with ``with_items``, the first
    ``OPEN_PREVIEW`` open actions in guidance order (as ``open_preview``): the incident page costs
    the same with ten actions or a thousand, and done ones are a click away on the checklist page."""
    qs = _with_progress(Checklist.objects.filter(incident_id=incident_id)).order_by("module__title")
    if with_items:
        open_items = (
            ChecklistItem.objects.filter(status__in=OPEN_STATUSES)
            .select_related("owner")
            .only(*ROW_FIELDS)
            .order_by("position", "pk")
        )
        preview = Prefetch("items", queryset=open_items[:OPEN_PREVIEW], to_attr="open_preview")
        qs = qs.prefetch_related(preview)
    return qs


def checklist_progress(checklist_id: int) -> Checklist:
    return _with_progress(Checklist.objects.filter(pk=checklist_id)).get()


def checklist_for_page(incident_id: int, checklist_id: int) -> Checklist | None:
    """One checklist of this incident with its counts; None if it belongs to another incident."""
    return _with_progress(Checklist.objects.filter(pk=checklist_id, incident_id=incident_id)).first()


def checklist_items(checklist: Checklist, show: str) -> QuerySet[ChecklistItem]:
    """The checklist's actions in guidance order, all of them or only those ``show`` names."""
    items = checklist.items.select_related("owner").only(*ROW_FIELDS).order_by("position", "pk")
    statuses = SHOW_FILTERS.get(show)
    return items.filter(status__in=statuses) if statuses else items


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
