"""The iCalendar feed of a person's own shifts (Outlook, Google, Apple)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from incident_console.lib.time import LONDON

from .selectors import MyShift

PRODID = "-//Incident command console//Rotas//EN"


def feed(shifts: Sequence[MyShift], *, stamp: datetime, host: str) -> bytes:
    """VCALENDAR with a VTIMEZONE for Europe/London; each shift a VEVENT with TZID times and a UID
    that stays the same for the same shift. Only the person's own shifts, the position and who
    hands over: nothing else about the rota or the incident."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("My shifts"))
    cal.add("x-wr-timezone", "Europe/London")
    for mine in shifts:
        event = Event()
        event.add("uid", f"{mine.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", mine.shift.start.astimezone(LONDON))
        event.add("dtend", mine.shift.end.astimezone(LONDON))
        kind = _("standby") if mine.is_standby else _("on shift")
        event.add("summary", f"{mine.rota.name} ({kind})")
        lines = []
        if mine.from_person is not None:
            lines.append(_("Takes over from: %(name)s") % {"name": mine.from_person.display_name})
        if mine.to_person is not None:
            lines.append(_("Hands over to: %(name)s") % {"name": mine.to_person.display_name})
        if lines:
            event.add("description", "\n".join(lines))
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
