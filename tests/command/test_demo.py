"""The demo exercise shows a command structure with one gap the console warns about."""

from __future__ import annotations

import pytest

from incident_console.command.models import Assignment, Decision, RhythmEntry, Risk
from incident_console.command.selectors import missing_representation
from incident_console.incidents.demo import load_demo


@pytest.mark.django_db
def test_the_demo_exercise_has_gold_decisions_risks_a_battle_rhythm_and_a_csc_silver_gap(
    modules: None,
) -> None:
    report = load_demo(password="demo-password-for-tests-only")
    incident = report.incident
    assert incident is not None
    gold = Assignment.objects.get(incident=incident, tier="gold", cell="", relinquished_at__isnull=True)
    assert gold.user.username == "gold"
    assert Decision.objects.filter(incident=incident).count() == 2
    assert Risk.objects.filter(incident=incident).count() == 2
    assert RhythmEntry.objects.filter(incident=incident).count() == 3
    messages = [m.message for m in missing_representation([incident.pk])[incident.pk]]
    assert messages == ["Children's social care is not represented at Silver"]
