"""axe-core (WCAG 2.2 AA rules) on every page of the console, in Chromium with JavaScript on.

Every page, also every page as it looks with form errors, is listed once in PAGES. A new page
joins PAGES in the change that adds it (house rule 11); the last test here fails until it does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from incident_console.guidance.models import ChecklistItem, ModuleVersion
from incident_console.incidents.models import Incident
from incident_console.lib.time import now
from tests import factories
from tests.assessments.helpers import an_assessment, command_roles, submitted_assessment
from tests.broadcasts.helpers import a_broadcast
from tests.closure.helpers import built_archive
from tests.command.helpers import (
    a_decision,
    a_rhythm_entry,
    a_risk,
    bronze_holds_bronze_it,
    handover_to_gold,
)
from tests.conftest import World
from tests.contacts.helpers import a_register
from tests.continuity.helpers import a_record
from tests.factories import PASSWORD
from tests.lessons.helpers import a_lesson, a_recovery_handover
from tests.payments.helpers import a_change, a_payment, an_authorised_payment, payment_fields, payment_roles
from tests.priority_cases.helpers import a_case
from tests.recovery.helpers import a_notification, a_system
from tests.reports.helpers import a_grab_pack, a_restricted_pack, finished_job
from tests.reports.sitrep_helpers import a_draft, an_issued
from tests.rotas.helpers import gap_rota, gold_rota
from tests.safeguarding.helpers import a_deadline, deadlines_url, today
from tests.support.browser import SignedInPage, sign_in

pytestmark = pytest.mark.browser

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_22_AA},
    "resultTypes": ["violations"],
}
OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"

axe = Axe()


# --- What to open ---------------------------------------------------------------------------------


def exercise(w: World) -> Incident:
    assert w.incident_a is not None
    return w.incident_a


def assessments_of(w: World) -> str:
    command_roles(w)
    return f"/incidents/{exercise(w).pk}/assessments"


def data_protection_page(
    id: str,
    route: str,
    path: Callable[[World], str],
    *,
    user: str = "dpo",
    then: Callable[[Page, World], None] | None = None,
    errors: bool = False,
) -> PageCase:
    """An assessment page inside the exercise incident, as the DPO (or the Silver who wrote it)."""
    return PageCase(
        id, route, path, user=user, then=then, errors=errors, classification=OFFICIAL_SENSITIVE, exercise=True
    )


def first_action(w: World) -> ChecklistItem:
    item = ChecklistItem.objects.filter(checklist__incident=exercise(w)).order_by("pk").first()
    assert item is not None
    return item


def adult_social_care_guidance(w: World) -> ModuleVersion:
    return ModuleVersion.objects.filter(module__slug="adult-social-care").latest("pk")


def incident_without_guidance(w: World) -> Incident:
    """A live incident with no module applied yet, so the apply page offers a choice."""
    return factories.incident(
        w.a, w.people["gold"], title="Phishing on the payroll mailbox", services_affected=[]
    )


# --- What to do on the page before checking it -------------------------------------------------


def submit(button: str) -> Callable[[Page, World], None]:
    def press(page: Page, w: World) -> None:
        with page.expect_navigation():
            page.get_by_role("button", name=button, exact=True).click()

    return press


def mark_not_applicable_without_a_reason(page: Page, w: World) -> None:
    page.get_by_label("Not applicable", exact=True).check()
    submit("Save")(page, w)


def wrong_password(page: Page, w: World) -> None:
    sign_in(page, w.people["gold"].get_username(), password=PASSWORD + "-wrong")


def wrong_password_until_locked_out(page: Page, w: World) -> None:
    for _attempt in range(10):
        wrong_password(page, w)
        if page.get_by_role("heading", name=re.compile("Sign-in is paused")).count():
            return
    pytest.fail("ten wrong passwords did not lock the account", pytrace=False)


def fill_invitation(page: Page, w: World) -> None:
    page.get_by_label("Partner: sees the summary and progress only").check()
    page.get_by_label("Their name").fill("Sam Okoro")
    page.get_by_label("Their organisation").fill("Fernley District Council")
    submit("Create invitation")(page, w)


def invitation_link(w: World) -> str:
    from incident_console.incidents.services import invite

    _invitation, raw = invite(
        incident=exercise(w), actor=w.people["admin"], role="partner", name="Sam Okoro", organisation="ICB"
    )
    return f"/invitations/{raw}/"


def reminded(w: World, path: str) -> str:
    """Gold has an overdue action and its reminder: the centre, or the acknowledgement link."""
    from incident_console.notifications.links import acknowledgement_token
    from incident_console.notifications.models import Notification
    from incident_console.notifications.services import sweep

    item = ChecklistItem.objects.filter(checklist__incident=exercise(w)).order_by("pk").first()
    assert item is not None
    item.owner, item.due_at = w.people["gold"], now() - timedelta(minutes=5)
    item.save()
    sweep()
    if path != "link":
        return path
    notification = Notification.objects.filter(recipient=w.people["gold"]).first()
    assert notification is not None
    return f"/notifications/ack/{acknowledgement_token(notification)}/"


def wrong_contact_details(page: Page, w: World) -> None:
    page.get_by_label("Mobile phone (optional)").fill("12345")
    submit("Save")(page, w)


def create_token(page: Page, w: World) -> None:
    page.get_by_label("Name", exact=True).fill("Silver's reporting script")
    submit("Create token")(page, w)


def password_only(page: Page, w: World) -> None:
    """Gold's password, stopping at the second-factor step."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(w.people["gold"].get_username())
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert "/accounts/two-factor/verify/" in page.url, page.url


def password_then_no_code(page: Page, w: World) -> None:
    password_only(page, w)
    submit("Continue")(page, w)


def confirm_new_authenticator(page: Page, w: World) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=w.people["staff"], confirmed=False)
    page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    submit("Confirm")(page, w)
    assert "/accounts/two-factor/recovery-codes/" in page.url, page.url


def wrong_current_password(page: Page, w: World) -> None:
    page.get_by_label("Old password").fill(PASSWORD + "-wrong")
    submit("Change password")(page, w)


