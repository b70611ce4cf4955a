"""The calendar feed: valid iCalendar, right times across clock changes, only the person's shifts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from incident_console.lib.time import LONDON
from incident_console.rotas import services
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db


def feed_url(client: Client) -> str:
    page = client.post("/rotas/mine/calendar/").content.decode()
    match = re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', page)
    assert match, "no calendar address on the page"
    return match.group(1)


@time_machine.travel("2026-10-20 12:00Z", tick=False)
def test_the_feed_is_valid_icalendar_with_london_times_and_a_thirteen_hour_night(world: World) -> None:
    staff = world.people["staff"]
    factories.rota(world.a, [staff], name="Emergency Duty Team", anchor=date(2026, 10, 1))
    response = Client().get(feed_url(world.client_for("staff")))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    events = cal.walk("VEVENT")
    assert events
    for event in events:
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event["DTEND"].params["TZID"] == "Europe/London"
        assert event["UID"] and event["DTSTAMP"]
    assert "DTSTART;TZID=Europe/London:" in response.content.decode()


@time_machine.travel("2026-10-20 12:00Z", tick=False)
def test_the_night_shift_on_24_october_2026_lasts_13_hours_in_the_feed(world: World) -> None:
    staff, gold = world.people["staff"], world.people["gold"]
    # Two people alternate: staff works nights on even days from the anchor.
    factories.rota(world.a, [gold, staff], name="Gold", anchor=date(2026, 10, 24))
    cal = Calendar.from_ical(Client().get(feed_url(world.client_for("staff"))).content)
    starts = {e.decoded("DTSTART").astimezone(LONDON): e for e in cal.walk("VEVENT")}
    night = next(e for start, e in starts.items() if start.date() == date(2026, 10, 24) and start.hour == 20)
    real_seconds = night.decoded("DTEND").timestamp() - night.decoded("DTSTART").timestamp()
    assert real_seconds == timedelta(hours=13).total_seconds()
    assert night.decoded("DTEND").astimezone(LONDON).hour == 8
    assert "Takes over from: " + gold.display_name in str(night["DESCRIPTION"])


@time_machine.travel("2026-10-20 12:00Z", tick=False)
def test_uids_stay_the_same_between_downloads(world: World) -> None:
    factories.rota(world.a, [world.people["gold"], world.people["staff"]], anchor=date(2026, 10, 1))
    url = feed_url(world.client_for("staff"))
    first = [str(e["UID"]) for e in Calendar.from_ical(Client().get(url).content).walk("VEVENT")]
    second = [str(e["UID"]) for e in Calendar.from_ical(Client().get(url).content).walk("VEVENT")]
    assert first == second and len(set(first)) == len(first)


@time_machine.travel("2026-10-20 12:00Z", tick=False)
def test_the_feed_holds_only_the_persons_own_shifts(world: World) -> None:
    gold, staff, bronze = world.people["gold"], world.people["staff"], world.people["bronze"]
    gold.mobile_phone = "07700 900999"
    gold.save()
    factories.rota(world.a, [gold, staff, bronze], anchor=date(2026, 10, 1))
    factories.rota(world.a, [gold], name="Silver", anchor=date(2026, 10, 1))
    cal = Calendar.from_ical(Client().get(feed_url(world.client_for("staff"))).content)
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert summaries == {"Gold (on shift)"}
    text = cal.to_ical().decode()
    assert world.incident_a.title not in text and gold.mobile_phone not in text


def test_a_wrong_or_stopped_address_gets_nothing(world: World) -> None:
    url = feed_url(world.client_for("staff"))
    assert Client().get("/calendar/not-a-real-key.ics").status_code == 404
    services.revoke_calendar_key(user=world.people["staff"])
    assert Client().get(url).status_code == 404


def test_a_new_address_replaces_the_old_one(world: World) -> None:
    client = world.client_for("staff")
    old = feed_url(client)
    new = feed_url(client)
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_the_key_is_stored_only_as_a_hash(world: World) -> None:
    key = services.issue_calendar_key(user=world.people["staff"])
    stored = world.people["staff"].rota_settings.calendar_key_hash
    assert key not in stored and stored == services.hash_key(key)
