"""Battle rhythm: meetings stay at their wall-clock time across the clock changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from incident_console.command.rhythm import occurrences
from incident_console.command.services import add_rhythm_entry
from tests.conftest import World


@dataclass
class Entry:
    title: str
    times: list[str]
    weekdays: list[int] = field(default_factory=list)
    kind: str = "silver"
    pk: int | None = 1


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_silver_at_0830_stays_0830_local_across_the_october_clock_change() -> None:
    silver = Entry("Silver", ["08:30", "16:30"])
    found = occurrences([silver], utc(2026, 10, 24), utc(2026, 10, 26))
    assert [o.at for o in found] == [
        utc(2026, 10, 24, 7, 30),  # BST
        utc(2026, 10, 24, 15, 30),
        utc(2026, 10, 25, 8, 30),  # GMT from 01:00 UTC on 25 Oct
        utc(2026, 10, 25, 16, 30),
    ]
    assert {o.local.strftime("%H:%M") for o in found} == {"08:30", "16:30"}


def test_gold_at_0930_stays_0930_local_across_the_march_clock_change() -> None:
    gold = Entry("Gold", ["09:30"], kind="gold")
    found = occurrences([gold], utc(2026, 3, 28), utc(2026, 3, 30))
    assert [o.at for o in found] == [utc(2026, 3, 28, 9, 30), utc(2026, 3, 29, 8, 30)]


def test_a_time_in_the_skipped_hour_moves_forward_and_a_repeated_hour_happens_once() -> None:
    night = Entry("Night check", ["01:30"])
    spring = occurrences([night], utc(2026, 3, 29), utc(2026, 3, 29, 23))
    assert [o.at for o in spring] == [utc(2026, 3, 29, 1, 30)]
    assert spring[0].local.strftime("%H:%M %Z") == "02:30 BST"
    autumn = occurrences([night], utc(2026, 10, 25), utc(2026, 10, 25, 23))
    assert [o.at for o in autumn] == [utc(2026, 10, 25, 0, 30)]
    assert autumn[0].local.strftime("%H:%M %Z") == "01:30 BST"


def test_weekdays_limit_the_days_and_results_are_in_time_order() -> None:
    sitrep = Entry("Sitrep", ["17:00"], weekdays=[0, 1, 2, 3, 4], kind="sitrep")
    silver = Entry("Silver", ["08:30"], pk=2)
    found = occurrences([sitrep, silver], utc(2026, 11, 27), utc(2026, 11, 30))  # Fri to Sun
    assert [(o.title, o.local.strftime("%a %H:%M")) for o in found] == [
        ("Silver", "Fri 08:30"),
        ("Sitrep", "Fri 17:00"),
        ("Silver", "Sat 08:30"),
        ("Silver", "Sun 08:30"),
    ]


def test_naive_bounds_are_refused() -> None:
    with pytest.raises(ValueError):
        occurrences([], datetime(2026, 1, 1), datetime(2026, 1, 2))


@pytest.mark.django_db
def test_the_incident_page_shows_what_is_next_and_what_is_overdue_until_marked_held(world: World) -> None:
    declared = world.incident_a.declared_at
    add_rhythm_entry(
        incident=world.incident_a,
        actor=world.people["gold"],
        kind="silver",
        title="Silver meeting",
        times=["08:30", "16:30"],
        weekdays=[],
    )
    client = world.client_for("gold")
    with time_machine.travel(declared + timedelta(days=1), tick=False):
        page = client.get(f"/incidents/{world.incident_a.pk}/").content.decode()
        assert "Next 24 hours" in page and "Overdue" in page
        rhythm_page = client.get(f"/incidents/{world.incident_a.pk}/battle-rhythm/").content.decode()
        overdue_count = rhythm_page.count("Mark held")
        assert overdue_count >= 1
        import re

        match = re.search(r'name="occurs_at" value="([^"]+)"', rhythm_page)
        assert match is not None
        entry_id = world.incident_a.rhythm.get().pk
        response = client.post(
            f"/incidents/{world.incident_a.pk}/battle-rhythm/{entry_id}/held/", {"occurs_at": match.group(1)}
        )
        assert response.status_code == 302
        after = client.get(f"/incidents/{world.incident_a.pk}/battle-rhythm/").content.decode()
        assert after.count("Mark held") == overdue_count - 1


@pytest.mark.django_db
def test_a_badly_typed_time_is_refused_with_a_message(world: World) -> None:
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/battle-rhythm/",
        {"kind": "gold", "title": "Gold", "times": "9.30am"},
    )
    assert response.status_code == 200
    assert "Enter times as HH:MM" in response.content.decode()
