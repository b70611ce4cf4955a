"""Filters for PDF templates, which see only a JSON snapshot (strings, not datetimes)."""

from __future__ import annotations

from datetime import datetime

from django import template

from incident_console.lib.templatetags.console_tags import london

register = template.Library()


@register.filter
def iso_london(value: str | None) -> str:
    """An ISO 8601 timestamp from a snapshot, shown in Europe/London."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return london(parsed)
