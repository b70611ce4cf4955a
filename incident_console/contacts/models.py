"""Partner contacts of a council: who to send sitreps to. The start of the key contacts register."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerContact(models.Model):
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="partner_contacts")
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_spoc = models.BooleanField(_("single point of contact"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organisation", "-is_spoc", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role} ({self.organisation})"
