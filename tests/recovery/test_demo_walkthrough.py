"""On the demo: Gold agrees the restore order of the shared social care system and logs who outside
has been told; the SIRO's decision to report and the DPO's report to the ICO stop the ICO clock;
Silver's broadcast reaches Bronze's phone and Bronze's acknowledgement shows on the broadcast."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client

from incident_console.accounts.models import User
from incident_console.assessments import services as assessments
from incident_console.assessments.clock import ClockState
from incident_console.assessments.models import CONTENT_FIELDS, Assessment
from incident_console.assessments.selectors import clocks
from incident_console.broadcasts.models import Broadcast
from incident_console.command.models import Decision
from incident_console.incidents.demo import load_demo
from incident_console.incidents.models import Incident
from incident_console.lib.time import london, now
from incident_console.notifications import services as notifications
from incident_console.notifications.models import Delivery
from incident_console.recovery.models import AffectedSystem
from tests import factories

pytestmark = pytest.mark.django_db

SHARED_SYSTEM = "Social care case management"


def demo_incident() -> Incident:
    load_demo(password="demo-password-for-tests-only")
    return Incident.objects.get(title__startswith="Exercise NORTHGATE: ransomware")


def person(username: str) -> User:
    return User.objects.get(username=username)


def client_for(username: str) -> Client:
    return factories.signed_in_client(person(username))


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def not_yet_told(client: Client, incident: Incident) -> str:
    """The incident page's warning of who has not yet been told ("" when everyone has)."""
    page = page_text(client, f"/incidents/{incident.pk}/")
    if "Not yet recorded as told:" not in page:
        return ""
    warning = page[page.index("Not yet recorded as told:") :]
    return warning[: warning.index("</strong>")]


def told_form(user: User, body: str, reference: str, **extra: object) -> dict[str, object]:
    return {
        "body": body,
        "notified_at": f"{london(now() - timedelta(minutes=5)):%Y-%m-%dT%H:%M}",
        "told_by": user.pk,
        "method": "online",
        "reference": reference,
        **extra,
    }


def test_gold_agrees_the_order_of_the_shared_social_care_system_only_with_a_reason_that_is_logged(
    modules: None,
) -> None:
    incident = demo_incident()
    shared = AffectedSystem.objects.get(incident=incident, name=SHARED_SYSTEM)
    assert sorted(shared.services) == ["adult_social_care", "childrens_social_care"]
    assert [c.slug for c in shared.shared_with.all()] == ["fernley"]
    gold = client_for("gold")
    url = f"/incidents/{incident.pk}/systems/order/"
    page = page_text(gold, url)
    assert SHARED_SYSTEM in page
    shown = dict(re.findall(r'name="(version_\d+)" value="(\d+)"', page))
    assert f"version_{shared.pk}" in shown
    decisions_before = Decision.objects.filter(incident=incident).count()

    refused = gold.post(url, {f"order_{shared.pk}": "1", "rationale": "", **shown})

    assert refused.status_code == 200
    assert "Say why this order: it decides between services or councils" in refused.content.decode()
    shared.refresh_from_db()
    assert shared.restore_order is None
    assert Decision.objects.filter(incident=incident).count() == decisions_before

    reason = "Safeguarding records for adults and children, here and at Fernley, come back first."
    saved = gold.post(url, {f"order_{shared.pk}": "1", "rationale": reason, **shown})

    assert saved.status_code == 302
    tracker = page_text(gold, f"/incidents/{incident.pk}/systems/")
    assert "Restore order saved." in tracker
    assert Decision.objects.filter(incident=incident).count() == decisions_before + 1
    decision = Decision.objects.filter(incident=incident).latest("pk")
    assert decision.decision_maker == person("gold")
    assert decision.decision == f"Restore IT systems in this order: 1. {SHARED_SYSTEM}"
    assert decision.rationale == reason
    log = page_text(gold, f"/incidents/{incident.pk}/decisions/")
    assert "Restore IT systems in this order: 1. Social care case management" in log
    assert "Safeguarding records for adults and children, here and at Fernley, come back first." in log