@dataclass(frozen=True)
class PageCase:
    """One page, as one person sees it, in one state."""

    id: str
    route: str  # the URL name it shows, so the coverage test knows every page is here
    path: Callable[[World], str]
    user: str | None = "gold"  # key in World.people; None for signed out
    then: Callable[[Page, World], None] | None = None
    errors: bool = False  # the page must show a GOV.UK error summary
    classification: str = OFFICIAL
    exercise: bool = False


def fill_retention_with_nonsense(page: Page, w: World) -> None:
    page.fill("#id_retention_days", "0")
    page.get_by_role("button", name="Save").click()


def incident_page(
    id: str,
    route: str,
    path: Callable[[World], str],
    *,
    then: Callable[[Page, World], None] | None = None,
    errors: bool = False,
) -> PageCase:
    """A page inside the exercise incident: OFFICIAL-SENSITIVE and EXERCISE banners."""
    return PageCase(
        id, route, path, then=then, errors=errors, classification=OFFICIAL_SENSITIVE, exercise=True
    )


def payments_of(w: World) -> str:
    payment_roles(w)
    return f"/incidents/{exercise(w).pk}/payments"


def changes_of(w: World) -> str:
    payment_roles(w)
    return f"/incidents/{exercise(w).pk}/bank-detail-changes"


def with_payments(w: World) -> str:
    """A bank detail change awaiting its call-back, then a payment to that payee: a warning."""
    a_change(w)
    a_payment(w)
    return f"{payments_of(w)}/"


def request_a_duplicate(page: Page, w: World) -> None:
    a_payment(w)
    fields = payment_fields()
    page.get_by_label("Provider", exact=True).check()
    page.fill("#id_payee_reference", fields["payee_reference"])
    page.fill("#id_payee_name", fields["payee_name"])
    page.fill("#id_amount", fields["amount"])
    page.get_by_label("BACS", exact=True).check()
    page.fill("#id_reason", fields["reason"])
    submit("Request payment")(page, w)


def with_register(w: World, path: str) -> str:
    a_register(w)
    return path


def clear_name_and_save(page: Page, w: World) -> None:
    page.fill("#id_name", "")
    submit("Save contact")(page, w)


