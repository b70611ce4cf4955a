"""Rota forms. Times are typed as Europe/London wall-clock time and turned into instants with the
resolver's rule (a time that does not exist means the moment the clocks went forward)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import Council, User

from .models import CoverKind
from .resolver import local_to_utc
from .services import PatternInput

SHIFT_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*(?:-|–|to)\s*(\d{1,2}):(\d{2})\s*$")  # noqa: RUF001


YEARS = range(2000, 2101)  # rotas outside these years are typing mistakes


def parse_local(text: str) -> datetime:
    """Text like 2026-11-30 20:00 (or with a T) as Europe/London; raises ValueError."""
    value = datetime.strptime(text.strip().replace("T", " "), "%Y-%m-%d %H:%M")
    if value.year not in YEARS:
        raise ValueError("year out of range")
    return local_to_utc(value.date(), value.time())


def parse_shifts(text: str) -> list[PatternInput]:
    found: list[PatternInput] = []
    for number, part in enumerate([p for p in re.split(r"[,\n;]", text) if p.strip()], start=1):
        match = SHIFT_RE.match(part)
        if not match:
            raise forms.ValidationError(
                _("Write each shift as start-end, for example 08:00-20:00. Shift %(n)s is not like that."),
                params={"n": number},
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise forms.ValidationError(
                _("Shift %(n)s has a time that is not on the clock."), params={"n": number}
            )
        start, end = time(h1, m1), time(h2, m2)
        found.append(PatternInput(f"{start:%H:%M}-{end:%H:%M}", start, end))
    if not found:
        raise forms.ValidationError(_("Enter at least one shift."))
    return found


class LocalDateTimeField(forms.CharField):
    default_error_messages = {
        "invalid": _("Enter a date and time like 2026-11-30 20:00."),
    }

    def clean(self, value: Any) -> datetime | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_local(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PeopleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def council_people(council: Council) -> Any:
    return (
        User.objects.filter(memberships__council=council, memberships__is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


class RotaForm(forms.Form):
    council = forms.ModelChoiceField(queryset=Council.objects.none(), label=_("Council"), empty_label=None)
    name = forms.CharField(
        label=_("Position"),
        max_length=200,
        help_text=_("For example Gold, or Emergency Duty Team."),
    )
    cover = forms.ChoiceField(label=_("Kind of cover"), choices=CoverKind.choices, widget=forms.RadioSelect)
    shifts = forms.CharField(
        label=_("Shifts"),
        help_text=_("Local time, separated by commas. For example 08:00-20:00, 20:00-08:00."),
        initial="08:00-20:00, 20:00-08:00",
    )
    anchor_date = forms.DateField(
        label=_("Rotation starts on"),
        help_text=_("For example 2026-11-30. The first person works the first shift of this date."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter a date like 2026-11-30.")},
    )

    def __init__(self, *args: Any, councils: list[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Council.objects.filter(pk__in=[c.pk for c in councils])
        if len(councils) == 1:
            field.initial = councils[0].pk
            field.widget = forms.HiddenInput()

    def clean_shifts(self) -> list[PatternInput]:
        return parse_shifts(self.cleaned_data["shifts"])


class OverrideForm(forms.Form):
    user = PeopleChoiceField(queryset=User.objects.none(), label=_("Who covers"), empty_label="")
    start = LocalDateTimeField(label=_("From"), help_text=_("UK time, for example 2026-11-30 20:00."))
    end = LocalDateTimeField(label=_("Until"), help_text=_("UK time, for example 2026-12-01 08:00."))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = council_people(council)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: username, order, backup (yes or no). The first row names the columns."),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 1_000_000:
            raise forms.ValidationError(_("The file must be smaller than 1 MB."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file must be a CSV saved as UTF-8.")) from None


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date like 2026-11-01.")},
    )
    end = forms.DateField(
        label=_("Until (not included)"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date like 2026-12-01.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in ("start", "end"):
            value = data.get(key)
            if isinstance(value, date) and value.year not in YEARS:
                self.add_error(key, _("Enter a date between 2000 and 2100."))
                data.pop(key, None)
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end <= start:
                self.add_error("end", _("The end must be after the start."))
            elif (end - start).days > 366:
                self.add_error("end", _("Choose a period of at most a year."))
        return data


class SwapForm(forms.Form):
    mine = forms.ChoiceField(label=_("Your shift"))
    theirs = forms.ChoiceField(label=_("Their shift"))

    def __init__(self, *args: Any, mine: list[tuple[str, str]], theirs: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["mine"].choices = mine  # type: ignore[attr-defined]
        self.fields["theirs"].choices = theirs  # type: ignore[attr-defined]
