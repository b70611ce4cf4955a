"""Template helpers for rota pages."""

from __future__ import annotations

from datetime import datetime

from django import template

from incident_console.lib.time import LONDON

register = template.Library()


@register.filter
def london_input(value: datetime) -> str:
    """A datetime as the rota forms expect it: UK time, "2026-11-30 20:00" (for a URL)."""
    return value.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


@register.filter
def hours(value: float) -> str:
    return f"{value:.1f}"
