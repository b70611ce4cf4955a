"""Turning service errors into form errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import StaleEditError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: field errors to fields the form has, the rest
    to the top of the form, so nothing the person needs to read is lost."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@dataclass
class Saving:
    """How a save went: ``saved`` once the service returned; ``status`` is 409 after a stale edit."""

    saved: bool = False
    status: int = 200


@contextmanager
def saving(form: forms.Form) -> Iterator[Saving]:
    """Run a service call for a form: a stale edit becomes a message at the top of the form and a
    409, a ValidationError becomes field messages. What the person typed stays on the form.

        with saving(form) as outcome:
            services.update_risk(...)
        if outcome.saved:
            return redirect(...)
    """
    outcome = Saving()
    try:
        yield outcome
    except StaleEditError as error:
        form.add_error(None, str(error))
        outcome.status = 409
    except ValidationError as error:
        add_service_errors(form, error)
    else:
        outcome.saved = True


class DateField(forms.DateField):
    """A date picked in the browser's date control, or typed as 27/11/2026 where there is none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault("error_messages", {"invalid": _("Enter a date, for example 27/11/2026")})
        super().__init__(**kwargs)
