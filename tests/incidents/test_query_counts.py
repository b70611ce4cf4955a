"""Pages cost a fixed number of queries, however many incidents and actions there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incident_console.guidance.models import Checklist, ChecklistItem, ItemStatus
from incident_console.guidance.services import add_item
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db

# session, person, authenticator, roles, incidents, their checklist progress, unrouted alerts,
# + current assignments and applied modules, for representation warnings
# + the ICO clocks (shared councils, assessment positions)
# + safeguarding items overdue or due within 24 hours (one query; the command roles are a subquery)
DASHBOARD_QUERIES = 12
# + unrouted alerts, representation (2), battle rhythm (entries, held), external notifications,
# + the ICO clocks (2) and who may see assessments (command roles, authorship)
# + in recovery, the current handover to recovery (for the "not taken on" warning)
# + who may see service-user data, for the safeguarding and payments links (Gold and social care
#   cell roles held; asked once per request)
INCIDENT_PAGE_QUERIES = 24
# (priority cases use the same rule: no further query)


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


def test_the_incident_list_counts_each_incidents_actions_in_as_many_queries_however_many_incidents(
    world: World,
) -> None:
    client = world.client_for("gold")
    with CaptureQueriesContext(connection) as before:
        assert client.get("/api/v1/incidents/").status_code == 200
    for i in range(6):
        factories.incident(world.a, world.people["gold"], title=f"Another {i}")
    checklist = Checklist.objects.filter(incident=world.incident_a)[0]
    done = add_item(checklist=checklist, actor=world.people["gold"], title="Already done")
    ChecklistItem.objects.filter(pk=done.pk).update(status=ItemStatus.DONE)
    with CaptureQueriesContext(connection) as after:
        rows = client.get("/api/v1/incidents/").json()["results"]
    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(rows) >= 7
    for row in rows:
        items = ChecklistItem.objects.filter(checklist__incident_id=row["id"])
        assert row["items_total"] == items.count()
        assert row["items_complete"] == items.filter(status=ItemStatus.DONE).count()
    assert next(r for r in rows if r["id"] == world.incident_a.pk)["items_complete"] >= 1


def test_one_incident_from_the_api_carries_its_action_counts_overdue_included(world: World) -> None:
    from datetime import timedelta

    from incident_console.lib.time import now

    checklist = Checklist.objects.filter(incident=world.incident_a)[0]
    late = add_item(checklist=checklist, actor=world.people["gold"], title="Ring the care home")
    ChecklistItem.objects.filter(pk=late.pk).update(due_at=now() - timedelta(hours=2))
    items = ChecklistItem.objects.filter(checklist__incident=world.incident_a)
    row = world.client_for("gold").get(f"/api/v1/incidents/{world.incident_a.pk}/").json()
    assert row["items_total"] == items.count()
    assert row["items_complete"] == 0
    assert row["items_overdue"] == 1
