"""On the demo: the main exercise has lessons; the closed tabletop has its debrief lesson and the
handover its move into recovery made."""

from __future__ import annotations

import pytest

from incident_console.incidents.demo import load_demo
from incident_console.incidents.models import Incident
from incident_console.lessons.models import Lesson, RecoveryHandover

pytestmark = pytest.mark.django_db


def test_the_demo_has_lessons_and_the_closed_tabletop_has_a_handover(modules: None) -> None:
    report = load_demo(password="demo-password-for-tests-only")
    assert report.incident is not None
    learned = list(Lesson.objects.filter(incident=report.incident).values_list("what_happened", flat=True))
    assert "Paper rota worked but nobody held the personal mobile numbers of the EDT" in learned
    assert len(learned) == 3
    tabletop = Incident.objects.get(title__contains="TABLETOP")
    assert Lesson.objects.get(incident=tabletop).status == "done"
    assert RecoveryHandover.objects.filter(incident=tabletop).count() == 1

    load_demo(password="demo-password-for-tests-only")
    assert Lesson.objects.count() == 4
