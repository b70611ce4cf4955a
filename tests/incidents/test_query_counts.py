"""Pages cost a fixed number of queries, however many incidents and actions there are."""

from __future__ import annotations

import pytest

from incident_console.guidance.models import Checklist
from incident_console.guidance.services import add_item
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db

# session, person, authenticator, roles, incidents, unrouted alerts,
# + current assignments and applied modules, for representation warnings
# + the ICO clocks (shared councils, assessment positions)
DASHBOARD_QUERIES = 10
# + unrouted alerts, representation (2), battle rhythm (entries, held), external notifications,
# + the ICO clocks (2) and who may see assessments (command roles, authorship)
# + who may see service-user data, for the manual records link (Gold or a social care cell)
INCIDENT_PAGE_QUERIES = 23


def test_the_dashboard_query_count_does_not_grow_with_incidents(
    world: World, django_assert_max_num_queries
) -> None:
    client = world.client_for("gold")
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert client.get("/").status_code == 200
    for i in range(15):
        factories.incident(world.a, world.people["gold"], title=f"Another {i}")
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        page = client.get("/").content.decode()
    assert page.count("/incidents/") >= 16


def test_the_incident_page_query_count_does_not_grow_with_actions(
    world: World, django_assert_max_num_queries
) -> None:
    client = world.client_for("gold")
    url = f"/incidents/{world.incident_a.pk}/"
    with django_assert_max_num_queries(INCIDENT_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    checklist = Checklist.objects.filter(incident=world.incident_a)[0]
    for i in range(30):
        add_item(
            checklist=checklist,
            actor=world.people["gold"],
            title=f"Extra action {i}",
            owner=world.people["bronze"],
        )
    with django_assert_max_num_queries(INCIDENT_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert "Extra action 29" in page


def test_the_checklist_items_api_query_count_does_not_grow_with_actions(
    world: World, django_assert_max_num_queries
) -> None:
    client = world.client_for("gold")
    url = f"/api/v1/incidents/{world.incident_a.pk}/checklist-items/"
    with django_assert_max_num_queries(10):
        assert client.get(url).json()["count"] == 21
    checklist = Checklist.objects.filter(incident=world.incident_a)[0]
    for i in range(20):
        add_item(
            checklist=checklist, actor=world.people["gold"], title=f"Extra {i}", owner=world.people["gold"]
        )
    with django_assert_max_num_queries(10):
        assert client.get(url).json()["count"] == 41