def test_gold_logs_the_ico_and_the_ncsc_and_the_incident_page_stops_listing_them_as_not_told(
    modules: None,
) -> None:
    incident = demo_incident()
    gold_user = person("gold")
    gold = client_for("gold")
    before = not_yet_told(gold, incident)
    assert "National Cyber Security Centre (NCSC)" in before
    assert "Information Commissioner&#x27;s Office (ICO)" in before
    url = f"/incidents/{incident.pk}/external-notifications/new/"
    # Gold, holding Gold, may see the assessment; the SIRO has not yet decided to report, so the
    # ICO is logged without linking it.
    form_page = page_text(gold, url)
    assert '<option value="" selected>Not linked to an assessment</option>' in form_page

    ncsc = gold.post(url, told_form(gold_user, "ncsc", "NCSC-20931"))
    ico = gold.post(url, told_form(gold_user, "ico", "IC-118822"))

    assert ncsc.status_code == 302, ncsc.content.decode()[:2000]
    assert ico.status_code == 302, ico.content.decode()[:2000]
    log = page_text(gold, f"/incidents/{incident.pk}/external-notifications/")
    assert "NCSC-20931" in log and "IC-118822" in log
    after = not_yet_told(gold, incident)
    assert "National Cyber Security Centre (NCSC)" not in after
    assert "Information Commissioner&#x27;s Office (ICO)" not in after
    assert "Police / Action Fraud" in after, "the others are still listed"


def test_the_siros_decision_and_the_dpos_linked_report_stop_the_demo_assessments_ico_clock(
    modules: None,
) -> None:
    incident = demo_incident()
    assessment = Assessment.objects.get(incident=incident, title="Social care case management servers")
    assert assessment.created_by == person("silver")
    current = assessment.current
    assert current is not None
    assessments.new_version(
        assessment=assessment,
        actor=person("siro"),
        expected_version=None,
        content={**{name: getattr(current, name) for name in CONTENT_FIELDS}, "report_decision": "report"},
        change_note="The SIRO decides to report to the ICO.",
    )
    dpo_user = person("dpo")
    dpo = client_for("dpo")
    clock_page = f"/incidents/{incident.pk}/assessments/"
    assert "Reported to the ICO" not in page_text(dpo, clock_page)
    url = f"/incidents/{incident.pk}/external-notifications/new/"
    assert "Social care case management servers (Northgate Borough Council)" in page_text(dpo, url)

    response = dpo.post(url, told_form(dpo_user, "ico", "IC-774411", assessment=assessment.pk))

    assert response.status_code == 302, response.content.decode()[:3000]
    host = next(c for c in clocks(incident) if c.council_id == incident.council_id)
    assert host.state == ClockState.REPORTED
    assert "Reported to the ICO" in page_text(dpo, clock_page)
    assessment.refresh_from_db()
    assert assessment.current is not None and assessment.current.ico_reference == "IC-774411"
    log = page_text(dpo, f"/incidents/{incident.pk}/external-notifications/")
    assert "IC-774411" in log and f"/assessments/{assessment.pk}/" in log


def test_silvers_broadcast_reaches_bronzes_phone_and_bronzes_acknowledgement_shows_on_it(
    modules: None,
) -> None:
    incident = demo_incident()
    silver = client_for("silver")
    sent = silver.post(
        f"/incidents/{incident.pk}/broadcasts/new/",
        {
            "audience": "responders",
            "message": "Silver meeting moved to 14:00 in the emergency planning room.",
            "no_personal_data": "on",
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    broadcast = Broadcast.objects.get(incident=incident)
    asked = broadcast.recipients.count()
    assert asked >= 2 and broadcast.recipients.filter(user__username="bronze").exists()

    result = notifications.sweep()  # what the worker does
    for delivery_id in result.deliveries_due or []:
        notifications.send_delivery(delivery_id=delivery_id)

    sms = Delivery.objects.get(
        channel="sms", notification__recipient=person("bronze"), notification__alert__kind="broadcast"
    )
    assert re.sub(r"\D", "", sms.address).endswith("7700900103")
    text = notifications.message_for(sms).body
    assert "14:00 in the emergency planning room" in text
    found = re.search(r"https?://\S+", text)
    assert found is not None, text
    link = urlsplit(found.group(0)).path
    bronze = client_for("bronze")
    assert "Acknowledge" in page_text(bronze, link)
    acknowledged = bronze.post(link)
    assert acknowledged.status_code == 302
    assert "Your acknowledgement is recorded" in page_text(bronze, acknowledged["Location"])

    page = page_text(silver, f"/incidents/{incident.pk}/broadcasts/{broadcast.pk}/")
    assert f"1 of {asked} people have acknowledged" in page
    assert page.count("Not yet") == asked - 1
