"""Reads for the lessons log and recovery handovers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from incident_console.incidents.models import Incident

from .handover import column_label
from .models import Lesson, LessonCategory, LessonStatus, RecoveryHandover


def lessons_for(incident: Incident) -> QuerySet[Lesson]:
    return Lesson.objects.filter(incident=incident).select_related("owner", "raised_by")


def lesson_for(incident: Incident, pk: int) -> Lesson | None:
    return lessons_for(incident).filter(pk=pk).first()


def filtered_lessons(incident: Incident, *, status: str = "", category: str = "") -> QuerySet[Lesson]:
    """The log, narrowed by status and category when they are ones the log knows (anything else
    is ignored rather than an error)."""
    lessons = lessons_for(incident)
    if status in LessonStatus.values:
        lessons = lessons.filter(status=status)
    if category in LessonCategory.values:
        lessons = lessons.filter(category=category)
    return lessons


def handovers_for(incident: Incident) -> QuerySet[RecoveryHandover]:
    """Every handover of the incident, latest (the current one) first."""
    return RecoveryHandover.objects.filter(incident=incident).select_related("created_by", "acknowledged_by")


def handover_for(incident: Incident, pk: int) -> RecoveryHandover | None:
    return handovers_for(incident).filter(pk=pk).first()


def current_handover(incident: Incident) -> RecoveryHandover | None:
    return handovers_for(incident).first()


def sections(handover: RecoveryHandover) -> list[dict[str, Any]]:
    """The snapshot's sections for a page: title, column headings and rows of cells, whatever
    sections it holds."""
    shown: list[dict[str, Any]] = []
    for section in handover.snapshot.get("sections", []):
        rows: list[dict[str, Any]] = section.get("rows", [])
        keys: list[str] = list(rows[0]) if rows else []
        shown.append(
            {
                "key": section.get("key", ""),
                "title": section.get("title", ""),
                "headings": [column_label(k) for k in keys],
                "rows": [[row.get(k, "") for k in keys] for row in rows],
            }
        )
    return shown
