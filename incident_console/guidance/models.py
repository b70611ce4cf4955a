"""Guidance modules (loaded from modules/*/module.yaml) and the checklists made from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from incident_console.incidents.models import Incident
from incident_console.lib.choices import Cell, Tier


class GuidanceModule(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    service = models.CharField(max_length=40, blank=True)
    current_version = models.ForeignKey(
        "ModuleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ModuleVersion(models.Model):
    """One loaded content version of a module file, identified by the SHA-256 of its bytes."""

    module = models.ForeignKey(GuidanceModule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    source_path = models.CharField(max_length=500)
    document = models.JSONField(help_text=_("The validated module content."))
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="module_version_unique_number"),
            models.UniqueConstraint(fields=["module", "content_hash"], name="module_version_unique_hash"),
        ]
        ordering = ["module_id", "-number"]

    def __str__(self) -> str:
        return f"{self.module.slug} v{self.number}"


class StrategicAction(models.Model):
    module_version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="actions")
    action_id = models.CharField(max_length=80)
    position = models.PositiveIntegerField()
    text = models.TextField()
    default_tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    default_cell = models.CharField(max_length=40, blank=True)
    due_offset_hours = models.PositiveIntegerField(null=True, blank=True)
    stage_tags = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module_version", "action_id"], name="action_unique_id"),
        ]
        ordering = ["module_version_id", "position"]

    def __str__(self) -> str:
        return self.action_id


class Checklist(models.Model):
    """A module applied to an incident. It keeps the module version it was made from."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="checklists")
    module = models.ForeignKey(GuidanceModule, on_delete=models.PROTECT, related_name="checklists")
    module_version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="checklists")
    applied_at = models.DateTimeField()
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "module"], name="checklist_one_per_module"),
        ]
        ordering = ["module__title"]

    def __str__(self) -> str:
        return f"{self.module.title} for {self.incident.reference}"


SHORT_TITLE = 80


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    strategic_action = models.ForeignKey(
        StrategicAction, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    position = models.PositiveIntegerField()
    title = models.TextField(_("action"))
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    not_applicable_reason = models.TextField(_("reason it does not apply"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_items",
    )
    suggested_tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    suggested_cell = models.CharField(max_length=40, choices=Cell.choices, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="not_applicable") | ~models.Q(not_applicable_reason=""),
                name="item_not_applicable_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="item_status_due")]
        ordering = ["checklist_id", "position"]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def is_custom(self) -> bool:
        return self.strategic_action_id is None

    @property
    def status_label(self) -> str:
        """The status as people read it (``get_status_display`` rebuilds the choices on each call,
        and a task list shows a hundred of them)."""
        return str(ItemStatus(self.status).label)

    @property
    def short_title(self) -> str:
        """The title cut to 80 characters, for the buttons whose label screen readers read out."""
        return self.title if len(self.title) <= SHORT_TITLE else Truncator(self.title).chars(SHORT_TITLE)

    @property
    def is_overdue(self) -> bool:
        open_statuses = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)
        return self.status in open_statuses and self.due_at is not None and self.due_at < timezone.now()


class ProgressNote(models.Model):
    """A note appended to an item. Notes are never edited."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
