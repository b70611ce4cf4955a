"""The systems recovery tracker and the log of who outside the council has been told."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from incident_console.command.models import Decision
from incident_console.lib.time import london, now
from incident_console.recovery.models import AffectedSystem, ExternalNotification
from incident_console.recovery.services import add_system
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.conftest import World
from tests.recovery.helpers import a_system

pytestmark = pytest.mark.django_db


def share_with_b(w: World) -> None:
    w.a.connected_councils.add(w.b)
    w.incident_a.shared_with.add(w.b)


def system_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "name": "Social care case management",
        "kind": "case_management",
        "services": ["adult_social_care", "childrens_social_care"],
        "state": "unavailable",
    }
    form.update(changes)
    return form


def test_a_responder_adds_a_system_and_its_state_changes_go_on_the_timeline(world: World) -> None:
    client = factories.signed_in_client(world.people["bronze"])
    url = f"/incidents/{world.incident_a.pk}/systems/"

    assert client.post(url + "new/", system_form()).status_code == 302
    system = AffectedSystem.objects.get()
    edited = client.post(
        url + f"{system.pk}/",
        system_form(state="restored_read_only", version=system.version, notes="Read-only from 14:00"),
    )

    assert edited.status_code == 302
    page = client.get(url).content.decode()
    assert "Restored read-only" in page and "Read-only from 14:00" in page
    summaries = list(
        TimelineEvent.objects.filter(incident=world.incident_a, kind__startswith="system_").values_list(
            "summary", flat=True
        )
    )
    assert "Social care case management is now Restored read-only (was Unavailable)" in summaries


def test_the_dependency_view_shows_each_service_and_council_still_without_a_shared_system(
    world: World,
) -> None:
    share_with_b(world)
    gold = world.people["gold"]
    shared = add_system(
        incident=world.incident_a,
        actor=gold,
        name="Children's case management",
        kind="case_management",
        services=["childrens_social_care"],
        shared_with=[world.b],
    )
    add_system(
        incident=world.incident_a,
        actor=gold,
        name="Payments",
        kind="finance",
        services=["adult_social_care", "finance"],
        state="restored",
    )

    page = factories.signed_in_client(gold).get(f"/incidents/{world.incident_a.pk}/systems/").content.decode()
    without = page[page.index("Services still without systems") :]

    assert world.b.name in without, "the connected council that depends on it is listed"
    assert without.count("Children&#x27;s case management (unavailable)") == 2, "once for each council"
    assert "Services that use the shared system" in without
    assert "Payments" in without and "Nothing" in without, "finance has everything back"
    assert shared.pk


def test_gold_agrees_the_restore_order_and_for_a_shared_system_it_is_a_decision_with_its_reason(
    world: World,
) -> None:
    gold = world.people["gold"]
    case = a_system(world)  # serves adults and children
    email = add_system(incident=world.incident_a, actor=gold, name="Email", kind="email", services=["other"])
    client = factories.signed_in_client(gold)
    url = f"/incidents/{world.incident_a.pk}/systems/order/"

    versions = {f"version_{s.pk}": s.version for s in (case, email)}

    refused = client.post(
        url, {f"order_{case.pk}": "1", f"order_{email.pk}": "2", "rationale": "", **versions}
    )
    assert refused.status_code == 200
    assert "Say why this order" in refused.content.decode()
    same = client.post(url, {f"order_{case.pk}": "1", f"order_{email.pk}": "1", "rationale": "x", **versions})
    assert "Give each system a different place" in same.content.decode()

    saved = client.post(
        url,
        {
            f"order_{case.pk}": "1",
            f"order_{email.pk}": "2",
            "rationale": "Safeguarding records first, for both services.",
            **versions,
        },
    )

    assert saved.status_code == 302
    assert [s.name for s in AffectedSystem.objects.filter(incident=world.incident_a)] == [case.name, "Email"]
    decision = Decision.objects.get(incident=world.incident_a)
    assert decision.decision == f"Restore IT systems in this order: 1. {case.name}; 2. Email"
    assert decision.rationale == "Safeguarding records first, for both services."


def test_bronze_cannot_set_the_restore_order(world: World) -> None:
    a_system(world)
    response = factories.signed_in_client(world.people["bronze"]).get(
        f"/incidents/{world.incident_a.pk}/systems/order/"
    )
    assert response.status_code == 403


def test_a_stale_edit_of_a_system_is_a_409_that_keeps_what_was_typed(world: World) -> None:
    system = a_system(world)
    url = f"/incidents/{world.incident_a.pk}/systems/{system.pk}/"
    gold = factories.signed_in_client(world.people["gold"])
    bronze = factories.signed_in_client(world.people["bronze"])
    assert gold.post(url, system_form(state="being_restored", version=1)).status_code == 302

    stale = bronze.post(url, system_form(state="verified", version=1, notes="Checked by IT"))

    assert stale.status_code == 409
    assert "Checked by IT" in stale.content.decode()
    system.refresh_from_db()
    assert system.state == "being_restored"


def test_the_incident_page_lists_who_has_not_been_told_until_they_are(world: World) -> None:
    share_with_b(world)
    gold = factories.signed_in_client(world.people["gold"])
    incident_url = f"/incidents/{world.incident_a.pk}/"
    page = gold.get(incident_url).content.decode()
    assert "Not yet recorded as told:" in page
    assert "National Cyber Security Centre (NCSC)" in page and world.b.name in page

    extras: list[tuple[str, dict[str, object]]] = [
        ("ncsc", {}),
        ("ico", {"reference": "IC-123456"}),
        ("connected_council", {"council_told": world.b.pk}),
    ]
    for body, extra in extras:
        response = gold.post(
            f"/incidents/{world.incident_a.pk}/external-notifications/new/",
            {
                "body": body,
                "notified_at": f"{london(now() - timedelta(minutes=5)):%Y-%m-%dT%H:%M}",
                "told_by": world.people["gold"].pk,
                "method": "phone",
                **extra,
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]

    warning = gold.get(incident_url).content.decode()
    warning = warning[warning.index("Not yet recorded as told:") :][:800]
    assert "NCSC" not in warning and "ICO" not in warning and world.b.name not in warning
    assert "Police / Action Fraud" in warning
    log = gold.get(f"/incidents/{world.incident_a.pk}/external-notifications/").content.decode()
    assert "IC-123456" in log


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"notified_at": "future"}, "cannot be in the future"),
        ({"notified_at": "before"}, "cannot be before the council became aware"),
        ({"body": "other"}, "Enter who was told."),
        ({"body": "connected_council"}, "Choose the connected council."),
        ({"notified_at": "yesterday-ish"}, "Enter a date and time"),
        ({"method": ""}, "Choose how they were told."),
    ],
    ids=["future", "before-aware", "other-unnamed", "no-council", "bad-time", "no-method"],
)
def test_bad_notification_input_gets_a_clear_message_and_saves_nothing(
    world: World, form: dict[str, str], message: str
) -> None:
    times = {
        "future": f"{london(now() + timedelta(hours=2)):%Y-%m-%dT%H:%M}",
        "before": f"{london(world.incident_a.aware_at - timedelta(hours=2)):%Y-%m-%dT%H:%M}",
    }
    data = {
        "body": "police",
        "notified_at": f"{london(now() - timedelta(minutes=5)):%Y-%m-%dT%H:%M}",
        "told_by": world.people["gold"].pk,
        "method": "phone",
    }
    data.update({k: times.get(v, v) for k, v in form.items()})
    response = factories.signed_in_client(world.people["gold"]).post(
        f"/incidents/{world.incident_a.pk}/external-notifications/new/", data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExternalNotification.objects.exists()


def test_the_api_tracks_systems_with_409_on_a_stale_version_and_logs_notifications(world: World) -> None:
    client = world.client_for("gold")
    base = f"/api/v1/incidents/{world.incident_a.pk}/"
    created = client.post(
        base + "systems/",
        json.dumps({"name": "Telephony", "kind": "telephony", "services": ["customer_services"]}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    body = {
        "name": "Telephony",
        "kind": "telephony",
        "services": ["customer_services"],
        "state": "restored",
        "version": 1,
    }
    assert (
        client.put(base + f"systems/{pk}/", json.dumps(body), content_type="application/json").status_code
        == 200
    )
    stale = client.put(base + f"systems/{pk}/", json.dumps(body), content_type="application/json")
    assert stale.status_code == 409

    refused = client.post(
        base + "external-notifications/",
        json.dumps({"body": "other", "method": "email", "notified_at": now().isoformat()}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "name" in refused.json()
    logged = client.post(
        base + "external-notifications/",
        json.dumps(
            {"body": "ncsc", "method": "online", "notified_at": now().isoformat(), "reference": "N-1"}
        ),
        content_type="application/json",
    )
    assert logged.status_code == 201
    assert logged.json()["told_by"] == "a-gold"
    assert [e["reference"] for e in client.get(base + "external-notifications/").json()] == ["N-1"]


def test_the_ico_counts_as_told_once_the_assessment_records_the_report(world: World) -> None:
    from incident_console.assessments import services as assessments
    from tests.assessments.helpers import an_assessment, content

    gold = factories.signed_in_client(world.people["gold"])
    url = f"/incidents/{world.incident_a.pk}/external-notifications/"
    assert (
        "Information Commissioner"
        in gold.get(url).content.decode().split("Not yet recorded as told:")[1][:600]
    )

    assessments.new_version(
        assessment=an_assessment(world),
        actor=world.people["siro"],
        expected_version=None,
        content=content(
            report_decision="report", ico_reference="IC-777", ico_reported_at=now() - timedelta(minutes=1)
        ),
    )

    page = gold.get(url).content.decode()
    assert "Information Commissioner" not in page.split("Not yet recorded as told:")[1][:600]
    assert "IC-777" not in page, "the reference stays with the assessment, which few may see"


def test_the_demo_exercise_has_a_shared_case_management_system_and_shows_who_is_not_yet_told(
    modules: None,
) -> None:
    from incident_console.incidents.demo import load_demo

    report = load_demo(password="demo-password-for-tests-only")
    incident = report.incident
    assert incident is not None
    case = AffectedSystem.objects.get(incident=incident, name="Social care case management")
    assert case.services == ["adult_social_care", "childrens_social_care"]
    assert [c.slug for c in case.shared_with.all()] == ["fernley"]
    from incident_console.recovery.selectors import missing_notifications

    missing = missing_notifications(incident)
    assert "National Cyber Security Centre (NCSC)" in missing
    assert "Fernley District Council" not in missing
