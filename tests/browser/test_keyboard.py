"""The main flows with a keyboard only, in Chromium: no clicks. Focus moves with Tab and Shift+Tab;
controls are used with Enter and Space, as a person who cannot use a mouse would.

Checked: the GOV.UK skip link, Gold marking an action done from the incident page (status and
progress change, focus stays on that action's control and shows), and the DPO and the Caldicott
guardian signing off a submitted assessment that covers care data.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ElementHandle, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from incident_console.assessments.models import Assessment, SignOff
from incident_console.guidance.models import Checklist, ChecklistItem, ItemStatus
from tests.assessments.helpers import submitted_assessment
from tests.conftest import World
from tests.support.browser import SignedInPage

pytestmark = pytest.mark.browser

MOST_PRESSES = 150  # more Tabs than any page here needs to reach its last control

IS_FOCUSED = "el => document.activeElement === el"
FOCUS_SHOWS = """el => {
    const style = getComputedStyle(el);
    const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return el.matches(':focus-visible') && (outlined || style.boxShadow !== 'none');
}"""


def focused(page: Page, target: Locator) -> bool:
    handle: ElementHandle = target.element_handle()
    return bool(page.evaluate(IS_FOCUSED, handle))


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until ``target`` has focus; the number of presses it took."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, MOST_PRESSES + 1):
        page.keyboard.press(key)
        if focused(page, target):
            return presses
    active = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    pytest.fail(f"{key} never reached {target} on {page.url}; focus ended on {active}", pytrace=False)


def assert_focus_shows(page: Page, target: Locator) -> None:
    assert focused(page, target), f"focus is not on {target}"
    handle = target.element_handle()
    assert page.evaluate(FOCUS_SHOWS, handle), f"{target} has focus but shows no focus indicator"


def press_and_wait(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_the_skip_link_is_the_first_stop_and_takes_focus_to_the_main_content(
    live_world: World, live_server: LiveServer, signed_in_page: SignedInPage
) -> None:
    page = signed_in_page(live_server, live_world.people["gold"])
    page.goto(f"/incidents/{live_world.incident_a.pk}/")
    page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")
    skip = page.get_by_role("link", name="Skip to main content")

    assert tab_to(page, skip) == 1, "the skip link is not the first thing Tab reaches"
    assert_focus_shows(page, skip)
    expect(skip).to_be_in_viewport()  # hidden until focused, then shown
    page.keyboard.press("Enter")

    main = page.locator("main#main-content")
    expect(main).to_be_focused()
    page.keyboard.press("Tab")
    in_main = page.evaluate("() => !!document.activeElement.closest('main')")
    assert in_main, "the Tab after the skip link did not land inside the main content"


def adult_social_care(world: World) -> tuple[Checklist, ChecklistItem]:
    checklist = Checklist.objects.get(incident=world.incident_a, module__slug="adult-social-care")
    first = checklist.items.first()
    assert first is not None
    return checklist, first


def test_gold_reaches_an_action_from_the_dashboard_and_marks_it_done_with_the_keyboard_only(
    live_world: World, live_server: LiveServer, signed_in_page: SignedInPage
) -> None:
    incident = live_world.incident_a
    checklist, item = adult_social_care(live_world)
    page = signed_in_page(live_server, live_world.people["gold"])
    page.goto("/")
    page.wait_for_function("() => window.htmx !== undefined")

    tab_to(page, page.get_by_role("link", name=incident.reference, exact=True))
    press_and_wait(page, "Enter")
    expect(page).to_have_url(f"{live_server.url}/incidents/{incident.pk}/")
    page.wait_for_function("() => window.htmx !== undefined")

    row = page.locator(f"#item-{item.pk}")
    progress = page.locator(f"#progress-{checklist.pk} .console-progress__label")
    expect(progress).to_contain_text("0 of 9 done")
    expect(row.locator(".govuk-tag").first).to_have_text("Not started")
    mark_done = row.get_by_role("button", name=re.compile(r"^Mark done"))
    tab_to(page, mark_done)
    assert_focus_shows(page, mark_done)

    with page.expect_response(lambda r: r.url.endswith(f"/actions/{item.pk}/status/")):
        page.keyboard.press("Enter")

    expect(progress).to_contain_text("1 of 9 done")
    expect(row.locator(".govuk-tag").first).to_have_text("Done")
    # The row was swapped for its new state: focus is on the same action's control, now "Reopen".
    reopen = row.get_by_role("button", name=re.compile(r"^Reopen"))
    expect(reopen).to_be_focused()
    assert_focus_shows(page, reopen)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE

    # Shift+Tab goes back to the action's own link, in the same row: focus was not lost.
    link = row.get_by_role("link", name=item.title)
    assert tab_to(page, link, backwards=True) == 1
    press_and_wait(page, "Enter")
    expect(page).to_have_url(f"{live_server.url}/actions/{item.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(item.title)


def sign_off_with_keyboard(page: Page, assessment: Assessment, role_label: str, statement: str) -> None:
    page.goto(f"/assessments/{assessment.pk}/")
    page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")
    # A link styled and announced as a button: GOV.UK Frontend makes Space work on it, as on a button.
    tab_to(page, page.get_by_role("button", name="Sign off or return"))
    press_and_wait(page, "Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off or return an assessment")

    role = page.get_by_role("radio", name=role_label)
    tab_to(page, role)
    page.keyboard.press("Space")
    expect(role).to_be_checked()
    box = page.get_by_role("textbox", name="Statement")
    tab_to(page, box)
    page.keyboard.type(statement)
    sign = page.get_by_role("button", name="Sign off", exact=True)
    tab_to(page, sign)
    assert_focus_shows(page, sign)
    press_and_wait(page, "Enter")


def test_the_dpo_and_the_caldicott_guardian_sign_off_care_data_with_the_keyboard_only(
    live_world: World, live_server: LiveServer, signed_in_page: SignedInPage
) -> None:
    assessment = submitted_assessment(live_world)  # social care and safeguarding data
    signers = [
        ("dpo", "Data protection officer", "Reviewed for the DPO: notify the ICO."),
        ("caldicott", "Caldicott guardian", "Reviewed for care records: agree."),
    ]
    for key, role_label, statement in signers:
        page = signed_in_page(live_server, live_world.people[key])
        sign_off_with_keyboard(page, assessment, role_label, statement)

        expect(page).to_have_url(f"{live_server.url}/assessments/{assessment.pk}/")
        banner = page.locator(".govuk-notification-banner--success")
        expect(banner).to_contain_text("Signed off.")
        expect(banner).to_be_focused()  # read out first, and the next Tab starts from it
        signed = page.locator("li", has_text=f"{role_label}: Signed off")
        expect(signed).to_contain_text(live_world.people[key].display_name)
        expect(signed).to_contain_text(statement)
    signed_roles = SignOff.objects.filter(version__assessment=assessment, outcome="signed")
    assert set(signed_roles.values_list("role", flat=True)) == {"dpo", "caldicott"}
