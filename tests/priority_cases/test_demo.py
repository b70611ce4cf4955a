"""On the demo: the exercise has priority cases owned by silver and bronze, one overdue; silver
(adult social care role) and bronze (Bronze, adult social care cell) see them, admin and the DPO
do not, and the DPO reads who looked."""

from __future__ import annotations

import pytest

from incident_console.accounts.models import User
from incident_console.incidents.demo import load_demo
from incident_console.lib.time import now
from incident_console.priority_cases.models import PriorityCase
from tests import factories


@pytest.mark.django_db
def test_the_demo_exercise_has_priority_cases_one_overdue(modules: None) -> None:
    load_demo(password="demo-password-for-tests-only")
    cases = list(PriorityCase.objects.all())
    assert 3 <= len(cases) <= 4
    assert {c.owner.username for c in cases} == {"silver", "bronze"}
    assert sum(1 for c in cases if c.next_contact_due and c.next_contact_due <= now()) == 1
    incident = cases[0].incident
    url = f"/incidents/{incident.pk}/priority-cases/"
    client = {
        name: factories.signed_in_client(User.objects.get(username=name))
        for name in ("silver", "bronze", "admin", "dpo")
    }
    page = client["silver"].get(url).content.decode()
    assert "Child on a child protection plan" in page and "Overdue" in page
    assert client["bronze"].get(url).status_code == 200
    assert client["admin"].get(url).status_code == 403
    assert client["dpo"].get(url).status_code == 403
    log = client["dpo"].get(url + "access-log/").content.decode()
    assert "Marcus Webb" in log
