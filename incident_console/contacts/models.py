"""The key contacts register of a council: staff, providers and partners, vulnerable families,
community and voluntary groups, schools, and named people at Ofsted, the DfE and MHCLG.

A contact is council-wide, or added for one incident. Single points of contact (SPOCs) go both
ways: a staff contact marked SPOC is the council's own SPOC that partners call; a partner contact
marked SPOC is the named contact at that organisation. Vulnerable-family contacts are personal
data seen only by social care (see access.py); every view of one is kept in ContactAccess.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incident_console.lib.choices import ContactCategory

SENSITIVE_CATEGORIES = frozenset({ContactCategory.VULNERABLE_FAMILIES})


def verify_days() -> int:
    return int(getattr(settings, "CONTACT_VERIFY_DAYS", 90))


class PartnerContact(models.Model):
    """One entry of the key contacts register."""

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="partner_contacts")
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text=_("Blank for the council-wide register; set for a contact added for one incident."),
    )
    category = models.CharField(
        _("category"),
        max_length=30,
        choices=ContactCategory.choices,
        default=ContactCategory.PROVIDERS_PARTNERS,
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("primary phone"), max_length=40, blank=True)
    out_of_band_phone = models.CharField(_("out-of-band phone"), max_length=40, blank=True)
    email = models.EmailField(_("work email"), blank=True)
    personal_email = models.EmailField(_("personal email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_spoc = models.BooleanField(_("single point of contact"), default=False)
    verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-is_spoc", "name"]
        indexes = [models.Index(fields=["council", "category"], name="contact_council_category")]

    def __str__(self) -> str:
        return f"{self.name}, {self.role} ({self.organisation})"

    @property
    def is_sensitive(self) -> bool:
        return self.category in SENSITIVE_CATEGORIES

    @property
    def is_council_spoc(self) -> bool:
        """The council's own single point of contact, the one partners call."""
        return self.is_spoc and self.category == ContactCategory.STAFF

    def needs_checking(self, at: datetime) -> bool:
        """Not verified within CONTACT_VERIFY_DAYS (never verified counts from when it was added)."""
        since = self.verified_at or self.created_at
        return at - since > timedelta(days=verify_days())


class ContactAccess(models.Model):
    """Who viewed a vulnerable-family contact, how and when. Never edited; read by the DPO and
    the Caldicott guardian."""

    class Via(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")
        EXPORT = "export", _("Export")

    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(PartnerContact, on_delete=models.PROTECT, related_name="accesses")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(_("how"), max_length=10, choices=Via.choices)
    what = models.CharField(_("what"), max_length=200)
    occurred_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["council", "-occurred_at"], name="contact_access_recent")]

    def __str__(self) -> str:
        return f"{self.actor} {self.via} {self.contact_id} {self.occurred_at:%Y-%m-%d %H:%M}"
