"""Time helpers: everything is stored in UTC and shown in Europe/London."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    return timezone.now()


def london(value: datetime) -> datetime:
    return value.astimezone(LONDON)
