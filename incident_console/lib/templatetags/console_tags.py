"""Template filters shared by every page: `{% load console_tags %}`.

- ``widget_kind``: which GOV.UK pattern a bound form field needs (used by includes/field.html).
- ``govuk_widget``: render a bound field's own widget with GOV.UK classes and aria-describedby.
- ``tag_colour``: GOV.UK tag colour class for a status or severity value.
- ``london``: an aware datetime shown in Europe/London, e.g. "Tue 3 Nov 2026, 08:30 GMT".
- ``message_banners``: Django messages grouped for GOV.UK notification banners (base.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from django import forms, template
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.safestring import SafeString

from incident_console.lib.time import LONDON

register = template.Library()

# The GOV.UK class each kind of widget gets, and its error modifier.
_WIDGET_CLASSES: dict[str, tuple[str, str]] = {
    "input": ("govuk-input", "govuk-input--error"),
    "password": (
        "govuk-input govuk-password-input__input govuk-js-password-input-input",
        "govuk-input--error",
    ),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
}

_TAG_COLOURS: dict[str, str] = {
    # Checklist item status
    "not_started": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "done": "govuk-tag--green",
    "not_applicable": "govuk-tag--grey",
    # Incident status
    "declared": "govuk-tag--orange",
    "response": "govuk-tag--red",
    "recovery": "govuk-tag--yellow",
    "closed": "govuk-tag--grey",
    # Incident severity
    "low": "govuk-tag--green",
    "moderate": "govuk-tag--yellow",
    "high": "govuk-tag--orange",
    "critical": "govuk-tag--red",
}


@register.filter
def widget_kind(field: forms.BoundField) -> str:
    """One of: hidden, checkboxes, radios, checkbox, select, textarea, password, file, input."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    # CheckboxSelectMultiple is a RadioSelect subclass, so test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.filter
def govuk_widget(field: forms.BoundField, extra_classes: str = "") -> SafeString:
    """The field's own widget (so its type, format and attributes stay) with GOV.UK styling.

    ``extra_classes`` adds classes to the control, e.g. ``"govuk-input--width-10"``.
    """
    kind = widget_kind(field)
    base, error = _WIDGET_CLASSES.get(kind, ("", ""))
    widget_attrs = field.field.widget.attrs
    classes = [str(widget_attrs.get("class", "")), base, error if field.errors else "", extra_classes]
    attrs: dict[str, str | bool] = {"class": " ".join(c for c in classes if c)}
    described_by = [str(widget_attrs.get("aria-describedby", ""))]
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    if any(described_by):
        attrs["aria-describedby"] = " ".join(d for d in described_by if d)
    if kind == "password":
        attrs["spellcheck"] = "false"
        attrs["autocapitalize"] = "none"
        if "autocomplete" not in widget_attrs:
            attrs["autocomplete"] = "current-password"
    return field.as_widget(attrs=attrs)


@register.filter
def tag_colour(value: object) -> str:
    """GOV.UK tag colour class for a status or severity; empty (the default blue) if unknown."""
    return _TAG_COLOURS.get(str(value), "") if value is not None else ""


@register.filter
def london(value: datetime | date | None) -> str:
    """Show a datetime in Europe/London: "Tue 3 Nov 2026, 08:30 GMT" (BST in summer).

    Naive datetimes are taken to be UTC, as everything is stored in UTC. A plain date is shown
    without a time. Day and month names follow the active language.
    """
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return _day(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(LONDON)
    # The zone name comes from zoneinfo, not Django's "T", which leaves it blank for the
    # repeated hour when the clocks go back (01:00-01:59 is both BST and GMT that night).
    return f"{_day(local)}, {local.hour:02d}:{local.minute:02d} {local.tzname()}"


def _day(value: date) -> str:
    """Django's "D j M Y" in the active language, built directly: a page of actions shows a
    hundred dates, and parsing the format string each time costs more than the rest."""
    return f"{WEEKDAYS_ABBR[value.weekday()]} {value.day} {MONTHS_3[value.month].title()} {value.year:04d}"


@register.filter
def message_banners(messages: Iterable[Message]) -> list[dict[str, object]]:
    """Django messages grouped into GOV.UK notification banners: successes first, then the rest.

    One banner per group keeps landmark labels unique ("Success", "Important").
    """
    success = [m for m in messages if m.level == constants.SUCCESS]
    others = [m for m in messages if m.level != constants.SUCCESS]
    banners: list[dict[str, object]] = []
    if success:
        banners.append({"success": True, "messages": success})
    if others:
        banners.append({"success": False, "messages": others})
    return banners
