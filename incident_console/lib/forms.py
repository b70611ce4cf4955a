"""Turning service errors into form errors."""

from django import forms
from django.core.exceptions import ValidationError


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
