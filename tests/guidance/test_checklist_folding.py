"""The incident page shows each module's open actions (up to a limit); the checklist page lists
every action of one module, open, completed or all, a page at a time."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from incident_console.guidance.models import Checklist, ChecklistItem, ItemStatus
from incident_console.guidance.selectors import CHECKLIST_PAGE_SIZE, OPEN_PREVIEW
from incident_console.guidance.services import add_item, update_item
from tests.conftest import World

pytestmark = pytest.mark.django_db


def checklist_of(world: World) -> Checklist:
    checklist = Checklist.objects.filter(incident=world.incident_a).order_by("pk").first()
    assert checklist is not None
    return checklist


def rows_on(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="govuk-task-list__item" id="item-(\d+)"', html)]


def rows_of(html: str, checklist: Checklist) -> list[int]:
    """The actions of this module shown on an incident page (which lists every module)."""
    mine = set(checklist.items.values_list("pk", flat=True))
    return [pk for pk in rows_on(html) if pk in mine]


def mark_done(world: World, items: list[ChecklistItem]) -> None:
    for item in items:
        update_item(item=item, actor=world.people["gold"], expected_version=item.version, status="done")


def add_actions(world: World, checklist: Checklist, count: int) -> None:
    """More actions, every other one owned by bronze."""
    for n in range(count):
        owner = world.people["bronze"] if n % 2 else None
        add_item(checklist=checklist, actor=world.people["gold"], title=f"Extra action {n}", owner=owner)


def checklist_url(world: World, checklist: Checklist, query: str = "") -> str:
    return f"/incidents/{world.incident_a.pk}/checklists/{checklist.pk}/{query}"


def test_the_incident_page_lists_open_actions_and_links_to_the_done_ones(world: World) -> None:
    checklist = checklist_of(world)
    items = list(checklist.items.order_by("position"))
    mark_done(world, items[:2])
    html = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/").content.decode()
    assert rows_of(html, checklist) == [item.pk for item in items[2:]]
    assert f"See all {len(items)} actions" in html
    assert "(2 done)" in html
    assert f'href="{checklist_url(world, checklist)}"' in html


def test_the_incident_page_shows_a_limited_number_of_open_actions_and_says_how_many_there_are(
    world: World,
) -> None:
    checklist = checklist_of(world)
    add_actions(world, checklist, OPEN_PREVIEW)
    open_count = checklist.items.filter(status=ItemStatus.NOT_STARTED).count()
    html = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/").content.decode()
    assert len(rows_of(html, checklist)) == OPEN_PREVIEW
    assert f"Showing the first {OPEN_PREVIEW} of {open_count} open actions." in html


def test_a_module_with_every_action_done_says_so_on_the_incident_page(world: World) -> None:
    checklist = checklist_of(world)
    mark_done(world, list(checklist.items.all()))
    html = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/").content.decode()
    assert rows_of(html, checklist) == []
    assert "Every action in this module is done or does not apply." in html


@pytest.mark.parametrize("page", ["incident", "checklist"])
def test_the_page_makes_as_many_queries_with_ten_or_a_hundred_owned_actions(world: World, page: str) -> None:
    client = world.client_for("gold")
    checklist = checklist_of(world)
    url = f"/incidents/{world.incident_a.pk}/" if page == "incident" else checklist_url(world, checklist)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_actions(world, checklist, 90)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert f"Owner: {escape(world.people['bronze'].display_name)}" in html


def test_the_checklist_page_filters_open_and_completed_actions(world: World) -> None:
    checklist = checklist_of(world)
    items = list(checklist.items.order_by("position"))
    mark_done(world, items[:3])
    client = world.client_for("bronze")
    every = client.get(checklist_url(world, checklist)).content.decode()
    assert rows_on(every) == [item.pk for item in items]
    assert rows_on(client.get(checklist_url(world, checklist, "?show=open")).content.decode()) == [
        item.pk for item in items[3:]
    ]
    completed = client.get(checklist_url(world, checklist, "?show=completed")).content.decode()
    assert rows_on(completed) == [item.pk for item in items[:3]]
    assert "Reopen" in completed
    assert f"Open ({len(items) - 3})" in every
    assert "Done or not applicable (3)" in every


def test_an_unknown_filter_or_page_shows_the_first_page_of_every_action(world: World) -> None:
    checklist = checklist_of(world)
    response = world.client_for("gold").get(checklist_url(world, checklist, "?show=<b>&page=nine"))
    assert response.status_code == 200
    assert len(rows_on(response.content.decode())) == checklist.items.count()


def test_the_checklist_page_pages_through_long_lists_keeping_the_filter(world: World) -> None:
    checklist = checklist_of(world)
    add_actions(world, checklist, CHECKLIST_PAGE_SIZE)
    total_open = checklist.items.filter(status=ItemStatus.NOT_STARTED).count()
    client = world.client_for("gold")
    first = client.get(checklist_url(world, checklist, "?show=open")).content.decode()
    assert len(rows_on(first)) == CHECKLIST_PAGE_SIZE
    assert 'href="?show=open&amp;page=2"' in first
    second = client.get(checklist_url(world, checklist, "?show=open&page=2")).content.decode()
    assert len(rows_on(second)) == total_open - CHECKLIST_PAGE_SIZE
    assert not set(rows_on(first)) & set(rows_on(second))


def test_a_checklist_of_another_incident_is_not_found_under_this_one(world: World) -> None:
    other = Checklist.objects.filter(incident=world.incident_b).first()
    assert other is not None
    response = world.client_for("gold").get(checklist_url(world, other))
    assert response.status_code == 404


def test_marking_done_without_javascript_returns_to_the_checklist_page_it_was_done_on(world: World) -> None:
    checklist = checklist_of(world)
    item = checklist.items.order_by("position").first()
    assert item is not None
    page = checklist_url(world, checklist, "?show=open")
    response = world.client_for("gold").post(
        f"/actions/{item.pk}/status/", {"status": "done", "version": item.version, "next": page}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page}#item-{item.pk}"
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/incidents/"])
def test_a_return_address_that_is_not_this_checklist_page_goes_back_to_the_incident(
    world: World, target: str
) -> None:
    item = checklist_of(world).items.order_by("position").first()
    assert item is not None
    response = world.client_for("gold").post(
        f"/actions/{item.pk}/status/", {"status": "done", "version": item.version, "next": target}
    )
    assert response["Location"] == f"/incidents/{world.incident_a.pk}/#item-{item.pk}"


def test_the_incident_page_says_which_action_was_marked_done_without_javascript(world: World) -> None:
    item = checklist_of(world).items.order_by("position").first()
    assert item is not None
    client = world.client_for("gold")
    client.post(f"/actions/{item.pk}/status/", {"status": "done", "version": item.version})
    html = client.get(f"/incidents/{world.incident_a.pk}/").content.decode()
    assert "Action updated:" in html
    assert item.pk not in rows_on(html)
