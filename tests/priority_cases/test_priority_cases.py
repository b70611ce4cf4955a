"""Priority cases: who sees them (the sensitivity rule), the access log, recording contacts, stale
edits and the timeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from incident_console.accounts.models import Role
from incident_console.command.services import assign_role
from incident_console.lib.time import london, now
from incident_console.priority_cases.models import CaseContact, PriorityCase, PriorityCaseAccess
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World, form_errors
from tests.contacts.helpers import social_worker
from tests.priority_cases.helpers import REFERENCE, WHY, a_case

pytestmark = pytest.mark.django_db


def urls(w: World, case: PriorityCase) -> list[str]:
    pk = w.incident_a.pk
    return [
        f"/incidents/{pk}/priority-cases/",
        f"/incidents/{pk}/priority-cases/{case.pk}/",
        f"/incidents/{pk}/priority-cases/export.csv",
        f"/api/v1/incidents/{pk}/priority-cases/",
        f"/api/v1/priority-cases/{case.pk}/",
    ]


def test_a_social_worker_of_the_council_sees_the_list_the_case_the_export_and_the_api(world: World) -> None:
    case = a_case(world)
    social_worker(world, "staff", Role.SOCIAL_CARE_ADULTS)
    client = world.client_for("staff")
    for url in urls(world, case):
        response = client.get(url)
        assert response.status_code == 200, url
        assert REFERENCE in response.content.decode(), url


def test_gold_holder_sees_the_list_but_the_incident_lead_without_gold_does_not(world: World) -> None:
    case = PriorityCase.objects.get(pk=a_case(world).pk)  # gold now holds Gold
    client = world.client_for("gold")
    assert client.get(f"/incidents/{world.incident_a.pk}/priority-cases/").status_code == 200
    from incident_console.command.models import Assignment

    Assignment.objects.filter(incident=world.incident_a).update(relinquished_at=now())
    assert client.get(f"/incidents/{world.incident_a.pk}/priority-cases/{case.pk}/").status_code == 403


def test_silver_of_a_social_care_cell_sees_the_list(world: World) -> None:
    a_case(world)
    assign_role(
        incident=world.incident_a,
        actor=world.people["gold"],
        user=world.people["bronze"],
        tier="silver",
        cell="childrens_social_care",
    )
    page = world.client_for("bronze").get(f"/incidents/{world.incident_a.pk}/priority-cases/")
    assert page.status_code == 200 and WHY in page.content.decode()


def test_silver_of_the_it_cell_is_refused(world: World) -> None:
    a_case(world)
    assign_role(
        incident=world.incident_a,
        actor=world.people["gold"],
        user=world.people["bronze"],
        tier="silver",
        cell="it",
    )
    assert (
        world.client_for("bronze").get(f"/incidents/{world.incident_a.pk}/priority-cases/").status_code == 403
    )


@pytest.mark.parametrize("key", ["staff", "partner", "dpo", "caldicott", "admin", "siro", "bystander"])
def test_people_who_see_the_incident_but_not_service_user_data_get_403(world: World, key: str) -> None:
    case = a_case(world)
    client = world.client_for(key)
    for url in urls(world, case):
        assert client.get(url).status_code == 403, url
    assert not PriorityCaseAccess.objects.exists()


def test_another_councils_social_worker_gets_404(world: World) -> None:
    from incident_console.accounts.models import Membership

    case = a_case(world)
    Membership.objects.create(user=world.people_b["bronze"], council=world.b, role=Role.SOCIAL_CARE_CHILDREN)
    client = world.client_for("bronze_b")
    for url in urls(world, case):
        assert client.get(url).status_code == 404, url


def test_every_view_by_page_api_and_export_is_in_the_access_log_read_by_the_dpo(world: World) -> None:
    case = a_case(world)
    client = world.client_for("gold")
    for url in urls(world, case):
        client.get(url)
    log = list(PriorityCaseAccess.objects.order_by("pk").values_list("actor__username", "via", "case_id"))
    assert log == [
        ("a-gold", "page", case.pk),
        ("a-gold", "page", case.pk),
        ("a-gold", "export", case.pk),
        ("a-gold", "api", case.pk),
        ("a-gold", "api", case.pk),
    ]
    for key in ("dpo", "caldicott"):
        page = world.client_for(key).get(f"/incidents/{world.incident_a.pk}/priority-cases/access-log/")
        assert page.status_code == 200
        html = page.content.decode()
        assert f"Priority case {case.number}" in html and "CSV export" in html
        assert REFERENCE not in html and WHY not in html, "the log names the case by number only"
    for key in ("gold", "admin", "siro"):
        url = f"/incidents/{world.incident_a.pk}/priority-cases/access-log/"
        assert world.client_for(key).get(url).status_code == 403, key


def test_recording_a_contact_appends_to_the_history_and_moves_the_next_contact(world: World) -> None:
    case = a_case(world)
    client = world.client_for("gold")
    next_due = london(now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    response = client.post(
        f"/incidents/{world.incident_a.pk}/priority-cases/{case.pk}/",
        {
            "contacted_at": f"{london(now() - timedelta(minutes=5)):%d/%m/%Y %H:%M}",
            "contacted_by": world.people["gold"].pk,
            "result": "contacted_safe",
            "outcome": "Spoke to mother at the new address; child seen.",
            "next_contact_due": f"{next_due:%d/%m/%Y %H:%M}",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.next_contact_due == next_due
    assert case.status == "contacted_safe" and case.last_contacted_at is not None
    assert CaseContact.objects.filter(case=case).count() == 1
    page = client.get(f"/incidents/{world.incident_a.pk}/priority-cases/{case.pk}/").content.decode()
    assert "Spoke to mother at the new address" in page
    event = TimelineEvent.objects.filter(incident=world.incident_a, kind="priority_case_contacted").get()
    day = f"{next_due:%a} {next_due.day} {next_due:%b} 10:00"
    assert (
        event.summary
        == f"Priority case {case.number} (children's social care) contacted; next contact due {day}"
    )


def test_timeline_events_never_carry_the_case_reference_or_why_at_risk(world: World) -> None:
    case = a_case(world)
    from incident_console.priority_cases.services import record_contact, update_case

    record_contact(
        case=case,
        actor=world.people["gold"],
        contacted_at=now() - timedelta(minutes=1),
        contacted_by=world.people["gold"],
        result="contacted_escalated",
        outcome="Nobody home",
        next_contact_due=now() + timedelta(hours=1),
    )
    case.refresh_from_db()
    update_case(
        case=case,
        actor=world.people["gold"],
        expected_version=case.version,
        reference=case.reference,
        service=case.service,
        why_at_risk=case.why_at_risk,
        owner=case.owner,
        next_contact_due=None,
        status="closed",
        closed_reason="Family traced and safe",
    )
    events = TimelineEvent.objects.filter(incident=world.incident_a, kind__startswith="priority_case")
    assert events.count() == 3
    for event in events:
        assert REFERENCE not in event.summary + str(event.data) and "protection plan" not in event.summary


def test_a_contact_in_the_future_or_without_an_outcome_is_refused_with_messages(world: World) -> None:
    case = a_case(world)
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/priority-cases/{case.pk}/",
        {
            "contacted_at": f"{london(now() + timedelta(hours=3)):%d/%m/%Y %H:%M}",
            "contacted_by": world.people["gold"].pk,
            "result": "contacted_safe",
            "outcome": "",
            "next_contact_due": "not a date",
            "version": case.version,
        },
    )
    assert response.status_code == 200
    errors = form_errors(response)
    assert errors["outcome"] == ["Say what happened when you made contact."]
    assert "Enter a date and time" in errors["next_contact_due"][0]
    assert not CaseContact.objects.exists()


def test_the_owner_must_be_someone_who_may_see_the_list(world: World) -> None:
    a_case(world)
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/priority-cases/new/",
        {
            "reference": "ASC-1",
            "service": "adult_social_care",
            "why_at_risk": "Lives alone",
            "owner": world.people["staff"].pk,
            "next_contact_due": f"{london(now() + timedelta(hours=3)):%d/%m/%Y %H:%M}",
        },
    )
    assert "owner" in form_errors(response)
    assert PriorityCase.objects.count() == 1


def test_a_stale_edit_gets_409_on_the_page_and_in_the_api(world: World) -> None:
    case = a_case(world)
    client = world.client_for("gold")
    stale = case.version
    assert (
        client.patch(
            f"/api/v1/priority-cases/{case.pk}/",
            {"version": stale, "notes": "Police aware"},
            content_type="application/json",
        ).status_code
        == 200
    )
    again = client.patch(
        f"/api/v1/priority-cases/{case.pk}/",
        {"version": stale, "notes": "Overwrite"},
        content_type="application/json",
    )
    assert again.status_code == 409
    page = client.post(
        f"/incidents/{world.incident_a.pk}/priority-cases/{case.pk}/edit/",
        {
            "reference": REFERENCE,
            "service": "childrens_social_care",
            "why_at_risk": WHY,
            "owner": world.people["gold"].pk,
            "next_contact_due": f"{london(now() + timedelta(hours=3)):%d/%m/%Y %H:%M}",
            "status": "awaiting_contact",
            "version": stale,
        },
    )
    assert page.status_code == 409
    case.refresh_from_db()
    assert case.notes == "Police aware"


def test_the_api_adds_a_case_and_records_a_contact_with_field_errors_for_bad_input(world: World) -> None:
    a_case(world)
    client = world.client_for("gold")
    url = f"/api/v1/incidents/{world.incident_a.pk}/priority-cases/"
    bad = client.post(url, {"service": "housing"}, content_type="application/json")
    assert bad.status_code == 400 and {"reference", "service", "why_at_risk", "owner"} <= set(bad.json())
    made = client.post(
        url,
        {
            "reference": "ASC-88231",
            "service": "adult_social_care",
            "why_at_risk": "Dementia, lives alone",
            "owner": world.people["gold"].pk,
            "next_contact_due": (now() + timedelta(hours=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["number"] == 2
    contact = client.post(
        f"/api/v1/priority-cases/{made.json()['id']}/contacts/",
        {
            "contacted_at": now().isoformat(),
            "result": "contacted_escalated",
            "outcome": "Fell; ambulance called",
            "next_contact_due": (now() + timedelta(hours=4)).isoformat(),
        },
        content_type="application/json",
    )
    assert contact.status_code == 201 and contact.json()["contacted_by"] == "a-gold"
    assert PriorityCase.objects.get(pk=made.json()["id"]).status == "contacted_escalated"


def test_the_list_puts_open_cases_first_by_next_contact_and_tags_overdue(
    world: World, django_assert_max_num_queries
) -> None:
    a_case(world)
    gold = world.people["gold"]
    late = a_case(
        world, reference="ASC-2", service="adult_social_care", next_contact_due=now() - timedelta(minutes=5)
    )
    for i in range(10):
        a_case(world, reference=f"X-{i}", next_contact_due=now() + timedelta(hours=5 + i))
    client = world.client_for("gold")
    url = f"/incidents/{world.incident_a.pk}/priority-cases/"
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert html.index("ASC-2") < html.index(REFERENCE) < html.index("X-0")
    assert html.count("Overdue") == 1
    filtered = client.get(url + "?service=adult_social_care").content.decode()
    assert "ASC-2" in filtered and REFERENCE not in filtered
    assert late.owner == gold


def test_the_csv_export_is_safe_against_formulas(world: World) -> None:
    a_case(world, reference="=HYPERLINK(1)", why_at_risk="+cmd", next_contact_due=now() + timedelta(hours=1))
    csv_text = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/priority-cases/export.csv")
    body = csv_text.content.decode()
    assert "'=HYPERLINK(1)" in body and "'+cmd" in body


def test_the_incident_page_links_to_the_list_only_for_people_who_may_see_it(world: World) -> None:
    a_case(world)
    url = f"/incidents/{world.incident_a.pk}/"
    assert "priority-cases/" in world.client_for("gold").get(url).content.decode()
    assert 'priority-cases/"' not in world.client_for("admin").get(url).content.decode()
    assert "Who viewed priority cases" in world.client_for("dpo").get(url).content.decode()
    assert "Priority cases" not in world.client_for("staff").get(url).content.decode()


def test_closing_needs_a_reason_and_writes_nothing_otherwise(world: World) -> None:
    case = a_case(world)
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/priority-cases/{case.pk}/edit/",
        {
            "reference": REFERENCE,
            "service": "childrens_social_care",
            "why_at_risk": WHY,
            "owner": world.people["gold"].pk,
            "status": "closed",
            "closed_reason": "",
            "version": case.version,
        },
    )
    assert form_errors(response)["closed_reason"] == ["Say why the case is closed."]
    case.refresh_from_db()
    assert case.status == "awaiting_contact"


def test_resetting_the_exercise_removes_its_priority_cases_contacts_and_access_log(world: World) -> None:
    from incident_console.closure.services import reset_exercise
    from incident_console.priority_cases.services import record_contact

    case = a_case(world)
    record_contact(
        case=case,
        actor=world.people["gold"],
        contacted_at=now() - timedelta(minutes=1),
        contacted_by=world.people["gold"],
        result="contacted_safe",
        outcome="Seen",
        next_contact_due=now() + timedelta(hours=1),
    )
    world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/priority-cases/")
    purged = reset_exercise(incident=world.incident_a, actor=world.people["admin"], reason="Run again")
    assert purged.counts["priority_cases.PriorityCase"] == 1
    assert not PriorityCase.objects.exists() and not CaseContact.objects.exists()
    assert not PriorityCaseAccess.objects.exists()


def test_a_contact_on_a_closed_case_is_refused_with_a_message(world: World) -> None:
    case = a_case(world)
    PriorityCase.objects.filter(pk=case.pk).update(status="closed", closed_reason="Moved away", version=5)
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/priority-cases/{case.pk}/",
        {
            "contacted_at": f"{london(now() - timedelta(minutes=5)):%d/%m/%Y %H:%M}",
            "contacted_by": world.people["gold"].pk,
            "result": "contacted_safe",
            "outcome": "Seen",
            "next_contact_due": f"{london(now() + timedelta(hours=5)):%d/%m/%Y %H:%M}",
            "version": 5,
        },
    )
    assert "This case is closed. Reopen it before recording a contact." in response.content.decode()
    assert not CaseContact.objects.exists()


def test_the_access_log_pages_through_every_view_newest_first_at_a_constant_query_count(
    world: World, django_assert_max_num_queries: Any
) -> None:
    case = a_case(world)
    start = now() - timedelta(days=30)
    PriorityCaseAccess.objects.bulk_create(
        PriorityCaseAccess(
            council=world.a,
            incident=world.incident_a,
            case=case,
            actor=world.people["gold"],
            via=PriorityCaseAccess.Via.PAGE,
            what=f"View number {n}",
            occurred_at=start + timedelta(minutes=n),
        )
        for n in range(120)
    )
    url = f"/incidents/{world.incident_a.pk}/priority-cases/access-log/"
    client = world.client_for("dpo")
    with django_assert_max_num_queries(9):
        first = client.get(url).content.decode()
    assert "View number 119" in first and "View number 70" in first and "View number 69" not in first
    assert "Page 1 of 3" in first
    with django_assert_max_num_queries(9):
        last = client.get(f"{url}?page=3").content.decode()
    assert "View number 0<" in last and "View number 20<" not in last
