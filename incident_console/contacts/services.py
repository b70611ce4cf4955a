"""Writes for the key contacts register.

Per-incident contacts write timeline events. Council-wide contacts have no incident: their
changes go to the council's audit log (accounts.audit), which council admins read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from incident_console.accounts import audit
from incident_console.lib.choices import ContactCategory
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.timeline.services import record

from .models import ContactAccess, PartnerContact
from .validation import check_contact

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from incident_console.accounts.models import Council, User
    from incident_console.incidents.models import Incident

TEXT_FIELDS = (
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
)


def _clean(fields: dict[str, Any]) -> dict[str, str]:
    return {k: str(fields.get(k) or "").strip() for k in TEXT_FIELDS}


def _log(contact: PartnerContact, *, actor: User, kind: str, summary: str, data: dict[str, Any]) -> None:
    """A timeline event for a per-incident contact; the council audit log for a council-wide one.
    Vulnerable-family contacts are named by id only, so the logs carry no personal data."""
    data = {"contact": contact.pk, "category": contact.category, **data}
    if contact.incident is not None:
        record(incident=contact.incident, kind=kind, actor=actor, summary=summary, data=data)
    else:
        audit.record(council=contact.council, actor=actor, kind=kind, summary=summary, data=data)


def _label(contact: PartnerContact) -> str:
    if contact.is_sensitive:
        return _("a vulnerable-family contact (no. %(id)s)") % {"id": contact.pk}
    return f"{contact.name[:100]} ({contact.organisation[:100]})"


@transaction.atomic
def add_contact(
    *,
    council: Council,
    actor: User,
    organisation: str,
    role: str,
    name: str,
    phone: str = "",
    email: str = "",
    is_spoc: bool = False,
    category: str = ContactCategory.PROVIDERS_PARTNERS,
    incident: Incident | None = None,
    out_of_band_phone: str = "",
    personal_email: str = "",
    address: str = "",
    notes: str = "",
) -> PartnerContact:
    fields = _clean(locals())
    errors = check_contact(fields)
    if incident is not None and incident.council_id != council.pk:
        errors["incident"] = _("Choose an incident of this council.")
    if errors:
        raise ValidationError(errors)
    contact = PartnerContact.objects.create(
        council=council, incident=incident, is_spoc=is_spoc, created_at=now(), **fields
    )
    _log(
        contact,
        actor=actor,
        kind="contact_added",
        summary=_("Contact added: %(who)s") % {"who": _label(contact)},
        data={"spoc": is_spoc},
    )
    return contact


@transaction.atomic
def update_contact(
    *, contact: PartnerContact, actor: User, expected_version: int | None, is_spoc: bool, **fields: str
) -> PartnerContact:
    locked = PartnerContact.objects.select_for_update().get(pk=contact.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(current_version=locked.version)
    # The category stays: moving a contact in or out of vulnerable families is a new contact.
    cleaned = _clean({**fields, "category": locked.category})
    errors = check_contact(cleaned)
    if errors:
        raise ValidationError(errors)
    changed = sorted(k for k, v in cleaned.items() if getattr(locked, k) != v)
    if locked.is_spoc != is_spoc:
        changed.append("is_spoc")
    for key, value in cleaned.items():
        setattr(locked, key, value)
    locked.is_spoc = is_spoc
    locked.version += 1
    locked.updated_at = now()
    locked.save()
    locked.incident = contact.incident
    _log(
        locked,
        actor=actor,
        kind="contact_updated",
        summary=_("Contact updated: %(who)s") % {"who": _label(locked)},
        data={"changed": changed},
    )
    return locked


@transaction.atomic
def mark_verified(*, contact: PartnerContact, actor: User) -> PartnerContact:
    locked = PartnerContact.objects.select_for_update().get(pk=contact.pk)
    locked.verified_at = now()
    locked.verified_by = actor
    locked.version += 1
    locked.save(update_fields=["verified_at", "verified_by", "version"])
    locked.incident = contact.incident
    _log(
        locked,
        actor=actor,
        kind="contact_verified",
        summary=_("Contact details checked: %(who)s") % {"who": _label(locked)},
        data={},
    )
    return locked


def record_access(*, contacts: Iterable[PartnerContact], actor: User, via: str, what: str) -> int:
    """Log every view of a vulnerable-family contact among ``contacts``; returns how many rows."""
    stamp = now()
    rows = [
        ContactAccess(
            council_id=c.council_id, contact=c, actor=actor, via=via, what=what[:200], occurred_at=stamp
        )
        for c in contacts
        if c.is_sensitive
    ]
    ContactAccess.objects.bulk_create(rows)
    return len(rows)


# --- CSV import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # the line of the file (the header is row 1)
    column: str
    reason: str


class ImportRefused(Exception):
    """Some rows are bad; nothing was imported."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} problems")


