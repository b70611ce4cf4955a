"""Each affected system carries a restore priority as well as the agreed restore order."""

from __future__ import annotations

import json

import pytest

from incident_console.recovery.models import AffectedSystem
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_responder_sets_the_restore_priority_and_the_tracker_and_api_show_it(world: World) -> None:
    bronze = factories.signed_in_client(world.people["bronze"])
    url = f"/incidents/{world.incident_a.pk}/systems/"
    added = bronze.post(
        url + "new/",
        {
            "name": "Social care case management",
            "kind": "case_management",
            "services": ["adult_social_care", "childrens_social_care"],
            "state": "unavailable",
            "priority": "critical",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    system = AffectedSystem.objects.get()
    assert system.priority == "critical"
    page = bronze.get(url).content.decode()
    assert "Restore priority:" in page and "<strong>Critical</strong>" in page
    assert "Critical priority" in page, "the services still without it say how much it matters"

    api = world.client_for("gold").get(f"/api/v1/incidents/{world.incident_a.pk}/systems/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert rows[0]["priority"] == "critical"


def test_an_unknown_priority_is_a_400_and_an_unchosen_one_is_medium(world: World) -> None:
    response = world.client_for("gold").post(
        f"/api/v1/incidents/{world.incident_a.pk}/systems/",
        json.dumps(
            {"name": "Telephony", "kind": "telephony", "services": ["customer_services"], "priority": "x"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400 and "priority" in response.json()
    form = factories.signed_in_client(world.people["gold"]).post(
        f"/incidents/{world.incident_a.pk}/systems/new/",
        {"name": "Telephony", "kind": "telephony", "services": ["customer_services"], "state": "unavailable"},
    )
    assert form.status_code == 302, "not chosen: medium"
    assert AffectedSystem.objects.get().priority == "medium"
