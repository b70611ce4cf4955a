"""What the council learned, and what the response handed to recovery.

- ``Lesson``: one entry of the lessons log, kept throughout the incident and after it closes
  (debriefs happen later): what happened, what was learned, the action agreed, who owns it.
- ``RecoveryHandover``: made when an incident moves from response to recovery. It keeps a
  snapshot of what was still open (risks, actions, decisions due for review, SPOCs, systems not
  yet back, open lessons) with the SHA-256 of its canonical JSON, and who took it on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTION_AGREED = "action_agreed", _("Action agreed")
    DONE = "done", _("Done")
    NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")


# Still needs someone to do something.
OPEN_LESSON_STATUSES = (LessonStatus.OPEN, LessonStatus.ACTION_AGREED)


class LessonCategory(models.TextChoices):
    COMMAND = "command", _("Command")
    COMMUNICATIONS = "communications", _("Communications")
    DATA_PROTECTION = "data_protection", _("Data protection")
    IT = "it", _("IT")
    SOCIAL_CARE = "social_care", _("Social care")
    PARTNERS = "partners", _("Partners")
    OTHER = "other", _("Other")


class Lesson(models.Model):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="lessons")
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    what_happened = models.TextField(_("what happened"))
    learned = models.TextField(_("what we learned"))
    category = models.CharField(_("category"), max_length=30, choices=LessonCategory.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    action = models.TextField(_("action"), blank=True)
    action_due = models.DateField(_("action due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LessonStatus.choices, default=LessonStatus.OPEN
    )
    reason = models.TextField(_("reason it was not taken forward"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    raised_at = models.DateTimeField(_("raised at"))
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="not_taken_forward") | ~models.Q(reason=""),
                name="lesson_not_taken_forward_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in LessonStatus]), name="lesson_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.learned[:60]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_LESSON_STATUSES


class RecoveryHandover(models.Model):
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="recovery_handovers"
    )
    council = models.ForeignKey("accounts.Council", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))
    snapshot = models.JSONField(_("snapshot"))
    sha256 = models.CharField(_("SHA-256 of the snapshot"), max_length=64)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("taken on by"),
    )
    acknowledged_at = models.DateTimeField(_("taken on at"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | models.Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="recovery_handover_acknowledged_by_and_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Recovery handover {self.pk} of incident {self.incident_id}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
