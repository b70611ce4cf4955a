"""The Content Security Policy and the cookie flags, checked on the server's own responses.

Every page of the console (the same list the accessibility test walks, so a new page joins both)
must carry the strict policy, and its HTML must need nothing the policy forbids: each <script> has
a ``src`` or the response's nonce, and there is no inline style at all. The browser proves the
same from the other side in tests/browser/test_csp_in_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from incident_console.guidance.models import ChecklistItem
from tests.browser.test_accessibility import PAGES, PageCase
from tests.conftest import World
from tests.factories import PASSWORD

if TYPE_CHECKING:  # what the test client returns; a name that exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as ClientResponse

    Response = HttpResponse | ClientResponse

CSP = "Content-Security-Policy"
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:")
NONCE_SOURCE = re.compile(r"^'nonce-([A-Za-z0-9+/=]+)'$")

EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce-{nonce}'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}


# --- Reading a response ---------------------------------------------------------------------------


def policy_of(response: Response) -> dict[str, list[str]]:
    assert CSP in response, f"no {CSP} header"
    directives: dict[str, list[str]] = {}
    for part in response[CSP].split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} appears twice in {response[CSP]}"
        directives[name] = sources
    return directives


def nonce_in(policy: dict[str, list[str]]) -> str | None:
    nonces = [m.group(1) for s in policy.get("script-src", []) if (m := NONCE_SOURCE.match(s))]
    assert len(nonces) <= 1, policy
    return nonces[0] if nonces else None


def hash_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@dataclass
class Markup(HTMLParser):
    """The parts of an HTML document a Content Security Policy cares about."""

    scripts: list[dict[str, str | None]] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)  # onclick= and friends, javascript: URLs
    forms: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # POST forms: action, hidden
    _in_style: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values)
        if tag == "style":
            self._in_style = True
            self.styles.append("")
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self.forms.append((values.get("action") or "", {}))
        if tag == "input" and values.get("type") == "hidden" and values.get("name") and self.forms:
            self.forms[-1][1][str(values["name"])] = values.get("value") or ""
        if "style" in values:
            self.style_attributes.append(f"<{tag} style={values['style']!r}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles[-1] += data


def markup_of(response: Response) -> Markup:
    parser = Markup()
    parser.feed(response.content.decode())
    parser.close()
    return parser


def assert_policy_is_strict(policy: dict[str, list[str]]) -> None:
    for directive in ("default-src", "script-src", "style-src"):
        assert directive in policy, f"{directive} missing from {policy}"
        allowed = [s for s in policy[directive] if s in UNSAFE]
        assert not allowed, f"{directive} allows {allowed}"
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]


def assert_page_obeys_its_policy(response: Response, label: str) -> None:
    """A console page: the strict policy with a nonce, and HTML that needs nothing more."""
    assert response["Content-Type"].startswith("text/html"), label
    policy = policy_of(response)
    assert_policy_is_strict(policy)
    nonce = nonce_in(policy)
    assert nonce, f"{label}: script-src has no nonce, so the page's inline script would be blocked"
    expected = {k: [s.format(nonce=nonce) for s in v] for k, v in EXPECTED_POLICY.items()}
    assert policy == expected, label

    html = markup_of(response)
    assert html.scripts, f"{label}: no <script> at all; is this page built on base.html?"
    for script in html.scripts:
        assert script.get("src") or script.get("nonce") == nonce, f"{label}: {script} would be blocked"
    assert html.styles == [], f"{label}: <style> elements: {html.styles}"
    assert html.style_attributes == [], f"{label}: style attributes: {html.style_attributes}"
    assert html.handlers == [], f"{label}: inline event handlers or javascript: URLs: {html.handlers}"


# --- Every page -----------------------------------------------------------------------------------


def client_for(case: PageCase, world: World) -> Client:
    return Client() if case.user is None else world.client_for(case.user)


def lock_out(client: Client, world: World, path: str) -> Response:
    response: Response | None = None
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(path, {"username": world.people["gold"].get_username(), "password": "wrong"})
    assert response is not None
    return response


def open_case(case: PageCase, world: World) -> Response:
    """The server-side equivalent of what the browser test does for this case."""
    client = client_for(case, world)
    path = case.path(world)
    if case.id == "sign-in-paused":
        return lock_out(client, world, path)
    if case.id == "contact-details-with-errors":  # every field is optional: an empty form is valid
        return client.post(path, {"mobile_phone": "12345"})
    if case.id == "retention-period-with-errors":  # empty means the default: a valid form
        return client.post(path, {"retention_days": "0"})
    if case.id == "payment-reject-with-errors":  # the reject form posts to its own URL
        return client.post(f"{path}reject/", {"reject-version": "1"})
    if case.id == "bank-change-call-back-with-errors":  # so does the call-back form
        return client.post(f"{path}call-back/", {"call_back-version": "1"})
    if case.id == "manual-record-to-enter-with-errors":  # the record page's forms post to actions
        return client.post(f"{path}enter/", {"enter-version": "1"})
    if case.id == "manual-record-to-return-with-errors":
        return client.post(f"{path}return/", {"return-version": "1"})
    if case.errors:
        return submit_empty(client, path)
    return client.get(path)


def submit_empty(client: Client, path: str) -> Response:
    """Submit the page's form as a browser would with nothing filled in: hidden fields only."""
    forms = markup_of(client.get(path)).forms
    hidden = next((fields for action, fields in forms if action in ("", path)), None)
    assert hidden is not None, f"{path} has no form that posts to itself"
    return client.post(path, hidden)


