"""The demo: Silver has written an assessment on the exercise incident; dpo and caldicott sign it
off through the pages; the clock shows the time left and the ICO draft prints."""

from __future__ import annotations

import pytest

from incident_console.accounts.models import User
from incident_console.assessments.models import Assessment
from incident_console.assessments.selectors import clocks
from incident_console.incidents.demo import load_demo
from tests import factories


@pytest.mark.django_db
def test_dpo_and_caldicott_sign_off_silvers_demo_assessment_and_the_draft_prints(modules: None) -> None:
    report = load_demo(password="demo-password-for-tests-only")
    incident = report.incident
    assert incident is not None
    assessment = Assessment.objects.get(incident=incident)
    assert assessment.current is not None and assessment.current.author.username == "silver"
    assert assessment.state == "submitted"
    host, fernley = clocks(incident)
    assert host.state == "running" and fernley.state == "running"
    assert host.remaining is not None and 68 < host.remaining.total_seconds() / 3600 < 70

    for username, role in (("dpo", "dpo"), ("caldicott", "caldicott")):
        client = factories.signed_in_client(User.objects.get(username=username))
        response = client.post(
            f"/assessments/{assessment.pk}/sign-off/",
            {"role": role, "statement": "Signed for the exercise.", "outcome": "signed"},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assessment.refresh_from_db()
    assert assessment.state == "signed_off"

    dpo = factories.signed_in_client(User.objects.get(username="dpo"))
    page = dpo.get(f"/incidents/{incident.pk}/").content.decode()
    assert "h 5" in page or "min left" in page
    draft = dpo.get(f"/assessments/{assessment.pk}/ico-draft/")
    assert draft.status_code == 200 and "Dana Okafor" in draft.content.decode()
