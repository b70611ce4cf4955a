"""Key contacts pages. Thin: parse, check access, call a service or selector, render."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incident_console.accounts.auth import signed_in_user
from incident_console.accounts.models import Council
from incident_console.incidents.access import AccessDenied
from incident_console.lib.choices import Classification, ContactCategory
from incident_console.lib.forms import Saving, saving
from incident_console.lib.time import london, now

from . import access, selectors, services
from .forms import ContactForm, EditContactForm, ImportForm
from .models import ContactAccess, PartnerContact, verify_days

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = (
    "category",
    "organisation",
    "role",
    "name",
    "phone",
    "out_of_band_phone",
    "email",
    "personal_email",
    "address",
    "notes",
    "is_spoc",
    "incident",
    "verified_at",
    "verified_by",
)

# The register holds personal phone numbers and emails (and, for some, families' addresses).
SENSITIVE = Classification.OFFICIAL_SENSITIVE
ACCESS_LOG_PAGE_SIZE = 50


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _time(value: datetime | None) -> str:
    return london(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _contact(request: HttpRequest, pk: int) -> PartnerContact:
    contact = (
        PartnerContact.objects.select_related("council", "incident", "verified_by").filter(pk=pk).first()
    )
    if contact is None or not (
        access.may_see(request.user, contact) or access.may_know_of(request.user, contact)
    ):
        raise Http404
    if not access.may_see(request.user, contact):
        raise AccessDenied("view_contact")
    return contact


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    councils = access.viewer_council_ids(request.user)
    if not access.may_open_register(request.user):
        raise AccessDenied("view_contacts")
    category = request.GET.get("category", "")
    contacts = selectors.register(request.user, category=category)
    at = now()
    rows = [(c, c.needs_checking(at)) for c in contacts]
    services.record_access(
        contacts=contacts, actor=signed_in_user(request), via=ContactAccess.Via.PAGE, what=_("Contacts list")
    )
    categories = list(ContactCategory.choices)
    if not access.sensitive_council_ids(request.user):
        categories = [c for c in categories if c[0] != ContactCategory.VULNERABLE_FAMILIES]
    return render(
        request,
        "contacts/list.html",
        {
            "rows": rows,
            "needs_checking": sum(1 for _c, flag in rows if flag),
            "council_spocs": selectors.council_spocs(councils),
            "categories": categories,
            "category": category,
            "verify_days": verify_days(),
            "may_add": bool(access.editor_council_ids(request.user)),
            "may_import": bool(access.admin_council_ids(request.user)),
            "may_read_log": bool(access.log_reader_council_ids(request.user)),
            "may_export_families": bool(access.sensitive_council_ids(request.user)),
            "editable": {c.pk for c in contacts if access.may_edit(request.user, c)},
            "nav": "contacts",
            "classification": SENSITIVE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    editor_ids = access.editor_council_ids(request.user)
    councils = list(Council.objects.filter(pk__in=editor_ids))
    if not councils:
        raise AccessDenied("add_contact")
    form = ContactForm(
        request.POST or None,
        councils=councils,
        sensitive_council_ids=access.sensitive_council_ids(request.user),
        admin_council_ids=access.admin_council_ids(request.user),
    )
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        council = data.pop("council", None) or form.single_council
        assert council is not None
        with saving(form) as outcome:
            services.add_contact(council=council, actor=signed_in_user(request), **data)
        if outcome.saved:
            messages.success(request, _("Contact added."))
            return HttpResponseRedirect(reverse("contacts:list"))
    return render(
        request,
        "contacts/form.html",
        {"form": form, "nav": "contacts", "classification": SENSITIVE},
        status=outcome.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if not access.may_edit(request.user, contact):
        raise AccessDenied("edit_contact")
    initial = {f: getattr(contact, f) for f in EditContactForm.base_fields}
    form = EditContactForm(request.POST or None, initial=initial)
    user = signed_in_user(request)
    outcome = Saving()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        with saving(form) as outcome:
            services.update_contact(contact=contact, actor=user, expected_version=version, **data)
        if outcome.saved:
            messages.success(request, _("Contact saved."))
            return HttpResponseRedirect(reverse("contacts:list"))
    # The page shows the person's details again (a first view, or a save refused): logged each time.
    services.record_access(contacts=[contact], actor=user, via=ContactAccess.Via.PAGE, what=_("Edit page"))
    return render(
        request,
        "contacts/edit.html",
        {"form": form, "contact": contact, "nav": "contacts", "classification": SENSITIVE},
        status=outcome.status,
    )


@login_required
@require_POST
def contact_verify(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if not access.may_edit(request.user, contact):
        raise AccessDenied("verify_contact")
    services.mark_verified(contact=contact, actor=signed_in_user(request))
    messages.success(request, _("Marked as checked today."))
    return HttpResponseRedirect(reverse("contacts:list"))


def _csv_response(filename: str, contacts: Iterable[PartnerContact]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for c in contacts:
        writer.writerow(
            safe_cell(v)
            for v in (
                c.category,
                c.organisation,
                c.role,
                c.name,
                c.phone,
                c.out_of_band_phone,
                c.email,
                c.personal_email,
                c.address,
                c.notes,
                "yes" if c.is_spoc else "no",
                c.incident.reference if c.incident else "",
                _time(c.verified_at),
                c.verified_by.display_name if c.verified_by else "",
            )
        )
    return response


@login_required
def contact_export(request: HttpRequest) -> HttpResponse:
    """The general export: every contact the person's admin councils hold, never vulnerable families."""
    councils = access.admin_council_ids(request.user)
    if not councils:
        raise AccessDenied("export_contacts")
    contacts = selectors.contacts_of(councils).order_by("council__name", "category", "organisation", "name")
    return _csv_response("key-contacts.csv", contacts)


