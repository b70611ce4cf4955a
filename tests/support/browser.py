"""Driving Debian's Chromium with Playwright against pytest-django's ``live_server``.

Fixtures (import them into a conftest, e.g. ``from tests.support.browser import browser``):

``browser``            one Chromium for the whole session (skipped without /usr/bin/chromium,
                       a failure when ``CI=true``).
``browser_context``    a fresh context (cookies, storage) per test, JavaScript on, closed afterwards.
``signed_in_page``     a factory: ``signed_in_page(live_server, user)`` returns a page in a context
                       of its own with ``user`` signed in; ``through_form=True`` signs in through
                       the sign-in page, ``java_script_enabled=False`` gives a no-JavaScript
                       browser. Every context it opens is closed after the test.

Helpers: ``new_context``, ``sign_in`` (the sign-in form; the one place a second factor will be
added) and ``session_cookie`` (``force_login`` for a browser).

Playwright's sync API keeps an event loop in the test thread, so Django's async-safety guard must
be off while these run: the browser conftest sets ``DJANGO_ALLOW_ASYNC_UNSAFE``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from incident_console.accounts.models import User
from tests.factories import PASSWORD, current_code, signed_in_client

if TYPE_CHECKING:  # Playwright exports the type only from its implementation package
    from playwright._impl._api_structures import SetCookieParam

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOGIN_PATH = "/accounts/login/"
# Generous enough for a loaded 2-core CI machine, short enough that a hang fails quickly.
TIMEOUT_MS = 10_000


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_or_fail(reason: str) -> NoReturn:
    """Skip locally; with CI=true a missing browser is a failure, not a skip."""
    if in_ci():
        pytest.fail(f"Chromium is required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session; each test opens contexts of its own."""
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def new_context(
    browser: Browser, live_server: LiveServer, *, java_script_enabled: bool = True
) -> BrowserContext:
    """A fresh context whose relative URLs resolve against the live server."""
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=java_script_enabled, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def browser_context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    context = new_context(browser, live_server)
    try:
        yield context
    finally:
        context.close()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page, as a person would. Does not check where it lands."""
    page.goto(LOGIN_PATH)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    if "/accounts/two-factor/verify/" in page.url:
        # The second factor, as the person's authenticator app would give it.
        user = User.objects.get(username=username)
        page.get_by_label("Code").fill(current_code(user))
        page.get_by_role("button", name="Continue", exact=True).click()
        page.wait_for_load_state()


def session_cookie(user: User, live_server: LiveServer) -> SetCookieParam:
    """A session cookie for ``user``, made the way ``Client.force_login`` makes one, and past the
    second factor when the person's role needs it.

    The session row is written in the test's (committed) database, so the live server sees it.
    """
    client = signed_in_client(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


class SignedInPage(Protocol):
    def __call__(
        self,
        live_server: LiveServer,
        user: User,
        *,
        java_script_enabled: bool = True,
        through_form: bool = False,
    ) -> Page: ...


@pytest.fixture
def signed_in_page(browser: Browser) -> Iterator[SignedInPage]:
    """``signed_in_page(live_server, user)``: a new page, in a new context, with ``user`` signed in."""
    contexts: list[BrowserContext] = []

    def open_page(
        live_server: LiveServer,
        user: User,
        *,
        java_script_enabled: bool = True,
        through_form: bool = False,
    ) -> Page:
        context = new_context(browser, live_server, java_script_enabled=java_script_enabled)
        contexts.append(context)
        page = context.new_page()
        if through_form:
            sign_in(page, user.get_username())
            if page.url.startswith(live_server.url + LOGIN_PATH):
                pytest.fail(f"{user.get_username()} could not sign in through the form", pytrace=False)
        else:
            context.add_cookies([session_cookie(user, live_server)])
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()