PAGES = [
    PageCase("sign-in", "accounts:login", lambda w: "/accounts/login/", user=None),
    PageCase(
        "sign-in-with-errors",
        "accounts:login",
        lambda w: "/accounts/login/",
        user=None,
        then=wrong_password,
        errors=True,
    ),
    PageCase(
        "sign-in-paused",
        "accounts:login",
        lambda w: "/accounts/login/",
        user=None,
        then=wrong_password_until_locked_out,
    ),
    # The dashboard carries the highest marking of the incidents it lists.
    PageCase("dashboard", "incidents:dashboard", lambda w: "/", classification=OFFICIAL_SENSITIVE),
    PageCase(
        "dashboard-with-closed",
        "incidents:dashboard",
        lambda w: "/?closed=1",
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase("declare-incident", "incidents:declare", lambda w: "/incidents/new/"),
    PageCase(
        "declare-incident-with-errors",
        "incidents:declare",
        lambda w: "/incidents/new/",
        then=submit("Declare incident"),
        errors=True,
    ),
    incident_page("incident", "incidents:detail", lambda w: f"/incidents/{exercise(w).pk}/"),
    incident_page("timeline", "incidents:timeline", lambda w: f"/incidents/{exercise(w).pk}/timeline/"),
    incident_page("edit-incident", "incidents:edit", lambda w: f"/incidents/{exercise(w).pk}/edit/"),
    incident_page("change-status", "incidents:transition", lambda w: f"/incidents/{exercise(w).pk}/status/"),
    incident_page("people", "incidents:people", lambda w: f"/incidents/{exercise(w).pk}/people/"),
    incident_page(
        "people-with-errors",
        "incidents:people",
        lambda w: f"/incidents/{exercise(w).pk}/people/",
        then=submit("Add person"),
        errors=True,
    ),
    PageCase(
        "invitations",
        "incidents:invitations",
        lambda w: f"/incidents/{exercise(w).pk}/invitations/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
        exercise=True,
    ),
    PageCase(
        "invitation-created",
        "incidents:invitations",
        lambda w: f"/incidents/{exercise(w).pk}/invitations/",
        user="admin",
        then=fill_invitation,
        classification=OFFICIAL_SENSITIVE,
        exercise=True,
    ),
    PageCase(
        "join-from-invitation",
        "incidents:invitation_accept",
        lambda w: invitation_link(w),
        user=None,
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase(
        "join-from-invitation-with-errors",
        "incidents:invitation_accept",
        lambda w: invitation_link(w),
        user=None,
        then=submit("Join"),
        errors=True,
        classification=OFFICIAL_SENSITIVE,
    ),
    incident_page(
        "access-review", "incidents:access_review", lambda w: f"/incidents/{exercise(w).pk}/access-review/"
    ),
    incident_page(
        "checklist",
        "guidance:checklist",
        lambda w: f"/incidents/{exercise(w).pk}/checklists/{first_action(w).checklist_id}/",
    ),
    incident_page("action", "guidance:item", lambda w: f"/actions/{first_action(w).pk}/"),
    incident_page(
        "action-with-errors",
        "guidance:item",
        lambda w: f"/actions/{first_action(w).pk}/",
        then=mark_not_applicable_without_a_reason,
        errors=True,
    ),
    incident_page("add-action", "guidance:add_item", lambda w: f"/incidents/{exercise(w).pk}/actions/new/"),
    incident_page(
        "add-action-with-errors",
        "guidance:add_item",
        lambda w: f"/incidents/{exercise(w).pk}/actions/new/",
        then=submit("Add action"),
        errors=True,
    ),
    incident_page(
        "apply-guidance-all-applied",
        "guidance:apply",
        lambda w: f"/incidents/{exercise(w).pk}/guidance/apply/",
    ),
    PageCase(
        "apply-guidance",
        "guidance:apply",
        lambda w: f"/incidents/{incident_without_guidance(w).pk}/guidance/apply/",
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase(
        "apply-guidance-with-errors",
        "guidance:apply",
        lambda w: f"/incidents/{incident_without_guidance(w).pk}/guidance/apply/",
        then=submit("Apply"),
        errors=True,
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase("modules", "guidance:modules", lambda w: "/modules/"),
    PageCase(
        "module-version",
        "guidance:module_version",
        lambda w: f"/modules/versions/{adult_social_care_guidance(w).pk}/",
    ),
    PageCase("change-password", "accounts:password_change", lambda w: "/accounts/password/"),
    PageCase(
        "change-password-with-errors",
        "accounts:password_change",
        lambda w: "/accounts/password/",
        then=wrong_current_password,
        errors=True,
    ),
    PageCase("password-changed", "accounts:password_change_done", lambda w: "/accounts/password/done/"),
    PageCase("two-factor", "accounts:two_factor", lambda w: "/accounts/two-factor/"),
    PageCase("your-account", "accounts:home", lambda w: "/accounts/", user="admin"),
    PageCase("sign-in-resets", "accounts:resets", lambda w: "/accounts/resets/", user="admin"),
    PageCase(
        "sign-in-resets-with-errors",
        "accounts:resets",
        lambda w: "/accounts/resets/",
        user="admin",
        then=submit("Ask for a reset"),
        errors=True,
    ),
    PageCase("audit-log", "accounts:audit", lambda w: "/accounts/audit/", user="admin"),
    PageCase(
        "two-factor-code",
        "accounts:two_factor_verify",
        lambda w: "/accounts/login/",
        user=None,
        then=password_only,
    ),
    PageCase(
        "two-factor-code-with-errors",
        "accounts:two_factor_verify",
        lambda w: "/accounts/login/",
        user=None,
        then=password_then_no_code,
        errors=True,
    ),
    PageCase(
        "two-factor-set-up",
        "accounts:two_factor_setup",
        lambda w: "/accounts/two-factor/setup/",
        user="staff",
    ),
    PageCase(
        "two-factor-set-up-with-errors",
        "accounts:two_factor_setup",
        lambda w: "/accounts/two-factor/setup/",
        user="staff",
        then=submit("Confirm"),
        errors=True,
    ),
    PageCase(
        "recovery-codes",
        "accounts:two_factor_recovery_codes",
        lambda w: "/accounts/two-factor/setup/",
        user="staff",
        then=confirm_new_authenticator,
    ),
    PageCase("api-tokens", "api_tokens:list", lambda w: "/accounts/tokens/"),
    PageCase("api-tokens-new-key", "api_tokens:list", lambda w: "/accounts/tokens/", then=create_token),
    PageCase(
        "api-tokens-with-errors",
        "api_tokens:list",
        lambda w: "/accounts/tokens/",
        then=submit("Create token"),
        errors=True,
    ),
    PageCase("council-api-tokens", "api_tokens:council", lambda w: "/accounts/tokens/council/", user="admin"),
    PageCase("contact-details", "accounts:contact_details", lambda w: "/accounts/contact/"),
    PageCase(
        "contact-details-with-errors",
        "accounts:contact_details",
        lambda w: "/accounts/contact/",
        then=wrong_contact_details,
        errors=True,
    ),
    PageCase("notifications", "notifications:centre", lambda w: reminded(w, "/notifications/")),
    PageCase("acknowledge-link", "notifications:acknowledge_link", lambda w: reminded(w, "link")),
    # --- command ---
    incident_page("command-board", "command:board", lambda w: f"/incidents/{exercise(w).pk}/command/"),
    incident_page(
        "command-board-with-handover",
        "command:board",
        lambda w: f"/incidents/{exercise(w).pk}/command/?h={handover_to_gold(w).pk}",
    ),
    incident_page("assign-role", "command:assign", lambda w: f"/incidents/{exercise(w).pk}/command/assign/"),
    incident_page(
        "assign-role-with-errors",
        "command:assign",
        lambda w: f"/incidents/{exercise(w).pk}/command/assign/",
        then=submit("Assign role"),
        errors=True,
    ),
    PageCase(
        "hand-over-own-role",
        "command:assign",
        lambda w: f"/incidents/{exercise(w).pk}/command/assign/?expected={bronze_holds_bronze_it(w).pk}",
        user="bronze",
        classification=OFFICIAL_SENSITIVE,
        exercise=True,
    ),
    incident_page(
        "record-correction",
        "command:decision_new",
        lambda w: f"/incidents/{exercise(w).pk}/decisions/new/?corrects={a_decision(w).pk}",
    ),
    incident_page(
        "handover",
        "command:handover",
        lambda w: f"/incidents/{exercise(w).pk}/command/handovers/{handover_to_gold(w).pk}/",
    ),
    incident_page(
        "decision-log",
        "command:decisions",
        lambda w: f"/incidents/{exercise(w).pk}/decisions/?d={a_decision(w).pk}",
    ),
    incident_page(
        "decision-log-print",
        "command:decisions_print",
        lambda w: f"/incidents/{exercise(w).pk}/decisions/print/?d={a_decision(w).pk}",
    ),
    incident_page(
        "record-decision", "command:decision_new", lambda w: f"/incidents/{exercise(w).pk}/decisions/new/"
    ),
    incident_page(
        "record-decision-with-errors",
        "command:decision_new",
        lambda w: f"/incidents/{exercise(w).pk}/decisions/new/",
        then=submit("Record decision"),
        errors=True,
    ),
    incident_page(
        "grab-pack",
        "reports:grab_pack",
        lambda w: f"/incidents/{exercise(w).pk}/grab-pack/?j={a_grab_pack(exercise(w)).pk}",
    ),
    PageCase(
        "grab-pack-with-restricted-edition",
        "reports:grab_pack",
        lambda w: f"/incidents/{a_restricted_pack(w).incident_id}/grab-pack/",
        user="bronze",  # given a social care role, so the restricted edition is offered
        classification=OFFICIAL_SENSITIVE,
        exercise=True,
    ),
    incident_page(
        "systems", "recovery:systems", lambda w: f"/incidents/{exercise(w).pk}/systems/?s={a_system(w).pk}"
    ),
    incident_page("add-system", "recovery:system_new", lambda w: f"/incidents/{exercise(w).pk}/systems/new/"),
    incident_page(
        "add-system-with-errors",
        "recovery:system_new",
        lambda w: f"/incidents/{exercise(w).pk}/systems/new/",
        then=submit("Save"),
        errors=True,
    ),
    incident_page(
        "edit-system",
        "recovery:system_edit",
        lambda w: f"/incidents/{exercise(w).pk}/systems/{a_system(w).pk}/",
    ),
    incident_page(
        "restore-order",
        "recovery:restore_order",
        lambda w: f"/incidents/{exercise(w).pk}/systems/order/?s={a_system(w).pk}",
    ),
    incident_page(
        "external-notifications",
        "recovery:notifications",
        lambda w: f"/incidents/{exercise(w).pk}/external-notifications/?n={a_notification(w).pk}",
    ),
    incident_page(
        "record-external-notification",
        "recovery:notification_new",
        lambda w: f"/incidents/{exercise(w).pk}/external-notifications/new/",
    ),
    incident_page(
        "record-external-notification-with-errors",
        "recovery:notification_new",
        lambda w: f"/incidents/{exercise(w).pk}/external-notifications/new/",
        then=submit("Record it"),
        errors=True,
    ),
    incident_page(
        "record-not-needed",
        "recovery:notification_not_needed",
        lambda w: f"/incidents/{exercise(w).pk}/external-notifications/not-needed/",
    ),
    incident_page(
        "record-not-needed-with-errors",
        "recovery:notification_not_needed",
        lambda w: f"/incidents/{exercise(w).pk}/external-notifications/not-needed/",
        then=submit("Record it"),
        errors=True,
    ),
    incident_page("payments", "payments:list", with_payments),
    incident_page("request-payment", "payments:new", lambda w: f"{payments_of(w)}/new/"),
    incident_page(
        "request-payment-with-errors",
        "payments:new",
        lambda w: f"{payments_of(w)}/new/",
        then=submit("Request payment"),
        errors=True,
    ),
    incident_page(
        "request-payment-duplicate",
        "payments:new",
        lambda w: f"{payments_of(w)}/new/",
        then=request_a_duplicate,
        errors=True,
    ),
    incident_page("payment", "payments:detail", lambda w: f"{payments_of(w)}/{a_payment(w).pk}/"),
    incident_page(
        "payment-authorised", "payments:detail", lambda w: f"{payments_of(w)}/{an_authorised_payment(w).pk}/"
    ),
    incident_page(
        "payment-reject-with-errors",
        "payments:detail",
        lambda w: f"{payments_of(w)}/{a_payment(w).pk}/",
        then=submit("Reject payment"),
        errors=True,
    ),
    incident_page("record-bank-change", "payments:change_new", lambda w: f"{changes_of(w)}/new/"),
    incident_page(
        "record-bank-change-with-errors",
        "payments:change_new",
        lambda w: f"{changes_of(w)}/new/",
        then=submit("Record the request"),
        errors=True,
    ),
    incident_page("bank-change", "payments:change", lambda w: f"{changes_of(w)}/{a_change(w).pk}/"),
    incident_page(
        "bank-change-call-back-with-errors",
        "payments:change",
        lambda w: f"{changes_of(w)}/{a_change(w).pk}/",
        then=submit("Record call-back"),
        errors=True,
    ),
    incident_page(
        "broadcasts",
        "broadcasts:list",
        lambda w: f"/incidents/{exercise(w).pk}/broadcasts/?b={a_broadcast(w).pk}",
    ),
    incident_page(
        "send-broadcast", "broadcasts:new", lambda w: f"/incidents/{exercise(w).pk}/broadcasts/new/"
    ),
    incident_page(
        "send-broadcast-with-errors",
        "broadcasts:new",
        lambda w: f"/incidents/{exercise(w).pk}/broadcasts/new/",
        then=submit("Send broadcast"),
        errors=True,
    ),
    incident_page(
        "broadcast",
        "broadcasts:detail",
        lambda w: f"/incidents/{exercise(w).pk}/broadcasts/{a_broadcast(w).pk}/",
    ),
    incident_page(
        "broadcast-received",
        "broadcasts:received",
        lambda w: f"/incidents/{exercise(w).pk}/broadcasts/{a_broadcast(w).pk}/received/",
    ),
    incident_page("risks", "command:risks", lambda w: f"/incidents/{exercise(w).pk}/risks/?r={a_risk(w).pk}"),
    incident_page("add-risk", "command:risk_new", lambda w: f"/incidents/{exercise(w).pk}/risks/new/"),
    incident_page(
        "add-risk-with-errors",
        "command:risk_new",
        lambda w: f"/incidents/{exercise(w).pk}/risks/new/",
        then=submit("Save"),
        errors=True,
    ),
    incident_page(
        "edit-risk", "command:risk_edit", lambda w: f"/incidents/{exercise(w).pk}/risks/{a_risk(w).pk}/"
    ),
    data_protection_page(
        "assessments", "assessments:list", lambda w: f"{assessments_of(w)}/?a={an_assessment(w).pk}"
    ),
    data_protection_page(
        "start-assessment", "assessments:new", lambda w: f"{assessments_of(w)}/new/", user="bronze"
    ),
    data_protection_page(
        "start-assessment-with-errors",
        "assessments:new",
        lambda w: f"{assessments_of(w)}/new/",
        user="bronze",
        then=submit("Save this version"),
        errors=True,
    ),
    data_protection_page(
        "assessment", "assessments:detail", lambda w: f"/assessments/{an_assessment(w).pk}/"
    ),
    data_protection_page(
        "update-assessment",
        "assessments:edit",
        lambda w: f"/assessments/{an_assessment(w).pk}/edit/",
        user="bronze",
    ),
    data_protection_page(
        "sign-off-assessment",
        "assessments:sign_off",
        lambda w: f"/assessments/{submitted_assessment(w).pk}/sign-off/",
    ),
    data_protection_page(
        "sign-off-assessment-with-errors",
        "assessments:sign_off",
        lambda w: f"/assessments/{submitted_assessment(w).pk}/sign-off/",
        then=submit("Sign off"),
        errors=True,
    ),
    data_protection_page(
        "check-sign-offs",
        "assessments:verify",
        lambda w: f"/incidents/{an_assessment(w).incident_id}/assessments/verify/",
    ),
    data_protection_page(
        "ico-draft", "assessments:ico_draft", lambda w: f"/assessments/{an_assessment(w).pk}/ico-draft/"
    ),
    data_protection_page(
        "record-telling-a-council", "assessments:awareness", lambda w: f"{assessments_of(w)}/awareness/"
    ),
    incident_page(
        "battle-rhythm",
        "command:rhythm",
        lambda w: f"/incidents/{exercise(w).pk}/battle-rhythm/?e={a_rhythm_entry(w).pk}",
    ),
    incident_page(
        "battle-rhythm-with-errors",
        "command:rhythm",
        lambda w: f"/incidents/{exercise(w).pk}/battle-rhythm/",
        then=submit("Add"),
        errors=True,
    ),
    PageCase("rotas", "rotas:list", lambda w: f"/rotas/?made={gold_rota(w).pk}"),
    PageCase("rotas-with-settings", "rotas:list", lambda w: f"/rotas/?made={gold_rota(w).pk}", user="admin"),
    PageCase("create-rota", "rotas:create", lambda w: "/rotas/new/", user="admin"),
    PageCase(
        "create-rota-with-errors",
        "rotas:create",
        lambda w: "/rotas/new/",
        user="admin",
        then=submit("Create rota"),
        errors=True,
    ),
    PageCase("rota-with-a-gap", "rotas:detail", lambda w: f"/rotas/{gap_rota(w).pk}/"),
    PageCase("rota", "rotas:detail", lambda w: f"/rotas/{gold_rota(w).pk}/", user="staff"),
    PageCase("cover-a-gap", "rotas:override", lambda w: f"/rotas/{gap_rota(w).pk}/overrides/new/"),
    PageCase(
        "cover-a-gap-with-errors",
        "rotas:override",
        lambda w: f"/rotas/{gap_rota(w).pk}/overrides/new/",
        then=submit("Save cover"),
        errors=True,
    ),
    PageCase("import-rota-members", "rotas:import", lambda w: f"/rotas/{gold_rota(w).pk}/import/"),
    PageCase(
        "import-rota-members-with-errors",
        "rotas:import",
        lambda w: f"/rotas/{gold_rota(w).pk}/import/",
        then=submit("Import"),
        errors=True,
    ),
    PageCase("hours-report", "rotas:hours", lambda w: f"/rotas/{gold_rota(w).pk}/hours/"),
    PageCase("swap-a-shift", "rotas:swap_new", lambda w: f"/rotas/{gold_rota(w).pk}/swaps/new/"),
    PageCase("my-shifts", "rotas:mine", lambda w: f"/rotas/mine/?rota={gold_rota(w).pk}", user="staff"),
    PageCase(
        "my-shifts-calendar-address",
        "rotas:calendar_key",
        lambda w: f"/rotas/mine/?rota={gold_rota(w).pk}",
        user="staff",
        then=submit("Make a calendar address"),
    ),
    incident_page("pdf-job-ready", "reports:job", lambda w: f"/reports/jobs/{finished_job(exercise(w)).pk}/"),
    incident_page(
        "pdf-job-failed",
        "reports:job",
        lambda w: f"/reports/jobs/{finished_job(exercise(w), state='failed').pk}/",
    ),
    incident_page("sitreps", "reports:sitreps", lambda w: f"/incidents/{exercise(w).pk}/sitreps/"),
    PageCase(
        "sitreps-as-partner",
        "reports:sitreps",
        lambda w: f"/incidents/{an_issued(w).incident_id}/sitreps/",
        user="partner",
        classification=OFFICIAL_SENSITIVE,
        exercise=True,
    ),
    incident_page(
        "draft-a-sitrep", "reports:sitrep_new", lambda w: f"/incidents/{exercise(w).pk}/sitreps/new/"
    ),
    incident_page(
        "draft-a-sitrep-with-errors",
        "reports:sitrep_new",
        lambda w: f"/incidents/{exercise(w).pk}/sitreps/new/",
        then=submit("Save draft"),
        errors=True,
    ),
    incident_page(
        "sitrep-draft", "reports:sitrep", lambda w: f"/incidents/{exercise(w).pk}/sitreps/{a_draft(w).pk}/"
    ),
    incident_page(
        "sitrep-issued", "reports:sitrep", lambda w: f"/incidents/{exercise(w).pk}/sitreps/{an_issued(w).pk}/"
    ),
    incident_page(
        "edit-a-sitrep",
        "reports:sitrep_edit",
        lambda w: f"/incidents/{exercise(w).pk}/sitreps/{a_draft(w).pk}/edit/",
    ),
    PageCase(
        "partner-contacts",
        "contacts:list",
        lambda w: "/contacts/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase(
        "key-contacts-register",
        "contacts:list",
        lambda w: with_register(w, "/contacts/"),
        user="admin",
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase(
        "edit-a-contact",
        "contacts:edit",
        lambda w: f"/contacts/{a_register(w).pk}/edit/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase(
        "edit-a-contact-with-errors",
        "contacts:edit",
        lambda w: f"/contacts/{a_register(w).pk}/edit/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
        then=clear_name_and_save,
        errors=True,
    ),
    PageCase(
        "import-contacts",
        "contacts:import",
        lambda w: "/contacts/import/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase(
        "import-contacts-with-errors",
        "contacts:import",
        lambda w: "/contacts/import/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
        then=submit("Import"),
        errors=True,
    ),
    PageCase(
        "contact-access-log",
        "contacts:access_log",
        lambda w: with_register(w, "/contacts/access-log/"),
        user="dpo",
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase(
        "add-partner-contact",
        "contacts:new",
        lambda w: "/contacts/new/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
    ),
    PageCase(
        "add-partner-contact-with-errors",
        "contacts:new",
        lambda w: "/contacts/new/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
        then=submit("Add contact"),
        errors=True,
    ),
    incident_page("comms-log", "reports:comms", lambda w: f"/incidents/{exercise(w).pk}/comms/"),
    incident_page("record-comms", "reports:comms_new", lambda w: f"/incidents/{exercise(w).pk}/comms/new/"),
    incident_page(
        "record-comms-with-errors",
        "reports:comms_new",
        lambda w: f"/incidents/{exercise(w).pk}/comms/new/",
        then=submit("Record"),
        errors=True,
    ),
    incident_page(
        "lessons", "lessons:list", lambda w: f"/incidents/{exercise(w).pk}/lessons/?l={a_lesson(w).pk}"
    ),
    incident_page("add-lesson", "lessons:new", lambda w: f"/incidents/{exercise(w).pk}/lessons/new/"),
    incident_page(
        "add-lesson-with-errors",
        "lessons:new",
        lambda w: f"/incidents/{exercise(w).pk}/lessons/new/",
        then=submit("Save"),
        errors=True,
    ),
    incident_page(
        "edit-lesson", "lessons:edit", lambda w: f"/incidents/{exercise(w).pk}/lessons/{a_lesson(w).pk}/"
    ),
    incident_page(
        "recovery-handovers",
        "lessons:handovers",
        lambda w: f"/incidents/{exercise(w).pk}/recovery-handovers/?h={a_recovery_handover(w).pk}",
    ),
    incident_page(
        "recovery-handover",
        "lessons:handover",
        lambda w: (
            f"/incidents/{exercise(w).pk}/recovery-handovers/{a_risk(w) and a_recovery_handover(w).pk}/"
        ),
    ),
    incident_page(
        "archives", "closure:archives", lambda w: f"/incidents/{built_archive(w).incident_id}/archives/"
    ),
    incident_page("archive-ready", "closure:archive", lambda w: f"/archives/{built_archive(w).pk}/"),
    incident_page(
        "archive-failed", "closure:archive", lambda w: f"/archives/{built_archive(w, 'failed').pk}/"
    ),
    PageCase(
        "purge-an-exercise",
        "closure:purge",
        lambda w: f"/incidents/{exercise(w).pk}/purge/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
        exercise=True,
    ),
    PageCase(
        "purge-an-exercise-with-errors",
        "closure:purge",
        lambda w: f"/incidents/{exercise(w).pk}/purge/",
        user="admin",
        then=submit("Purge"),
        errors=True,
        classification=OFFICIAL_SENSITIVE,
        exercise=True,
    ),
    PageCase(
        "reset-an-exercise",
        "closure:reset",
        lambda w: f"/incidents/{exercise(w).pk}/reset/",
        user="admin",
        classification=OFFICIAL_SENSITIVE,
        exercise=True,
    ),
    PageCase("purge-records", "closure:purge_records", lambda w: "/purge-records/", user="admin"),
    PageCase(
        "retention-period", "closure:retention", lambda w: f"/councils/{w.a.pk}/retention/", user="admin"
    ),
    PageCase(
        "retention-period-with-errors",
        "closure:retention",
        lambda w: f"/councils/{w.a.pk}/retention/",
        user="admin",
        then=fill_retention_with_nonsense,
        errors=True,
    ),
]


def a_timing_rule(w: World) -> int:
    from incident_console.safeguarding.selectors import rules_for

    return rules_for(w.a)[1][0].pk


def with_pressing_deadline(w: World, path: str) -> str:
    a_deadline(w, case_reference="MASH-0007", start_date=today() - timedelta(days=7))
    return path


def a_case_with_history(w: World) -> int:
    """A priority case with one contact recorded, and a second case whose contact is overdue."""
    from incident_console.priority_cases.models import PriorityCase
    from incident_console.priority_cases.services import record_contact

    case = a_case(w)
    if not case.contacts.exists():
        record_contact(
            case=case,
            actor=w.people["gold"],
            contacted_at=now() - timedelta(minutes=10),
            contacted_by=w.people["gold"],
            result="contacted_safe",
            outcome="Seen at the new address; safe.",
            next_contact_due=now() + timedelta(days=1),
        )
        a_case(
            w,
            reference="ASC-88231",
            service="adult_social_care",
            next_contact_due=now() - timedelta(minutes=5),
        )
    return PriorityCase.objects.get(pk=case.pk).pk


def clear_reference_and_save(page: Page, w: World) -> None:
    page.fill("#id_reference", "")
    submit("Save")(page, w)


PAGES += [
    incident_page(
        "safeguarding-register",
        "safeguarding:deadlines",
        lambda w: with_pressing_deadline(w, deadlines_url(w)),
    ),
    PageCase(
        "dashboard-with-safeguarding-items",
        "incidents:dashboard",
        lambda w: with_pressing_deadline(w, "/"),
        classification=OFFICIAL_SENSITIVE,
    ),
    incident_page("add-safeguarding-item", "safeguarding:deadline_new", lambda w: f"{deadlines_url(w)}new/"),
    incident_page(
        "add-safeguarding-item-with-errors",
        "safeguarding:deadline_new",
        lambda w: f"{deadlines_url(w)}new/",
        then=submit("Save"),
        errors=True,
    ),
    incident_page(
        "change-safeguarding-item",
        "safeguarding:deadline_edit",
        lambda w: f"{deadlines_url(w)}{a_deadline(w).pk}/",
    ),
    incident_page(
        "complete-safeguarding-item",
        "safeguarding:deadline_complete",
        lambda w: f"{deadlines_url(w)}{a_deadline(w).pk}/complete/",
    ),
    incident_page(
        "complete-safeguarding-item-with-errors",
        "safeguarding:deadline_complete",
        lambda w: f"{deadlines_url(w)}{a_deadline(w).pk}/complete/",
        then=submit("Complete"),
        errors=True,
    ),
    PageCase(
        "safeguarding-timescales",
        "safeguarding:timings",
        lambda w: f"/councils/{w.a.pk}/safeguarding-timings/",
        user="admin",
    ),
    PageCase(
        "safeguarding-timescale",
        "safeguarding:timing_edit",
        lambda w: f"/councils/{w.a.pk}/safeguarding-timings/{a_timing_rule(w)}/",
        user="admin",
    ),
    PageCase(
        "safeguarding-working-days",
        "safeguarding:policy_edit",
        lambda w: f"/councils/{w.a.pk}/safeguarding-timings/policy/",
        user="admin",
    ),
]

PAGES += [
    incident_page(
        "priority-cases",
        "priority_cases:list",
        lambda w: f"/incidents/{exercise(w).pk}/priority-cases/?c={a_case_with_history(w)}",
    ),
    incident_page(
        "add-priority-case",
        "priority_cases:new",
        lambda w: f"/incidents/{exercise(w).pk}/priority-cases/new/?c={a_case(w).pk}",
    ),
    incident_page(
        "add-priority-case-with-errors",
        "priority_cases:new",
        lambda w: f"/incidents/{exercise(w).pk}/priority-cases/new/?c={a_case(w).pk}",
        then=clear_reference_and_save,
        errors=True,
    ),
    incident_page(
        "priority-case",
        "priority_cases:detail",
        lambda w: f"/incidents/{exercise(w).pk}/priority-cases/{a_case_with_history(w)}/",
    ),
    incident_page(
        "priority-case-contact-with-errors",
        "priority_cases:detail",
        lambda w: f"/incidents/{exercise(w).pk}/priority-cases/{a_case_with_history(w)}/",
        then=submit("Record the contact"),
        errors=True,
    ),
    incident_page(
        "edit-priority-case",
        "priority_cases:edit",
        lambda w: f"/incidents/{exercise(w).pk}/priority-cases/{a_case(w).pk}/edit/",
    ),
    incident_page(
        "edit-priority-case-with-errors",
        "priority_cases:edit",
        lambda w: f"/incidents/{exercise(w).pk}/priority-cases/{a_case(w).pk}/edit/",
        then=clear_reference_and_save,
        errors=True,
    ),
    PageCase(
        "priority-case-access-log",
        "priority_cases:access_log",
        lambda w: f"/incidents/{exercise(w).pk}/priority-cases/access-log/?c={a_case_with_history(w)}",
        user="dpo",
        classification=OFFICIAL_SENSITIVE,
        exercise=True,
    ),
]


def manual_records(w: World, path: str = "") -> str:
    """Gold (holding Gold) on the exercise's manual records: one waiting to be entered, one
    entered by bronze and waiting for a second person."""
    a_record(w, enterer="bronze")
    a_record(w, "entered", enterer="bronze")
    return f"/incidents/{exercise(w).pk}/manual-records/{path}"


PAGES += [
    incident_page("manual-records", "continuity:records", lambda w: manual_records(w)),
    incident_page("manual-records-all", "continuity:records", lambda w: manual_records(w, "?state=all")),
    incident_page("add-manual-record", "continuity:record_new", lambda w: manual_records(w, "new/")),
    incident_page(
        "add-manual-record-with-errors",
        "continuity:record_new",
        lambda w: manual_records(w, "new/"),
        then=submit("Save record"),
        errors=True,
    ),
    incident_page(
        "manual-record-to-enter", "continuity:record", lambda w: manual_records(w, f"{a_record(w).pk}/")
    ),
    incident_page(
        "manual-record-to-enter-with-errors",
        "continuity:record",
        lambda w: manual_records(w, f"{a_record(w).pk}/"),
        then=submit("Mark as entered"),
        errors=True,
    ),
    incident_page(
        "manual-record-to-verify",
        "continuity:record",
        lambda w: manual_records(w, f"{a_record(w, 'entered', enterer='bronze').pk}/"),
    ),
    incident_page(
        "manual-record-to-return-with-errors",
        "continuity:record",
        lambda w: manual_records(w, f"{a_record(w, 'entered', enterer='bronze').pk}/"),
        then=submit("Return to be entered again"),
        errors=True,
    ),
    incident_page(
        "close-with-records-not-reconciled",
        "continuity:close_override",
        lambda w: manual_records(w, "close-decision/"),
    ),
    incident_page(
        "close-with-records-not-reconciled-with-errors",
        "continuity:close_override",
        lambda w: manual_records(w, "close-decision/"),
        then=submit("Record my decision"),
        errors=True,
    ),
]

# URL names that are not pages a person reads (form targets that only redirect or swap a fragment).
NOT_PAGES = {
    "reports:job_retry": "POST only; redirects to the job page",
    "reports:job_download": "the PDF file itself",
    "reports:sitrep_approve": "POST only; redirects to the sitrep",
    "reports:sitrep_issue": "POST only; redirects to the sitrep",
    "accounts:logout": "POST only; redirects to sign in",
    "accounts:two_factor_new_codes": "POST only; redirects to the recovery codes page",
    "incidents:invitation_withdraw": "POST only; redirects to the invitations page",
    "incidents:people_keep_access": "POST only; redirects to the people page",
    "accounts:reset_confirm": "POST only; shows the temporary password once (checked in tests/accounts)",
    "accounts:reset_cancel": "POST only; redirects to the resets page",
    "accounts:two_factor_turn_off": "POST only; redirects to the two-factor page",
    "incidents:people_remove": "POST only; redirects to the people page",
    "guidance:item_status": "POST only; redirects, or returns an HTMX fragment of the incident page",
    "api_tokens:revoke": "POST only; redirects to the tokens page",
    "notifications:acknowledge": "POST only; redirects back",
    "notifications:count": "an htmx fragment of the header link, checked on every page",
    "command:relinquish": "POST only; redirects to the command board",
    "command:handover_acknowledge": "POST only; redirects to the handover page",
    "command:rhythm_held": "POST only; redirects to the battle rhythm page",
    "command:decisions_csv": "a CSV download, not a page (checked in tests/command)",
    "rotas:calendar_revoke": "POST only; redirects to My shifts",
    "rotas:opt_out": "POST only; redirects to My shifts",
    "rotas:council_settings": "POST only; redirects to the rotas page",
    "rotas:swap_agree": "POST only; redirects to My shifts",
    "rotas:swap_withdraw": "POST only; redirects to My shifts",
    "rotas:calendar_feed": "an iCalendar file, not a page (checked in tests/rotas)",
    "assessments:submit": "POST only; redirects to the assessment page",
    "assessments:csv": "a CSV download, not a page (checked in tests/assessments)",
    "assessments:ico_draft_pdf": "POST only; redirects to the ICO draft page",
    "contacts:verify": "POST only; redirects to the contacts list",
    "contacts:export": "a CSV download, not a page (checked in tests/contacts)",
    "contacts:families_export": "a CSV download, not a page (checked in tests/contacts)",
    "closure:archive_request": "POST only; redirects to the archive page",
    "closure:archive_retry": "POST only; redirects to the archive's own page",
    "closure:archive_download": "the ZIP file itself (checked in tests/closure)",
    "lessons:csv": "a CSV download, not a page (checked in tests/lessons)",
    "lessons:handover_acknowledge": "POST only; redirects to the handover page",
    "lessons:handover_refresh": "POST only; redirects to the handover page",
    "payments:csv": "a CSV download, not a page (checked in tests/payments)",
    "payments:authorise": "POST only; redirects to the payment page",
    "payments:reject": "POST only; redirects to the payment page",
    "payments:paid": "POST only; redirects to the payment page",
    "payments:reconcile": "POST only; redirects to the payment page",
    "payments:change_call_back": "POST only; redirects to the bank detail change page",
    "payments:change_confirm": "POST only; redirects to the bank detail change page",
    "payments:change_reject": "POST only; redirects to the bank detail change page",
    "priority_cases:export": "a CSV download, not a page (checked in tests/priority_cases)",
    "continuity:records_csv": "a CSV download, not a page (checked in tests/continuity)",
    "continuity:attachment": "the photo or scan itself (checked in tests/continuity)",
    "continuity:record_enter": "POST only; redirects to the record, or shows it with the form's errors",
    "continuity:record_verify": "POST only; redirects to the record, or shows it with the form's errors",
    "continuity:record_return": "POST only; redirects to the record, or shows it with the form's errors",
}
PAGE_NAMESPACES = (
    "accounts",
    "incidents",
    "guidance",
    "api_tokens",
    "notifications",
    "command",
    "rotas",
    "broadcasts",
    "recovery",
    "assessments",
    "reports",
    "contacts",
    "closure",
    "lessons",
    "safeguarding",
    "payments",
    "priority_cases",
    "continuity",
)


# --- Checks ---------------------------------------------------------------------------------------


def describe(violations: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {' '.join(str(node.get('html', '')).split())[:300]}")
            for summary_line in str(node.get("failureSummary", "")).splitlines():
                lines.append(f"       {summary_line.strip()}")
    return "\n".join(lines)


BANNER_POSITIONS = """() => {
    const banners = [...document.querySelectorAll('.console-classification')];
    const main = document.querySelector('main');
    return banners.map(b => ({
        text: b.textContent.replace(/\\s+/g, ' ').trim(),
        beforeMain: !!(main && (b.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING)),
        afterMain: !!(main && (b.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_PRECEDING)),
    }));
}"""


def check_banners(page: Page, case: PageCase) -> None:
    banners: list[dict[str, Any]] = page.evaluate(BANNER_POSITIONS)
    expected = f"Classification: {case.classification}"
    assert [b["text"] for b in banners] == [expected, expected], banners
    assert banners[0]["beforeMain"], "the first classification banner is not above the main content"
    assert banners[-1]["afterMain"], "the last classification banner is not below the main content"
    exercise_banners = page.locator(".console-exercise")
    if case.exercise:
        expect(exercise_banners).to_have_count(2)
        expect(exercise_banners.first).to_contain_text("EXERCISE")
    else:
        expect(exercise_banners).to_have_count(0)


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.id)
def test_page_has_no_wcag_22_aa_violations(
    case: PageCase,
    live_world: World,
    live_server: LiveServer,
    signed_in_page: SignedInPage,
    browser_context: BrowserContext,
) -> None:
    if case.user is None:
        page = browser_context.new_page()
    else:
        page = signed_in_page(live_server, live_world.people[case.user])
    path = case.path(live_world)
    response = page.goto(path)
    assert response is not None, f"no response from {path}"
    assert response.ok, f"{path} answered {response.status}"
    if case.then is not None:
        case.then(page, live_world)
    page.wait_for_load_state("load")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_have_count(1 if case.errors else 0)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).not_to_have_text("")
    check_banners(page, case)

    violations: list[dict[str, Any]] = axe.run(page, options=AXE_OPTIONS).response["violations"]
    report = describe(violations)
    if violations:
        print(f"\naxe on {case.id} ({page.url}):\n{report}")
    assert not violations, f"axe found {len(violations)} WCAG 2.2 AA violation(s) on {case.id}:\n{report}"


def test_the_check_itself_catches_a_form_control_without_a_label(browser_context: BrowserContext) -> None:
    """Guards the harness: the tags and options above really run rules that can fail."""
    page = browser_context.new_page()
    page.goto("/accounts/login/")
    page.evaluate(
        """() => { const input = document.createElement('input');
        input.type = 'text'; document.querySelector('main').append(input); }"""
    )
    violations: list[dict[str, Any]] = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert "label" in {violation["id"] for violation in violations}, describe(violations)


def console_page_names() -> set[str]:
    names: set[str] = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in PAGE_NAMESPACES:
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name:
                    names.add(f"{entry.namespace}:{pattern.name}")
    return names


def test_every_page_of_the_console_is_checked_for_accessibility() -> None:
    checked = {case.route for case in PAGES}
    missing = console_page_names() - checked - set(NOT_PAGES)
    assert not missing, f"add these pages to PAGES in {__name__}: {sorted(missing)}"
    assert checked <= console_page_names(), "PAGES names a URL that does not exist"
