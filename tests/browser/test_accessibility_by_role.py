"""axe-core (WCAG 2.2 AA) on the console's main flows as each role sees them.

``test_accessibility.py`` opens every page once, as one chosen person. A page can look different
to another role (buttons a DPO has and Gold has not, the partner's briefing view, admin links), so
here each role signs in once, in one browser context, and walks the main-flow pages of ``PAGES``
that it may open. Which pages a role may open is not a second hand-made list: it is asked of the
server (the page answers 200 to that person); the few pages each role must reach are named in
``MUST_OPEN`` so the test cannot pass by opening nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from incident_console.accounts.models import User
from incident_console.command.services import assign_role
from tests.assessments.helpers import command_roles
from tests.browser.test_accessibility import AXE_OPTIONS, PAGES, PageCase, axe, describe
from tests.conftest import World
from tests.factories import signed_in_client
from tests.support.browser import LOGIN_PATH, SignedInPage

pytestmark = pytest.mark.browser

# The pages of the main flows, by their id in PAGES: dashboard, the exercise incident, an action of
# its checklist, command board, decision log, rotas and my shifts, assessments, contacts, sitreps,
# and the pages only some roles have (sign-off, the partner's sitreps, admin pages).
MAIN_FLOWS = (
    "dashboard",
    "incident",
    "action",
    "command-board",
    "decision-log",
    "rotas",
    "rota",
    "my-shifts",
    "assessments",
    "assessment",
    "sign-off-assessment",
    "check-sign-offs",
    "key-contacts-register",
    "contact-access-log",
    "sitreps",
    "sitreps-as-partner",
    "sitrep-issued",
    "invitations",
    "audit-log",
    "sign-in-resets",
    "council-api-tokens",
    "retention-period",
)

# The people of ``World.people`` who play each role. Gold holds Gold and bronze holds Silver (IT)
# (``command_roles``); the bystander, a responder of the council, is given Bronze (IT) here.
ROLES = {
    "gold": "gold",
    "silver": "bronze",
    "bronze": "bystander",
    "staff": "staff",
    "dpo": "dpo",
    "caldicott": "caldicott",
    "partner": "partner",
    "admin": "admin",
}

# Pages each role must reach, so a role shut out of everything fails rather than passes.
MUST_OPEN = {
    "gold": {"dashboard", "incident", "action", "command-board", "decision-log", "sitreps", "assessments"},
    "silver": {"dashboard", "incident", "command-board", "decision-log", "sitreps", "assessment"},
    "bronze": {"dashboard", "incident", "command-board", "decision-log", "sitreps"},
    "staff": {"dashboard", "incident", "rota", "my-shifts"},
    "dpo": {"dashboard", "assessments", "assessment", "sign-off-assessment", "check-sign-offs"},
    "caldicott": {"dashboard", "assessments", "assessment", "sign-off-assessment"},
    "partner": {"dashboard", "incident", "sitreps"},
    "admin": {"dashboard", "invitations", "audit-log", "sign-in-resets", "key-contacts-register"},
}


@dataclass(frozen=True)
class Visit:
    id: str
    path: str
    checked_elsewhere: bool = False


def give_bronze(w: World) -> None:
    command_roles(w)
    gold = w.people["gold"]
    assign_role(incident=w.incident_a, actor=gold, user=w.people["bystander"], tier="bronze", cell="it")


def pages_for(role: str, w: World) -> tuple[list[Visit], dict[str, int]]:
    """The main-flow pages this role's person may open (each path once), and what the others
    answered."""
    user: User = w.people[ROLES[role]]
    client = signed_in_client(user)
    cases: list[PageCase] = [case for case in PAGES if case.id in MAIN_FLOWS]
    assert {case.id for case in cases} == set(MAIN_FLOWS), "a MAIN_FLOWS id is not in PAGES"
    paths = [(case, case.path(w)) for case in cases]  # builds everything the pages show first
    visits: list[Visit] = []
    refused: dict[str, int] = {}
    seen: set[str] = set()
    for case, path in paths:
        if path in seen:
            continue
        status = client.get(path).status_code
        if status != 200:
            refused[case.id] = status
            continue
        seen.add(path)
        # test_accessibility.py already checks this page as this very person: no need to again.
        checked_there = case.user == ROLES[role] and case.then is None
        visits.append(Visit(case.id, path, checked_there))
    return visits, refused


def check(page: Page, visit: Visit, live_server: LiveServer) -> list[dict[str, Any]]:
    response = page.goto(visit.path)
    assert response is not None, f"no response from {visit.path}"
    assert response.ok, f"{visit.id}: {visit.path} answered {response.status}"
    assert not page.url.startswith(live_server.url + LOGIN_PATH), f"{visit.id}: sent to sign in"
    assert page.url.split("#")[0] == live_server.url + visit.path, f"{visit.id} redirected to {page.url}"
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).not_to_have_text("")
    expect(page.locator(".console-classification")).to_have_count(2)  # a console page, top and bottom
    violations: list[dict[str, Any]] = axe.run(page, options=AXE_OPTIONS).response["violations"]
    return violations


@pytest.mark.parametrize("role", list(ROLES))
def test_every_main_flow_page_a_role_can_open_has_no_wcag_22_aa_violations(
    role: str, live_world: World, live_server: LiveServer, signed_in_page: SignedInPage
) -> None:
    give_bronze(live_world)
    visits, refused = pages_for(role, live_world)
    opened = {visit.id for visit in visits}
    missing = MUST_OPEN[role] - opened
    assert not missing, f"{role} could not open {sorted(missing)} (answers: {refused})"

    page = signed_in_page(live_server, live_world.people[ROLES[role]])
    failures: list[str] = []
    for visit in [visit for visit in visits if not visit.checked_elsewhere]:
        violations = check(page, visit, live_server)
        if violations:
            failures.append(f"axe on {visit.id} as {role} ({visit.path}):\n{describe(violations)}")
    here = sorted(visit.id for visit in visits if not visit.checked_elsewhere)
    print(f"\n{role} opens {len(visits)} main-flow pages; checked here: {', '.join(here)}")
    print(f"{role} is refused: {refused}")
    assert not failures, "\n".join(failures)
