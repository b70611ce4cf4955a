"""The ICO 72-hour clock: real hours across the clock change, states, per controller council,
and the reminders at 24, 48, 66 and 72 hours that stop once reported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from incident_console.assessments import selectors, services
from incident_console.assessments.clock import ClockState
from incident_console.incidents.services import update_incident
from incident_console.lib.time import LONDON
from incident_console.notifications import services as notification_services
from incident_console.notifications.models import Alert, AlertState, Notification
from tests import factories
from tests.assessments.helpers import an_assessment, command_roles, content
from tests.conftest import World

pytestmark = pytest.mark.django_db

# 12:00 BST on Saturday 24 October 2026; the clocks go back at 02:00 BST on Sunday 25 October.
# Arithmetic on it is done in UTC: adding hours to a Europe/London datetime adds wall-clock hours.
AWARE = datetime(2026, 10, 24, 12, 0, tzinfo=LONDON).astimezone(UTC)


def incident_aware_at(world: World, aware: datetime) -> None:
    world.incident_a.aware_at = aware
    world.incident_a.save(update_fields=["aware_at"])


def test_the_deadline_is_72_real_hours_so_it_falls_at_11_gmt_after_the_october_change(world: World) -> None:
    incident_aware_at(world, AWARE)
    at = datetime(2026, 10, 25, 12, 0, tzinfo=LONDON)  # 12:00 GMT, Sunday
    [clock] = selectors.clocks(world.incident_a, at)
    assert clock.deadline == datetime(2026, 10, 27, 11, 0, tzinfo=UTC)
    assert clock.deadline_local is not None
    assert (clock.deadline_local.hour, clock.deadline_local.tzname()) == (11, "GMT")
    assert clock.remaining == timedelta(hours=47), "wall-clock arithmetic would say 48"
    assert clock.remaining_display == "47 h 00 min left"
    assert clock.state == ClockState.RUNNING


def test_the_incident_page_shows_time_left_in_uk_time_across_the_change(world: World) -> None:
    incident_aware_at(world, AWARE)
    with time_machine.travel(datetime(2026, 10, 26, 12, 0, tzinfo=UTC), tick=False):
        page = world.client_for("dpo").get(f"/incidents/{world.incident_a.pk}/").content.decode()
        dashboard = world.client_for("dpo").get("/").content.decode()
    assert "23 h 00 min left" in page
    assert "Tuesday 27 October 2026, 11:00" in page or "27 Oct 2026 11:00" in page or "11:00" in page
    assert "Less than 24 hours left" in page
    assert "23 h 00 min left" in dashboard


def test_states_run_warning_overdue_reported_and_not_reportable(world: World) -> None:
    incident_aware_at(world, AWARE)
    deadline = AWARE + timedelta(hours=72)
    state = lambda at: selectors.clocks(world.incident_a, at)[0].state  # noqa: E731
    assert state(deadline - timedelta(hours=30)) == ClockState.RUNNING
    assert state(deadline - timedelta(hours=2)) == ClockState.WARNING
    assert state(deadline + timedelta(minutes=1)) == ClockState.OVERDUE
    with time_machine.travel(deadline - timedelta(hours=30), tick=False):
        assessment = an_assessment(world)
        services.new_version(
            assessment=assessment,
            actor=world.people["siro"],
            expected_version=None,
            content=content(report_decision="not_reportable", decision_reason="Encrypted backups only."),
        )
    assert state(deadline + timedelta(hours=1)) == ClockState.NOT_REPORTABLE


def test_each_connected_council_runs_its_own_clock_from_its_own_awareness(world: World) -> None:
    world.a.connected_councils.add(world.b)
    update_incident(
        incident=world.incident_a, actor=world.people["gold"], expected_version=None, shared_with=[world.b]
    )
    clocks = selectors.clocks(world.incident_a)
    assert [c.state for c in clocks] == [ClockState.RUNNING, ClockState.NOT_STARTED]
    told = world.incident_a.aware_at + timedelta(hours=1)
    services.record_awareness(
        incident=world.incident_a, council=world.b, actor=world.people["dpo"], told_at=told
    )
    host, connected = selectors.clocks(world.incident_a)
    assert connected.aware_at == told
    assert connected.deadline is not None and host.deadline is not None
    assert connected.deadline - host.deadline == timedelta(hours=1)


def heard(occurrence: str) -> list[str]:
    return sorted(
        Notification.objects.filter(
            alert__kind="ico_72_hour_clock", alert__occurrence=occurrence
        ).values_list("recipient__username", flat=True)
    )


def sweep_at(at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        notification_services.sweep()


def test_reminders_reach_the_dpo_and_gold_at_each_milestone_and_stop_once_reported(world: World) -> None:
    incident_aware_at(world, AWARE)
    command_roles(world)  # gold holds Gold
    other_dpo = factories.person(world.a, "dpo", username="a-dpo-2")

    sweep_at(AWARE + timedelta(hours=23, minutes=59))
    assert not Alert.objects.filter(kind="ico_72_hour_clock").exists()
    sweep_at(AWARE + timedelta(hours=24))
    assert heard("24h") == sorted(["a-dpo", "a-gold", other_dpo.username])
    sweep_at(AWARE + timedelta(hours=30))
    assert Alert.objects.filter(kind="ico_72_hour_clock").count() == 1, "once per milestone"
    sweep_at(AWARE + timedelta(hours=48, minutes=1))
    assert heard("48h") == sorted(["a-dpo", "a-gold", other_dpo.username])

    reported_at = AWARE + timedelta(hours=50)
    with time_machine.travel(reported_at + timedelta(minutes=10), tick=False):
        assessment = an_assessment(world)
        services.new_version(
            assessment=assessment,
            actor=world.people["siro"],
            expected_version=None,
            content=content(report_decision="report", ico_reference="IC-123", ico_reported_at=reported_at),
        )
    sweep_at(AWARE + timedelta(hours=66))
    sweep_at(AWARE + timedelta(hours=72))
    assert list(
        Alert.objects.filter(kind="ico_72_hour_clock").values_list("occurrence", flat=True).order_by("pk")
    ) == [
        "24h",
        "48h",
    ]
    assert set(Alert.objects.filter(kind="ico_72_hour_clock").values_list("state", flat=True)) == {
        AlertState.RESOLVED
    }


def test_an_unreported_breach_reminds_at_66_and_72_hours(world: World) -> None:
    incident_aware_at(world, AWARE)
    sweep_at(AWARE + timedelta(hours=66))
    sweep_at(AWARE + timedelta(hours=72))
    assert heard("66h") == ["a-dpo"]
    alert = Alert.objects.get(kind="ico_72_hour_clock", occurrence="72h")
    assert "ICO deadline passed" in alert.subject
