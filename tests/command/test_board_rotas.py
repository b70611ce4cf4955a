"""The command board says who is on each of the council's rotas now and who takes over next."""

from __future__ import annotations

import html
import re

import pytest

from incident_console.lib.time import now
from incident_console.rotas.selectors import on_now_and_next_for
from tests.conftest import World
from tests.rotas.helpers import gap_rota, gold_rota

pytestmark = pytest.mark.django_db


def test_the_board_names_who_is_on_each_rota_now_and_next(world: World) -> None:
    rota = gold_rota(world)
    rows = on_now_and_next_for(world.a, world.incident_a.pk)
    assert [row.rota.pk for row in rows] == [rota.pk]
    on_now, on_next = rows[0].current_person, rows[0].next_person
    assert on_now is not None and on_next is not None
    assert rows[0].current is not None and rows[0].current.start <= now() < rows[0].current.end

    page = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/command/").content.decode()

    section = page[page.index("On the rota") :]
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)))
    assert f"Gold {on_now.display_name}" in text
    assert on_next.display_name in text


def test_a_rota_with_no_shift_at_this_hour_says_so_on_the_board(world: World) -> None:
    gap_rota(world)  # a day shift only: nobody at night
    (row,) = on_now_and_next_for(world.a, world.incident_a.pk)

    page = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/command/").content.decode()

    assert "Emergency Duty Team" in page
    if row.current is None:
        assert "No shift now" in page
    else:
        assert row.current_person is not None and html.escape(row.current_person.display_name) in page


def test_another_councils_rotas_are_not_on_the_board(world: World) -> None:
    gold_rota(world)

    assert on_now_and_next_for(world.b, world.incident_b.pk) == []