@pytest.mark.django_db
@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.id)
def test_every_page_carries_the_strict_policy_and_needs_nothing_it_forbids(
    case: PageCase, world: World
) -> None:
    response = open_case(case, world)
    if case.id == "sign-in-paused":
        expected = {429}  # django-axes answers Too Many Requests
    elif case.errors:
        expected = {200, 400}  # some form views answer 400 with the errors shown
    else:
        expected = {200}
    assert response.status_code in expected, f"{case.id} answered {response.status_code}"
    if case.errors:
        assert b"govuk-error-summary" in response.content, f"{case.id}: the empty form showed no errors"
    assert_page_obeys_its_policy(response, case.id)


@pytest.mark.django_db
def test_an_htmx_fragment_carries_the_policy_and_has_no_inline_script_or_style(world: World) -> None:
    item = ChecklistItem.objects.filter(checklist__incident=world.incident_a).order_by("pk").first()
    assert item is not None
    response = world.client_for("gold").post(
        f"/actions/{item.pk}/status/",
        {"status": "done", "version": item.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert_policy_is_strict(policy_of(response))
    html = markup_of(response)
    assert html.scripts == []
    assert html.styles == []
    assert html.style_attributes == []
    assert html.handlers == []


# --- The API's documentation, schema and health ---------------------------------------------------


@pytest.mark.django_db
def test_swagger_ui_runs_no_inline_script_and_only_its_own_hashed_style(world: World) -> None:
    client = world.client_for("gold")
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = policy_of(response)
    assert_policy_is_strict(policy)
    html = markup_of(response)
    assert html.scripts, "Swagger UI loads no script"
    inline = [s for s in html.scripts if not s.get("src")]
    assert inline == [], f"inline scripts (use the split view): {inline}"
    for style in html.styles:
        source = hash_source(style)
        assert source in policy["style-src"], (
            f'Swagger UI\'s inline <style> changed; set SWAGGER_UI_STYLE_HASH = "{source}" '
            "in incident_console/settings/security.py after checking the new block"
        )
    assert html.style_attributes == []
    assert html.handlers == []

    # The start-up script the page loads is a separate same-origin response of type JavaScript.
    script_src = [str(s["src"]) for s in html.scripts if "script=" in str(s["src"])]
    assert len(script_src) == 1, html.scripts
    script = client.get(script_src[0].replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


@pytest.mark.django_db
def test_the_swagger_style_hash_applies_to_the_docs_view_only(world: World) -> None:
    """The hash is a per-view exception; every other page allows no inline style."""
    client = world.client_for("gold")
    assert settings.SWAGGER_UI_STYLE_HASH in policy_of(client.get("/api/docs/"))["style-src"]
    for path in ["/", "/accounts/login/", "/api/schema/"]:
        assert policy_of(client.get(path))["style-src"] == ["'self'"], path


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/schema/", "/api/v1/incidents/", "/healthz", "/healthz/live"])
def test_api_and_health_responses_carry_the_strict_policy(world: World, path: str) -> None:
    response = world.client_for("gold").get(path)
    assert response.status_code in (200, 503), f"{path} answered {response.status_code}"
    policy = policy_of(response)
    assert_policy_is_strict(policy)
    # Nothing rendered a nonce, so none is offered: script-src is 'self' alone.
    assert policy["script-src"] == ["'self'"]


# --- Properties of the nonce and the other headers ------------------------------------------------


@pytest.mark.django_db
def test_the_nonce_is_new_for_every_response(world: World) -> None:
    client = world.client_for("gold")
    nonces = {nonce_in(policy_of(client.get("/"))) for _ in range(3)}
    assert None not in nonces
    assert len(nonces) == 3
    for nonce in nonces:
        assert nonce is not None and len(base64.b64decode(nonce)) >= 16


@pytest.mark.django_db
def test_the_checks_above_catch_an_inline_script_without_the_nonce(world: World) -> None:
    """Guards the harness: a page with an un-nonced inline script or a style attribute fails."""
    page = world.client_for("gold").get("/")
    policy = policy_of(page)
    nonce = nonce_in(policy)
    assert nonce is not None
    for bad in ["<script>alert(1)</script>", '<p style="color: red">x</p>', "<style>p{}</style>"]:
        tampered = HttpResponse(page.content.replace(b"</main>", bad.encode() + b"</main>"))
        tampered[CSP] = page[CSP]
        with pytest.raises(AssertionError):
            assert_page_obeys_its_policy(tampered, "tampered")


@pytest.mark.django_db
def test_pages_refuse_framing_sniffing_referrers_and_shared_windows(world: World) -> None:
    response = world.client_for("gold").get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# --- Cookies --------------------------------------------------------------------------------------


def assert_http_only_and_lax(cookie_name: str, response: Response) -> None:
    assert cookie_name in response.cookies, f"{cookie_name} was not set"
    morsel = response.cookies[cookie_name]
    assert morsel["httponly"] is True, f"{cookie_name} is readable by page scripts"
    assert morsel["samesite"] == "Lax", f"{cookie_name} has SameSite={morsel['samesite']!r}"


@pytest.mark.django_db
def test_the_csrf_cookie_is_http_only_and_same_site_lax() -> None:
    response = Client().get("/accounts/login/")
    assert_http_only_and_lax(settings.CSRF_COOKIE_NAME, response)


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_same_site_lax(world: World) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": world.people["staff"].get_username(), "password": PASSWORD},
    )
    assert response.status_code == 302, "staff could not sign in"
    assert_http_only_and_lax(settings.SESSION_COOKIE_NAME, response)


@pytest.mark.django_db
def test_the_page_gives_htmx_the_csrf_token_so_the_cookie_can_stay_http_only(world: World) -> None:
    client = world.client_for("gold")
    html = client.get(f"/incidents/{world.incident_a.pk}/").content.decode()
    match = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", html)
    assert match, "<body> carries no hx-headers with the CSRF token"
    item = ChecklistItem.objects.filter(checklist__incident=world.incident_a).order_by("pk").first()
    assert item is not None
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies

    def posted(headers: dict[str, str]) -> Response:
        return strict.post(
            f"/actions/{item.pk}/status/",
            {"status": "done", "version": item.version},
            headers={"HX-Request": "true", **headers},
        )

    assert posted({}).status_code == 403, "the POST went through without a CSRF token"
    assert posted({"X-CSRFToken": match.group(1)}).status_code == 200
