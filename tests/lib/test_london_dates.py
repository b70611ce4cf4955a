"""The ``london`` filter shows instants in Europe/London exactly as Django's date format would,
in either language, either side of the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import dateformat, translation

from incident_console.lib.templatetags.console_tags import london
from incident_console.lib.time import LONDON

# Every hour across both 2026 clock changes, and across a year end.
INSTANTS = [
    start + timedelta(hours=h)
    for start in (
        datetime(2026, 3, 28, 12, tzinfo=UTC),
        datetime(2026, 10, 24, 12, tzinfo=UTC),
        datetime(2026, 12, 31, 12, tzinfo=UTC),
    )
    for h in range(48)
]


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_instants_read_as_django_formats_them_with_the_london_zone_name(language: str) -> None:
    with translation.override(language):
        for instant in INSTANTS:
            local = instant.astimezone(LONDON)
            expected = f"{dateformat.format(local, 'D j M Y, H:i')} {local.tzname()}"
            assert london(instant) == expected


def test_the_hour_the_clocks_go_back_is_shown_twice_once_in_each_zone() -> None:
    with translation.override("en-gb"):
        first = london(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
        second = london(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert first == "Sun 25 Oct 2026, 01:30 BST"
    assert second == "Sun 25 Oct 2026, 01:30 GMT"


def test_a_plain_date_has_no_time_and_a_naive_datetime_is_taken_as_utc() -> None:
    with translation.override("en-gb"):
        assert london(date(2026, 12, 7)) == dateformat.format(date(2026, 12, 7), "D j M Y")
        assert london(datetime(2026, 7, 1, 9, 0)) == "Wed 1 Jul 2026, 10:00 BST"
        assert london(None) == ""
