"""Command structure: who holds Gold, Silver and Bronze roles, handovers, the decision log, the risk
register and the battle rhythm of an incident."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from incident_console.lib.choices import Cell, Tier

DASH = "\N{EN DASH}"


def cell_label(cell: str) -> str:
    """The name of a cell: the standard cells have labels, cells a lead adds are stored by name."""
    if not cell:
        return ""
    labels = dict(Cell.choices)
    return str(labels.get(cell, cell))


class Assignment(models.Model):
    """One person holding (or deputising for) a command role for a period.

    Gold has one holder with a blank cell; a Gold assignment with a cell is that cell's
    representative at Gold. Silver and Bronze have one holder per cell. Rows are never deleted:
    relinquishing a role sets `relinquished_at`.
    """

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, related_name="command_assignments"
    )
    council = models.ForeignKey(
        "accounts.Council",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Whose command structure this role belongs to, when the incident is shared."),
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    cell = models.CharField(_("cell"), max_length=60, blank=True)
    is_deputy = models.BooleanField(_("deputy"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assumed_at = models.DateTimeField(_("assumed at"))
    relinquished_at = models.DateTimeField(_("relinquished at"), null=True, blank=True)
    relinquished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "council", "tier", "cell", "is_deputy"],
                condition=models.Q(relinquished_at__isnull=True),
                name="assignment_one_current_holder",
            ),
        ]
        ordering = ["incident_id", "tier", "cell", "is_deputy", "-assumed_at"]

    def __str__(self) -> str:
        return f"{self.role_name}: {self.user}"

    @property
    def is_current(self) -> bool:
        return self.relinquished_at is None

    @property
    def cell_name(self) -> str:
        return cell_label(self.cell)

    @property
    def role_name(self) -> str:
        tier = str(Tier(self.tier).label).split(" ")[0]
        name = f"{tier} {DASH} {self.cell_name}" if self.cell else tier
        if self.tier == Tier.GOLD and self.cell:
            name = str(
                _("%(tier)s \N{EN DASH} %(cell)s representative") % {"tier": tier, "cell": self.cell_name}
            )
        if self.is_deputy:
            name = str(_("%(role)s (deputy)") % {"role": name})
        return name


class Handover(models.Model):
    """What the outgoing holder of a role passes on to the incoming one."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="handovers")
    incoming = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="handover")
    outgoing = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="handovers_given"
    )
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    situation = models.TextField(_("situation"))
    open_actions = models.JSONField(_("open actions"), default=list, blank=True)
    open_risks = models.JSONField(_("open risks"), default=list, blank=True)
    decisions_pending = models.TextField(_("decisions pending"), blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Handover of {self.incoming.role_name}"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a decision log entry."""


class DecisionQuerySet(models.QuerySet["Decision"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Decision log entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Decision log entries cannot be deleted.")


class Decision(models.Model):
    """One JESIP decision log entry. Never changed or deleted: a correction is a new entry."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="decisions")
    sequence = models.PositiveIntegerField(_("number"))
    decided_at = models.DateTimeField(_("time of the decision"))
    recorded_at = models.DateTimeField(_("time recorded"))
    decision_maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    maker_role = models.CharField(_("decision maker's role"), max_length=120)
    decision = models.TextField(_("decision"))
    rationale = models.TextField(_("rationale"))
    options_considered = models.TextField(_("options considered and rejected"), blank=True)
    information = models.TextField(_("information relied on"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    review_by = models.DateTimeField(_("review by"), null=True, blank=True)
    informed = models.TextField(_("who was told"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "sequence"], name="decision_unique_sequence"),
        ]
        ordering = ["incident_id", "sequence"]

    def __str__(self) -> str:
        return f"Decision {self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Decision log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Decision log entries cannot be deleted.")


class DecisionCounter(models.Model):
    """The last decision number used in an incident; locked while allocating."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.last_number}"


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(models.Model):
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="risks")
    title = models.CharField(_("risk"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), validators=SCORE)
    impact = models.PositiveSmallIntegerField(_("impact"), validators=SCORE)
    mitigations = models.TextField(_("mitigations"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood"
            ),
            models.CheckConstraint(condition=models.Q(impact__gte=1, impact__lte=5), name="risk_impact"),
        ]
        ordering = ["incident_id", "status", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class RhythmKind(models.TextChoices):
    GOLD = "gold", _("Gold meeting")
    SILVER = "silver", _("Silver meeting")
    CELL = "cell", _("Cell stand-up")
    SITREP = "sitrep", _("Situation report due")
    COMMS = "comms", _("Communications update due")


class RhythmEntry(models.Model):
    """A recurring meeting or deadline, in Europe/London wall-clock time."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="rhythm")
    kind = models.CharField(_("kind"), max_length=10, choices=RhythmKind.choices)
    title = models.CharField(_("name"), max_length=200)
    times = models.JSONField(_("times"), default=list, help_text=_("Wall-clock times, HH:MM."))
    weekdays = models.JSONField(
        _("days"), default=list, blank=True, help_text=_("0 is Monday; empty means every day.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["incident_id", "kind", "title"]

    def __str__(self) -> str:
        return self.title

    def weekdays_display(self) -> str:
        names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
        return ", ".join(str(names[d]) for d in self.weekdays if 0 <= d < 7)


class RhythmHeld(models.Model):
    """An occurrence of a rhythm entry marked as held (or, for a sitrep, issued)."""

    entry = models.ForeignKey(RhythmEntry, on_delete=models.PROTECT, related_name="held")
    occurs_at = models.DateTimeField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "occurs_at"], name="rhythm_held_once"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} at {self.occurs_at}"
