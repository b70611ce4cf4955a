"""Rotas: who holds a position (Gold, a Silver cell, the Emergency Duty Team) around the clock.

Patterns are wall-clock times in Europe/London; overrides and swaps are instants (UTC). The
resolver (resolver.py) turns them into shifts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incident_console.accounts.models import Council


class CoverKind(models.TextChoices):
    ON_SHIFT = "on_shift", _("On shift")
    STANDBY = "standby", _("Standby (on call)")


class RotaSettings(models.Model):
    """A council's choices for rotas."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="rota_settings")
    standby_is_working_time = models.BooleanField(
        _("standby counts as working time"),
        default=True,
        help_text=_("Count standby hours towards the Working Time Regulations limits and hours worked."),
    )

    def __str__(self) -> str:
        return f"Rota settings for {self.council}"


class PersonRotaSettings(models.Model):
    """Per-person rota choices: the 48-hour opt-out and the calendar feed key (stored hashed)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_settings"
    )
    opted_out_of_48_hours = models.BooleanField(
        _("has opted out of the 48-hour week"),
        default=False,
    )
    calendar_key_hash = models.CharField(max_length=64, blank=True, db_index=True)
    calendar_key_created_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Rota settings for {self.user}"


class Rota(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="rotas")
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rotas",
        verbose_name=_("incident"),
    )
    name = models.CharField(
        _("position"),
        max_length=200,
        help_text=_("For example Gold, or Silver \N{EN DASH} children's social care."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_rotas",
        verbose_name=_("owner"),
    )
    cover = models.CharField(_("kind of cover"), max_length=20, choices=CoverKind.choices)
    anchor_date = models.DateField(
        _("rotation starts on"), help_text=_("The first member works the first shift of this date.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="rota_unique_name_per_council"),
        ]

    def __str__(self) -> str:
        return self.name


class ShiftPattern(models.Model):
    """A daily shift in wall-clock time. An end not after the start crosses midnight."""

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="patterns")
    name = models.CharField(_("name"), max_length=100)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    valid_from = models.DateField(_("applies from"))
    valid_until = models.DateField(_("applies until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    slot = models.PositiveSmallIntegerField(
        _("rotation slot"),
        help_text=_("Patterns that replace one another over time share a slot, so the rotation carries on."),
    )

    class Meta:
        ordering = ["order", "start_time", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rota", "order"], name="pattern_unique_order"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="pattern_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class RotaMember(models.Model):
    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_memberships"
    )
    position = models.PositiveSmallIntegerField(_("order in the rotation"))
    is_backup = models.BooleanField(_("back-up"), default=False)

    class Meta:
        ordering = ["is_backup", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rota", "user"], name="rota_member_once"),
            models.UniqueConstraint(
                fields=["rota", "is_backup", "position"], name="rota_member_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.rota}"


class Override(models.Model):
    """A person covers [start, end). A later override wins where two overlap."""

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_overrides"
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="override_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} covers {self.rota} from {self.start:%Y-%m-%d %H:%M}"


class SwapStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for agreement")
    AGREED = "agreed", _("Agreed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Swap(models.Model):
    """Two people exchange two shifts. Only an agreed swap changes who is on."""

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="swaps")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_shift_start = models.DateTimeField(_("their shift starts"))
    other = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("swap with")
    )
    other_shift_start = models.DateTimeField(_("other shift starts"))
    status = models.CharField(max_length=20, choices=SwapStatus.choices, default=SwapStatus.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("other")), name="swap_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"Swap {self.requested_by} ↔ {self.other} ({self.status})"
