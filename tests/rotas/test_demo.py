"""The demo has a Gold rota and a Silver rota with a gap next week that gold can cover."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident_console.incidents.demo import load_demo
from incident_console.lib.time import london, now
from incident_console.rotas import selectors
from incident_console.rotas.access import can
from incident_console.rotas.models import Rota

pytestmark = pytest.mark.django_db


def test_the_demo_silver_rota_has_a_gap_next_week_and_gold_may_cover_it(modules: None) -> None:
    report = load_demo(password="demo-password-for-tests")
    assert report.rotas == 2
    gold_rota = selectors.rotas_with_everything(Rota.objects.filter(name="Gold")).get()
    silver = selectors.rotas_with_everything(Rota.objects.filter(name__startswith="Silver")).get()
    assert selectors.gaps_for(gold_rota, days=21) == []
    found = selectors.gaps_for(silver, days=14)
    assert len(found) == 1
    gap = found[0]
    today = london(now()).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    assert london(gap.start).date() == next_monday + timedelta(days=1)
    assert gap.end - gap.start == timedelta(hours=12)
    assert silver.owner is not None and silver.owner.username == "gold"
    assert can(silver.owner, "manage_rota", silver)
    # After the gap the replacement night pattern carries the rotation on: people take turns.
    after = selectors.shifts_for(silver, gap.end, gap.end + timedelta(days=3))
    assert len({(s.label, s.person) for s in after}) > 2
    assert load_demo(password="demo-password-for-tests").rotas == 0