@login_required
def families_export(request: HttpRequest) -> HttpResponse:
    """Vulnerable-family contacts for the people the sensitivity rule lets see them; every row is
    written to the access log."""
    councils = access.sensitive_council_ids(request.user)
    if not councils:
        raise AccessDenied("export_vulnerable_families")
    contacts = list(
        selectors.visible_to(request.user)
        .filter(category=ContactCategory.VULNERABLE_FAMILIES)
        .order_by("council__name", "organisation", "name")
    )
    services.record_access(
        contacts=contacts, actor=signed_in_user(request), via=ContactAccess.Via.EXPORT, what=_("CSV export")
    )
    return _csv_response("vulnerable-family-contacts.csv", contacts)


@login_required
@require_http_methods(["GET", "POST"])
def contact_import(request: HttpRequest) -> HttpResponse:
    council_ids = access.admin_council_ids(request.user)
    councils = list(Council.objects.filter(pk__in=council_ids))
    if not councils:
        raise AccessDenied("import_contacts")
    form = ImportForm(request.POST or None, request.FILES or None, councils=councils)
    report: list[services.RowError] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        council = form.cleaned_data.get("council") or form.single_council
        assert council is not None
        upload = form.cleaned_data["file"]
        try:
            header, rows = _read_csv(upload.read(), name=upload.name or "")
            made = services.import_contacts(
                council=council,
                actor=signed_in_user(request),
                header=header,
                rows=rows,
                allow_sensitive=council.pk in access.sensitive_council_ids(request.user),
            )
        except services.ImportRefused as refused:
            report = refused.errors
            status = 400
        else:
            messages.success(request, _("%(count)s contacts imported.") % {"count": len(made)})
            return HttpResponseRedirect(reverse("contacts:list"))
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "contacts/import.html",
        {"form": form, "report": report, "nav": "contacts", "classification": SENSITIVE},
        status=status,
    )


def _read_csv(raw: bytes, *, name: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of an uploaded file. A file the csv module cannot read (a cell longer
    than its limit, often from a quote that is never closed) is refused with the row it reached."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ["(not UTF-8)"], []
    reader = csv.reader(io.StringIO(text))
    try:
        rows = [r for r in reader if any(cell.strip() for cell in r)]
    except csv.Error as error:
        reason = _(
            "%(file)s could not be read as CSV at this row (%(reason)s). Check for a quote that is "
            "never closed or a cell that is far too long."
        ) % {"file": name or _("The file"), "reason": error}
        raise services.ImportRefused([services.RowError(max(reader.line_num, 1), "", reason)]) from error
    if not rows:
        return [], []
    # Cells the export protected against formulas come back as they were typed.
    body = [
        [cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell for cell in r]
        for r in rows[1:]
    ]
    return rows[0], body


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    councils = access.log_reader_council_ids(request.user)
    if not councils:
        raise AccessDenied("read_contact_access_log")
    page = Paginator(selectors.access_log(councils), ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contacts/access_log.html",
        {
            "entries": page.object_list,
            "page": page,
            "nav": "contacts",
            "classification": SENSITIVE,
        },
    )
