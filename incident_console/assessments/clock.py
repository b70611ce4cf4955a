"""The ICO 72-hour clock, per controller council.

Article 33: report within 72 hours of becoming aware. The deadline is 72 real hours after
awareness, worked in UTC, so a clock running across the October change ends at 11:00 GMT when
awareness was 12:00 BST three days before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext_lazy as _

from incident_console.lib.time import london

WINDOW = timedelta(hours=72)
WARN_WHEN_LEFT = timedelta(hours=24)
MILESTONES = (24, 48, 66, 72)  # hours after awareness at which the DPO and Gold are reminded


class ClockState:
    NOT_STARTED = "not_started"
    RUNNING = "running"
    WARNING = "warning"
    OVERDUE = "overdue"
    REPORTED = "reported"
    NOT_REPORTABLE = "not_reportable"


STATE_LABELS = {
    ClockState.NOT_STARTED: _("Awareness not recorded"),
    ClockState.RUNNING: _("Running"),
    ClockState.WARNING: _("Less than 24 hours left"),
    ClockState.OVERDUE: _("Overdue"),
    ClockState.REPORTED: _("Reported to the ICO"),
    ClockState.NOT_REPORTABLE: _("Decided not reportable"),
}

STATE_TAGS = {
    ClockState.NOT_STARTED: "govuk-tag--grey",
    ClockState.RUNNING: "govuk-tag--blue",
    ClockState.WARNING: "govuk-tag--orange",
    ClockState.OVERDUE: "govuk-tag--red",
    ClockState.REPORTED: "govuk-tag--green",
    ClockState.NOT_REPORTABLE: "govuk-tag--grey",
}


@dataclass(frozen=True)
class Clock:
    council_id: int
    council_name: str
    aware_at: datetime | None
    state: str
    at: datetime
    reported_at: datetime | None = None

    @property
    def deadline(self) -> datetime | None:
        return deadline(self.aware_at) if self.aware_at else None

    @property
    def deadline_local(self) -> datetime | None:
        return london(self.deadline) if self.deadline else None

    @property
    def remaining(self) -> timedelta | None:
        """Real time left (UTC arithmetic); negative once overdue."""
        return self.deadline - self.at.astimezone(UTC) if self.deadline else None

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def tag(self) -> str:
        return STATE_TAGS[self.state]

    @property
    def remaining_display(self) -> str:
        left = self.remaining
        if left is None or self.state in (ClockState.REPORTED, ClockState.NOT_REPORTABLE):
            return ""
        late = left < timedelta(0)
        minutes = int(abs(left).total_seconds() // 60)
        hours, minutes = divmod(minutes, 60)
        if late:
            return str(_("%(h)d h %(m)02d min overdue")) % {"h": hours, "m": minutes}
        return str(_("%(h)d h %(m)02d min left")) % {"h": hours, "m": minutes}


def deadline(aware_at: datetime) -> datetime:
    """72 real hours after awareness. Added in UTC: adding to a Europe/London time would add wall-clock
    hours and land an hour late across the October change."""
    return aware_at.astimezone(UTC) + WINDOW


def clock_state(*, aware_at: datetime | None, at: datetime, reported: bool, not_reportable: bool) -> str:
    if reported:
        return ClockState.REPORTED
    if not_reportable:
        return ClockState.NOT_REPORTABLE
    if aware_at is None:
        return ClockState.NOT_STARTED
    left = deadline(aware_at) - at.astimezone(UTC)
    if left <= timedelta(0):
        return ClockState.OVERDUE
    if left <= WARN_WHEN_LEFT:
        return ClockState.WARNING
    return ClockState.RUNNING


def last_milestone(aware_at: datetime, at: datetime) -> int | None:
    """The latest reminder milestone (hours) that has passed, or None before the first."""
    start = aware_at.astimezone(UTC)
    passed = [h for h in MILESTONES if start + timedelta(hours=h) <= at]
    return passed[-1] if passed else None
