"""Gold works the exercise's checklist in a real browser, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from incident_console.guidance.models import Checklist, ChecklistItem, ItemStatus
from tests.conftest import World
from tests.factories import PASSWORD
from tests.support.browser import SignedInPage, sign_in

pytestmark = pytest.mark.browser

ADULT_SOCIAL_CARE = "adult-social-care"


def adult_social_care(world: World) -> tuple[Checklist, ChecklistItem]:
    checklist = Checklist.objects.get(incident=world.incident_a, module__slug=ADULT_SOCIAL_CARE)
    first = checklist.items.first()  # in task-list order
    assert first is not None
    return checklist, first


def progress_of(page: Page, checklist: Checklist) -> Locator:
    return page.locator(f"#progress-{checklist.pk} .console-progress__label")


def mark_done_button(page: Page, item: ChecklistItem) -> Locator:
    return page.locator(f"#item-{item.pk}").get_by_role("button", name=re.compile(r"^Mark done"))


def status_tag(page: Page, item: ChecklistItem) -> Locator:
    return page.locator(f"#item-{item.pk}-status .govuk-tag").first


def test_gold_signs_in_opens_the_exercise_and_ticks_an_action_and_progress_moves(
    live_world: World, live_server: LiveServer, signed_in_page: SignedInPage
) -> None:
    incident = live_world.incident_a
    assert incident is not None
    checklist, item = adult_social_care(live_world)
    page = signed_in_page(live_server, live_world.people["gold"], through_form=True)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Incidents")
    page.get_by_role("link", name=incident.reference, exact=True).click()

    incident_url = f"{live_server.url}/incidents/{incident.pk}/"
    expect(page).to_have_url(incident_url)
    expect(page.locator(".console-exercise").first).to_contain_text("EXERCISE")
    expect(page.locator("header .console-classification")).to_contain_text("OFFICIAL-SENSITIVE")
    expect(progress_of(page, checklist)).to_contain_text("0 of 9 done")
    expect(status_tag(page, item)).to_have_text("Not started")
    first_row = page.locator(f"#checklist-{checklist.pk}-title ~ ul .govuk-task-list__item").first
    expect(first_row).to_have_id(f"item-{item.pk}")

    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__marker = 1 }")
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith(f"/actions/{item.pk}/status/")
    ) as posted:
        mark_done_button(page, item).click()
    request: Request = posted.value

    expect(progress_of(page, checklist)).to_contain_text("1 of 9 done")
    expect(status_tag(page, item)).to_have_text("Done")
    assert request.headers.get("hx-request") == "true"
    assert page.url == incident_url
    assert page.evaluate("() => window.__marker") == 1, "the page was reloaded instead of swapped"

    # Reloaded, the incident page lists open actions only; the done one is on the module's page.
    page.reload()
    expect(progress_of(page, checklist)).to_contain_text("1 of 9 done")
    expect(page.locator(f"#item-{item.pk}")).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^See all 9 actions")).click()
    expect(page).to_have_url(f"{incident_url}checklists/{checklist.pk}/")
    expect(status_tag(page, item)).to_have_text("Done")
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE


def test_checklist_works_without_javascript(
    live_world: World, live_server: LiveServer, signed_in_page: SignedInPage
) -> None:
    incident = live_world.incident_a
    assert incident is not None
    checklist, item = adult_social_care(live_world)
    page = signed_in_page(
        live_server, live_world.people["gold"], java_script_enabled=False, through_form=True
    )

    page.goto(f"/incidents/{incident.pk}/")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))  # no script ran
    expect(progress_of(page, checklist)).to_contain_text("0 of 9 done")
    with page.expect_navigation():
        mark_done_button(page, item).click()

    expect(page).to_have_url(re.compile(rf"/incidents/{incident.pk}/#item-{item.pk}$"))
    expect(progress_of(page, checklist)).to_contain_text("1 of 9 done")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Action updated: {item.title}")

    # On the module's page of completed actions, reopening it comes back to that page.
    completed = f"/incidents/{incident.pk}/checklists/{checklist.pk}/?show=completed"
    page.goto(completed)
    expect(status_tag(page, item)).to_have_text("Done")
    with page.expect_navigation():
        page.locator(f"#item-{item.pk}").get_by_role("button", name=re.compile(r"^Reopen")).click()
    expect(page).to_have_url(re.compile(re.escape(completed) + rf"#item-{item.pk}$"))
    expect(progress_of(page, checklist)).to_contain_text("0 of 9 done")
    expect(page.locator(f"#item-{item.pk}")).to_have_count(0)
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS


def test_a_wrong_password_shows_an_error_summary(live_world: World, browser_context: BrowserContext) -> None:
    page = browser_context.new_page()
    sign_in(page, live_world.people["gold"].get_username(), password=PASSWORD + "-wrong")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page).to_have_title(re.compile(r"^\s*Error:"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("tabindex", "-1")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus there so it is read out first
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("alert")).to_contain_text("enter a correct username and password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