IMPORT_COLUMNS = ("category", *TEXT_FIELDS[1:], "is_spoc")
# Columns the export adds that the register sets itself: accepted in an import and ignored, so an
# exported file imports back unchanged.
EXPORT_ONLY_COLUMNS = ("incident", "verified_at", "verified_by")
REQUIRED_COLUMNS = ("organisation", "role", "name")
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


def check_rows(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, allow_sensitive: bool
) -> list[RowError]:
    errors: list[RowError] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in IMPORT_COLUMNS and c not in EXPORT_ONLY_COLUMNS]
    for column in missing:
        errors.append(RowError(1, column, _("This column is missing.")))
    for column in unknown:
        errors.append(RowError(1, column, _("This column is not one the register knows.")))
    if errors:
        return errors
    if not rows:
        return [RowError(1, "", _("The file has no contacts in it."))]
    categories = {str(label).lower(): value for value, label in ContactCategory.choices}
    for number, values in enumerate(rows, start=2):
        if len(values) != len(header):
            errors.append(
                RowError(number, "", _("This row has a different number of cells from the header."))
            )
            continue
        fields = dict(zip(header, (v.strip() for v in values), strict=True))
        raw_category = fields.get("category", "") or ContactCategory.PROVIDERS_PARTNERS
        fields["category"] = categories.get(raw_category.lower(), raw_category)
        if fields["category"] == ContactCategory.VULNERABLE_FAMILIES and not allow_sensitive:
            errors.append(
                RowError(number, "category", _("Only social care can import vulnerable-family contacts."))
            )
        if fields.get("is_spoc", "").lower() not in TRUE_WORDS | FALSE_WORDS:
            errors.append(RowError(number, "is_spoc", _("Write yes or no.")))
        for column, reason in check_contact(fields).items():
            errors.append(RowError(number, column, reason))
    return errors


@transaction.atomic
def import_contacts(
    *,
    council: Council,
    actor: User,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    allow_sensitive: bool,
) -> list[PartnerContact]:
    """All or nothing: every row is checked first; one bad row and nothing is imported. The
    export's own columns (``EXPORT_ONLY_COLUMNS``) are accepted and ignored."""
    header = [h.strip().lower() for h in header]
    errors = check_rows(header, rows, allow_sensitive=allow_sensitive)
    if errors:
        raise ImportRefused(errors)
    categories = {str(label).lower(): value for value, label in ContactCategory.choices}
    stamp = now()
    made = []
    for values in rows:
        fields = dict(zip(header, (v.strip() for v in values), strict=True))
        raw = fields.pop("category", "") or ContactCategory.PROVIDERS_PARTNERS
        spoc = fields.pop("is_spoc", "").lower() in TRUE_WORDS
        made.append(
            PartnerContact(
                council=council,
                category=categories.get(raw.lower(), raw),
                is_spoc=spoc,
                created_at=stamp,
                **{k: fields.get(k, "") for k in TEXT_FIELDS[1:]},
            )
        )
    PartnerContact.objects.bulk_create(made)
    audit.record(
        council=council,
        actor=actor,
        kind="contacts_imported",
        summary=_("%(count)s contacts imported from a CSV file") % {"count": len(made)},
        data={"count": len(made)},
    )
    return made
