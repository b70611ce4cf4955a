"""The exercise incident's safeguarding register, from fixtures/demo.yaml. Everything goes through
the services, so the timeline is real.

Dates are relative to today (London): ``start_days_ago`` for the date the clock started, or
``due_on: thursday`` for a court deadline on the coming Thursday (today if it is Thursday).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from incident_console.accounts.models import User
from incident_console.incidents.models import Incident
from incident_console.lib.time import london, now

from .services import add_deadline

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _coming(weekday: str, today: date) -> date:
    return today + timedelta(days=(WEEKDAYS.index(weekday) - today.weekday()) % 7)


def load_safeguarding_demo(
    *, incident: Incident, people: dict[str, User], spec: list[dict[str, Any]]
) -> None:
    today = london(now()).date()
    for row in spec:
        add_deadline(
            incident=incident,
            actor=people[row["added_by"]],
            kind=row["kind"],
            case_reference=row["case_reference"],
            start_date=today - timedelta(days=row["start_days_ago"]) if "start_days_ago" in row else None,
            due_on=_coming(row["due_on"], today) if row.get("due_on") else None,
            owner=people[row["owner"]] if row.get("owner") else None,
            note=row.get("note", ""),
        )
