"""The Content Security Policy as Chromium enforces it: no page of the console trips it.

Every page the accessibility test opens (its PAGES, so a new page joins both), Swagger UI, and the
one-click "Mark done" that htmx swaps in place. A ``securitypolicyviolation`` listener, added
before any page script runs, records each violation in ``window.__cspViolations`` and reports it
to the test, so violations on a page the test has already left are not lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from incident_console.guidance.models import ChecklistItem, ItemStatus
from tests.browser.test_accessibility import PAGES, PageCase
from tests.conftest import World
from tests.support.browser import SignedInPage

pytestmark = pytest.mark.browser

LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const described = [
    e.violatedDirective,
    'blocked=' + (e.blockedURI || '(none)'),
    'at ' + (e.sourceFile || e.documentURI) + ':' + e.lineNumber,
    e.sample ? 'sample=' + JSON.stringify(e.sample) : '',
  ].join(' ');
  window.__cspViolations.push(e.violatedDirective);
  if (window.__reportCspViolation) { window.__reportCspViolation(described); }
}, true);
"""

# Chromium logs a console error for any response of 400 or more, the page's own included. A page
# that answers a form's errors with 400, or django-axes' lockout (429), expects exactly that one.
OWN_STATUS = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})")


@dataclass
class Watch:
    """What one page reported: CSP violations, console errors and uncaught exceptions."""

    violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def page_error(self, error: Error) -> None:
        self.page_errors.append(str(error))

    def unexpected_console_errors(self, allowed_statuses: set[int]) -> list[str]:
        unexpected = []
        for text in self.console_errors:
            match = OWN_STATUS.match(text)
            if match and int(match.group(1)) in allowed_statuses:
                continue
            unexpected.append(text)
        return unexpected


def watch(page: Page) -> Watch:
    """Start watching ``page``; call before its first navigation."""
    seen = Watch()

    def report(described: str) -> None:
        seen.violations.append(described)

    page.expose_function("__reportCspViolation", report)
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.on("console", seen.console)
    page.on("pageerror", seen.page_error)
    return seen


def violations_in_page(page: Page) -> list[str]:
    found: list[str] = page.evaluate("() => window.__cspViolations || null")
    assert found is not None, "the violation listener was not installed in this document"
    return found


def assert_clean(page: Page, seen: Watch, label: str, allowed_statuses: frozenset[int] = frozenset()) -> None:
    in_page = violations_in_page(page)  # also a round trip, so reports in flight have arrived
    assert seen.violations == [] and in_page == [], f"CSP violations on {label}: {seen.violations or in_page}"
    console = seen.unexpected_console_errors(set(allowed_statuses))
    assert console == [], f"console errors on {label}: {console}"
    assert seen.page_errors == [], f"uncaught errors on {label}: {seen.page_errors}"


def open_page(
    case: PageCase, world: World, live_server: LiveServer, signed_in: SignedInPage, context: BrowserContext
) -> Page:
    if case.user is None:
        return context.new_page()
    return signed_in(live_server, world.people[case.user])


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.id)
def test_page_runs_without_csp_violations_or_console_errors(
    case: PageCase,
    live_world: World,
    live_server: LiveServer,
    signed_in_page: SignedInPage,
    browser_context: BrowserContext,
) -> None:
    page = open_page(case, live_world, live_server, signed_in_page, browser_context)
    seen = watch(page)
    path = case.path(live_world)
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    if case.then is not None:
        case.then(page, live_world)
    page.wait_for_load_state("load")
    # GOV.UK Frontend's module script ran, so scripts from 'self' are allowed and working.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    page.wait_for_function("() => window.htmx !== undefined")
    allowed = {400, 429} if case.then is not None else set()
    assert_clean(page, seen, case.id, frozenset(allowed))


def test_the_inline_js_enabled_script_runs_under_the_nonce(
    live_world: World, browser_context: BrowserContext
) -> None:
    page = browser_context.new_page()
    seen = watch(page)
    page.goto("/accounts/login/")
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    assert_clean(page, seen, "sign-in")


def test_the_check_itself_catches_an_inline_script_without_the_nonce(
    live_world: World, browser_context: BrowserContext
) -> None:
    """Guards the harness: a script or style the policy forbids is reported and does not run."""
    page = browser_context.new_page()
    seen = watch(page)
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
        const script = document.createElement('script');
        script.textContent = 'window.__ran = true';
        document.body.append(script);
        const p = document.createElement('p');
        p.setAttribute('style', 'color: red');
        document.body.append(p);
    }"""
    )
    page.wait_for_function("() => window.__cspViolations.length >= 2")
    assert page.evaluate("() => window.__ran === true") is False
    assert set(violations_in_page(page)) == {"script-src-elem", "style-src-attr"}
    with pytest.raises(AssertionError, match="CSP violations"):
        assert_clean(page, seen, "tampered sign-in")


def test_swagger_ui_loads_and_expands_an_operation_without_csp_violations(
    live_world: World, live_server: LiveServer, signed_in_page: SignedInPage
) -> None:
    page = signed_in_page(live_server, live_world.people["gold"])
    seen = watch(page)
    response = page.goto("/api/docs/")
    assert response is not None and response.ok
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Incident command console API")
    operation = page.locator(".opblock-summary").first
    expect(operation).to_be_visible()
    operation.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert_clean(page, seen, "/api/docs/")


def test_mark_done_still_swaps_in_place_under_the_policy(
    live_world: World, live_server: LiveServer, signed_in_page: SignedInPage
) -> None:
    item = ChecklistItem.objects.filter(checklist__incident=live_world.incident_a).order_by("pk").first()
    assert item is not None
    page = signed_in_page(live_server, live_world.people["gold"])
    seen = watch(page)
    incident_path = f"/incidents/{live_world.incident_a.pk}/"
    page.goto(incident_path)
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("() => document.cookie.includes('csrftoken')") is False, "CSRF cookie is readable"
    page.evaluate("() => { window.__marker = 1 }")

    row = page.locator(f"#item-{item.pk}")
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith(f"/actions/{item.pk}/status/")
    ) as p:
        row.get_by_role("button", name=re.compile(r"^Mark done")).click()
    request: Request = p.value
    expect(row.locator(".govuk-tag").first).to_have_text("Done")

    assert request.headers.get("hx-request") == "true"
    assert request.headers.get("x-csrftoken"), "htmx sent no CSRF token"
    assert page.url == f"{live_server.url}{incident_path}"
    assert page.evaluate("() => window.__marker") == 1, "the page was reloaded instead of swapped"
    assert page.locator("style").count() == 0, "something injected a <style> element"
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert_clean(page, seen, "Mark done")
