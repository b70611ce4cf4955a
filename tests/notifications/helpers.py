"""Reminders for the tests that send them through a real worker: overdue actions, the settings
that point a worker at the fake Notify, and waiting for the outcome."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.lib.time import now
from tests.conftest import World
from tests.support.fake_notify import API_KEY, FakeNotify

SMS_TEMPLATE_ID = "9d2f4a1e-3b5c-4e6f-8a7b-1c2d3e4f5a6b"
MOBILE = "07700900123"


def overdue_actions(w: World, count: int, first_position: int) -> None:
    """``count`` overdue actions owned by bronze, who has a mobile number."""
    owner = w.people["bronze"]
    owner.mobile_phone = MOBILE
    owner.save()
    checklist = w.incident_a.checklists.first()
    assert checklist is not None
    due = now() - timedelta(minutes=5)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=checklist,
            position=first_position + n,
            title=f"Action {n}",
            owner=owner,
            due_at=due,
            status=ItemStatus.IN_PROGRESS,
        )
        for n in range(count)
    )


def notify_env(notify: FakeNotify, **extra: str) -> dict[str, str]:
    """Settings for a worker that sends SMS through the fake Notify."""
    return {
        "NOTIFICATIONS_SMS_BACKEND": "notify",
        "NOTIFY_BASE_URL": notify.url,
        "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_SMS_TEMPLATE_ID": SMS_TEMPLATE_ID,
        "REMINDER_LEAD_MINUTES": "0",
        **extra,
    }


def wait_until(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}", pytrace=False)
