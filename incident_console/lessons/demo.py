"""The exercise incidents' lessons from fixtures/demo.yaml. Everything goes through the services,
so the timeline is real."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from incident_console.accounts.models import User
from incident_console.incidents.models import Incident
from incident_console.lib.time import london, now

from .services import add_lesson, change_lesson_status


def load_lessons_demo(*, incident: Incident, people: dict[str, User], spec: list[dict[str, Any]]) -> None:
    for row in spec:
        due = row.get("action_due_days")
        lesson = add_lesson(
            incident=incident,
            actor=people[row["raised_by"]],
            what_happened=row["what_happened"],
            learned=row["learned"],
            category=row.get("category", ""),
            owner=people[row["owner"]] if row.get("owner") else None,
            action=row.get("action", ""),
            action_due=london(now()).date() + timedelta(days=due) if due is not None else None,
        )
        if row.get("status"):
            change_lesson_status(
                lesson=lesson,
                actor=people[row["raised_by"]],
                expected_version=lesson.version,
                status=row["status"],
                reason=row.get("reason", ""),
            )
