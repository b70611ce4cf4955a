"""The safeguarding register: due dates from the council's timescales, who sees it, stale edits,
completion, the dashboard and the reminders that climb the ladder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pytest_django import Settings

from incident_console.accounts.recovery_models import AuditEvent
from incident_console.lib.errors import StaleEditError
from incident_console.notifications import services as notification_services
from incident_console.notifications.models import Alert
from incident_console.safeguarding import services
from incident_console.safeguarding.models import Deadline, DeadlineStatus, TimingRule
from incident_console.safeguarding.selectors import rules_for
from incident_console.timeline.models import TimelineEvent
from tests.closure.helpers import closed_exercise
from tests.conftest import World, form_errors
from tests.safeguarding.helpers import a_deadline, with_social_worker

pytestmark = pytest.mark.django_db

# Thursday 10 December 2026, 09:00 in London (GMT).
NOW = datetime.fromisoformat("2026-12-10T09:00:00+00:00")
WEDNESDAY = date(2026, 12, 9)


@pytest.fixture
def frozen(world: World) -> Iterator[World]:
    with_social_worker(world)
    with time_machine.travel(NOW, tick=False):
        yield world


def add(w: World, **fields: object) -> Deadline:
    values: dict[str, object] = {
        "kind": "referral_decision",
        "case_reference": "MASH-0042",
        "start_date": WEDNESDAY,
        "owner": w.people["bronze"],
    }
    values.update(fields)
    return services.add_deadline(incident=w.incident_a, actor=w.people["gold"], **values)  # type: ignore[arg-type]


# --- Due dates and the timeline ---------------------------------------------------------------


def test_a_referral_decision_is_due_at_five_the_next_working_day_and_the_timeline_names_no_case(
    frozen: World,
) -> None:
    item = add(frozen)

    assert item.due_at == datetime.fromisoformat("2026-12-10T17:00:00+00:00")
    assert item.due_at == item.computed_due_at
    event = TimelineEvent.objects.filter(incident=frozen.incident_a).latest("sequence")
    assert event.summary == f"Safeguarding deadline {item.pk} (referral decision) added, due Thu 10 Dec"
    assert "MASH-0042" not in json.dumps(event.data) + event.summary


def test_an_initial_child_protection_conference_counts_15_working_days_past_christmas(frozen: World) -> None:
    item = add(frozen, kind="initial_child_protection_conference", start_date=date(2026, 12, 9))
    # 10,11,14-18,21-24 (11 days), then 29,30,31 and 4 January.
    assert item.due_at == datetime.fromisoformat("2027-01-04T17:00:00+00:00")


def test_a_court_deadline_needs_the_date_the_court_set(frozen: World) -> None:
    with pytest.raises(ValidationError) as refused:
        add(frozen, kind="court_deadline", start_date=None)
    assert "Enter the date the court set." in str(refused.value)

    item = add(frozen, kind="court_deadline", start_date=None, due_on=date(2026, 12, 10))
    assert item.computed_due_at is None
    assert item.due_at == datetime.fromisoformat("2026-12-10T17:00:00+00:00")


def test_a_due_date_other_than_the_timescale_needs_a_reason(frozen: World) -> None:
    with pytest.raises(ValidationError) as refused:
        add(frozen, due_on=date(2026, 12, 11))
    assert "The timescale makes it due 17:00 Thu 10 Dec" in str(refused.value)

    item = add(frozen, due_on=date(2026, 12, 11), override_reason="Agreed with the MASH manager")
    assert item.is_overridden
    assert item.due_at == datetime.fromisoformat("2026-12-11T17:00:00+00:00")


def test_a_start_date_in_the_future_or_a_missing_reference_gets_a_clear_message(frozen: World) -> None:
    with pytest.raises(ValidationError) as refused:
        add(frozen, start_date=date(2026, 12, 11), case_reference=" ")
    messages = refused.value.message_dict
    assert messages["start_date"] == ["The date the clock started cannot be in the future."]
    assert messages["case_reference"] == ["Enter the local case reference."]


def test_a_change_to_the_councils_timescale_does_not_move_items_already_on_the_register(
    frozen: World,
) -> None:
    item = add(frozen)
    _policy, rules = rules_for(frozen.a)
    rule = next(r for r in rules if r.kind == "referral_decision")
    services.update_rule(
        rule=rule,
        actor=frozen.people["admin"],
        expected_version=rule.version,
        amount=3,
        unit="working_days",
        start_label="referral received",
    )
    updated = services.update_deadline(
        deadline=item,
        actor=frozen.people["gold"],
        expected_version=item.version,
        kind=item.kind,
        case_reference=item.case_reference,
        start_date=item.start_date,
        due_on=None,
        override_reason="",
        owner=item.owner,
        note="Checked",
    )
    assert updated.due_at == item.due_at
    assert add(frozen, case_reference="MASH-0043").due_at == datetime.fromisoformat(
        "2026-12-14T17:00:00+00:00"
    )


def test_a_welsh_council_uses_its_own_due_time(frozen: World) -> None:
    policy, _rules = rules_for(frozen.a)
    services.update_policy(
        policy=policy,
        actor=frozen.people["admin"],
        expected_version=policy.version,
        region="wales",
        due_time=datetime.fromisoformat("2026-01-01T16:30").time(),
    )
    assert add(frozen).due_at == datetime.fromisoformat("2026-12-10T16:30:00+00:00")


# --- Completion and stale edits -----------------------------------------------------------------


def test_met_means_done_by_the_due_time(frozen: World) -> None:
    item = add(frozen)
    late = datetime.fromisoformat("2026-12-10T18:00:00+00:00")
    with time_machine.travel(late, tick=False):
        with pytest.raises(ValidationError) as refused:
            services.complete_deadline(
                deadline=item, actor=frozen.people["gold"], expected_version=item.version, outcome="met"
            )
        assert "record it as missed" in str(refused.value)
        done = services.complete_deadline(
            deadline=item, actor=frozen.people["gold"], expected_version=item.version, outcome="missed"
        )
    assert done.status == DeadlineStatus.MISSED and done.completed_at == late


def test_a_stale_edit_is_refused_and_nothing_is_lost(frozen: World) -> None:
    item = add(frozen)
    services.complete_deadline(
        deadline=item, actor=frozen.people["gold"], expected_version=item.version, outcome="met"
    )
    with pytest.raises(StaleEditError):
        services.complete_deadline(
            deadline=item, actor=frozen.people["gold"], expected_version=item.version, outcome="missed"
        )
    assert Deadline.objects.get(pk=item.pk).status == DeadlineStatus.MET


def test_a_closed_incident_takes_no_new_items(frozen: World) -> None:
    incident = closed_exercise(frozen)
    with pytest.raises(ValidationError):
        services.add_deadline(
            incident=incident,
            actor=frozen.people["gold"],
            kind="referral_decision",
            case_reference="X",
            start_date=WEDNESDAY,
        )


# --- Pages ----------------------------------------------------------------------------------------


def test_the_register_lists_by_due_date_with_overdue_and_due_today_marked(
    frozen: World, django_assert_max_num_queries: object
) -> None:
    add(frozen, case_reference="LATE-1", start_date=date(2026, 12, 7))  # due Tue 8 Dec: overdue
    add(frozen, case_reference="TODAY-1")  # due 17:00 today
    add(frozen, kind="child_and_family_assessment", case_reference="LATER-1")
    client = frozen.client_for("bronze")
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        page = client.get(f"/incidents/{frozen.incident_a.pk}/safeguarding/").content.decode()

    assert page.index("LATE-1") < page.index("TODAY-1") < page.index("LATER-1")
    assert page.count('govuk-tag--red">Overdue<') == 1
    assert page.count('govuk-tag--orange">Due today<') == 1
    assert "OFFICIAL-SENSITIVE" in page


def test_people_who_may_see_the_incident_but_not_service_user_data_get_403_and_others_404(
    frozen: World,
) -> None:
    url = f"/incidents/{frozen.incident_a.pk}/safeguarding/"
    a_deadline(frozen)
    for key in ("admin", "dpo", "bystander"):
        assert frozen.client_for(key).get(url).status_code == 403, key
    assert frozen.client_for("gold_b").get(url).status_code == 404
    # A social worker sees the register but does not work on the incident as a responder.
    assert frozen.client_for("staff").get(url).status_code == 200
    assert frozen.client_for("staff").get(url + "new/").status_code == 403
    detail = frozen.client_for("admin").get(f"/incidents/{frozen.incident_a.pk}/").content.decode()
    assert "Safeguarding critical timings" not in detail
    detail = frozen.client_for("bronze").get(f"/incidents/{frozen.incident_a.pk}/").content.decode()
    assert "Safeguarding critical timings" in detail


def form(**fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "kind": "referral_decision",
        "case_reference": "MASH-77",
        "start_date": "09/12/2026",
    }
    values.update(fields)
    return values


def test_working_out_the_due_date_shows_it_without_saving(frozen: World) -> None:
    client = frozen.client_for("bronze")
    url = f"/incidents/{frozen.incident_a.pk}/safeguarding/new/"
    page = client.post(url, form(check="1")).content.decode()
    assert "this item is due at 17:00 Thursday 10 December 2026" in page
    assert not Deadline.objects.exists()

    assert client.post(url, form(owner=frozen.people["staff"].pk)).status_code == 302
    assert Deadline.objects.get().owner == frozen.people["staff"]


def test_the_form_explains_what_is_wrong(frozen: World) -> None:
    client = frozen.client_for("bronze")
    url = f"/incidents/{frozen.incident_a.pk}/safeguarding/new/"
    response = client.post(url, form(start_date="31/02/2026", case_reference=""))
    assert form_errors(response) == {
        "case_reference": ["Enter the local case reference."],
        "start_date": ["Enter a date, for example 27/11/2026"],
    }
    response = client.post(url, form(kind="court_deadline", start_date=""))
    assert form_errors(response) == {"due_on": ["Enter the date the court set."]}
    response = client.post(url, form(start_date=""))
    assert form_errors(response) == {"start_date": ["Enter the date the clock started (referral received)."]}
    # Someone who may not see the register cannot be made its owner.
    response = client.post(url, form(owner=frozen.people["admin"].pk))
    assert "owner" in form_errors(response)


def test_a_stale_edit_on_the_page_gets_409_and_keeps_what_was_typed(frozen: World) -> None:
    item = add(frozen)
    client = frozen.client_for("bronze")
    url = f"/incidents/{frozen.incident_a.pk}/safeguarding/{item.pk}/"
    first = form(case_reference="MASH-0042", note="First", version=item.version)
    assert client.post(url, first).status_code == 302
    response = client.post(url, form(case_reference="MASH-0042", note="Second typed", version=item.version))
    assert response.status_code == 409
    assert "Second typed" in response.content.decode()


def test_completing_on_the_page(frozen: World) -> None:
    item = add(frozen)
    client = frozen.client_for("gold")
    url = f"/incidents/{frozen.incident_a.pk}/safeguarding/{item.pk}/complete/"
    assert form_errors(client.post(url, {"version": item.version})) == {
        "outcome": ["Choose met, missed or not needed."]
    }
    assert client.post(url, {"outcome": "met", "version": item.version}).status_code == 302
    page = client.get(f"/incidents/{frozen.incident_a.pk}/safeguarding/").content.decode()
    assert "No open items" in page and ">Met<" in page


# --- Council timescales -------------------------------------------------------------------------


def test_a_council_admin_sees_the_defaults_and_changes_one(frozen: World) -> None:
    client = frozen.client_for("admin")
    url = f"/councils/{frozen.a.pk}/safeguarding-timings/"
    page = client.get(url).content.decode()
    assert TimingRule.objects.filter(council=frozen.a).count() == 7
    assert "15 working days" in page and "26 weeks" in page and "set by the court" in page
    assert page.count("Local default, check your procedures") == 2

    rule = TimingRule.objects.get(council=frozen.a, kind="adult_safeguarding_enquiry")
    edit = f"{url}{rule.pk}/"
    refused = client.post(edit, {"amount": "0", "unit": "working_days", "start_label": "x", "version": 1})
    assert form_errors(refused) == {"amount": ["Enter a whole number of 1 or more."]}
    assert (
        client.post(
            edit, {"amount": "20", "unit": "working_days", "start_label": "concern", "version": 1}
        ).status_code
        == 302
    )
    assert TimingRule.objects.get(pk=rule.pk).amount == 20
    logged = AuditEvent.objects.filter(council=frozen.a, kind="safeguarding_timescale_changed").get()
    assert logged.summary == (
        "Safeguarding timescale for adult safeguarding (section 42) enquiry: 20 working days from concern "
        "(was 28 working days)"
    )
    stale = client.post(
        edit, {"amount": "21", "unit": "working_days", "start_label": "concern", "version": 1}
    )
    assert stale.status_code == 409

    court = TimingRule.objects.get(council=frozen.a, kind="court_deadline")
    refused = client.post(
        f"{url}{court.pk}/", {"amount": "5", "unit": "set_by_court", "start_label": "order", "version": 1}
    )
    assert form_errors(refused) == {"amount": ["The court sets court deadlines: leave the amount empty."]}


def test_only_the_councils_admin_sets_its_timescales(frozen: World) -> None:
    url = f"/councils/{frozen.a.pk}/safeguarding-timings/"
    assert f'href="{url}"' in frozen.client_for("admin").get("/").content.decode()
    assert f'href="{url}"' not in frozen.client_for("gold").get("/").content.decode()
    assert frozen.client_for("gold").get(url).status_code == 403
    assert frozen.client_for("admin_b").get(url).status_code == 404
    bad = frozen.client_for("admin").post(
        url + "policy/", {"region": "wales", "due_time": "25:00", "version": 1}
    )
    assert form_errors(bad) == {"due_time": ["Enter a time, for example 17:00"]}


# --- API ------------------------------------------------------------------------------------------


def test_the_api_adds_lists_edits_with_409_on_a_stale_version_and_completes(frozen: World) -> None:
    client = frozen.client_for("bronze")
    base = f"/api/v1/incidents/{frozen.incident_a.pk}/deadlines/"
    bad = client.post(
        base, {"kind": "court_deadline", "case_reference": "FC-1"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "due_on" in bad.json()
    made = client.post(
        base,
        {"kind": "referral_decision", "case_reference": "MASH-9", "start_date": "2026-12-09"},
        content_type="application/json",
    )
    assert made.status_code == 201
    body = made.json()
    assert body["due_at"] == "2026-12-10T17:00:00Z" and body["timescale"] == "1 working days"
    assert [row["case_reference"] for row in client.get(base).json()["results"]] == ["MASH-9"]

    url = f"/api/v1/deadlines/{body['id']}/"
    assert (
        client.patch(url, {"note": "Rang", "version": 1}, content_type="application/json").status_code == 200
    )
    stale = client.patch(url, {"note": "Again", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    done = client.post(url + "complete/", {"outcome": "met", "version": 2}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "met"

    assert frozen.client_for("admin").get(url).status_code == 403
    assert frozen.client_for("admin_b").get(url).status_code == 404
    rules = frozen.client_for("admin").get("/api/v1/safeguarding/timings/").json()
    assert len(rules) == 7 and {r["council"] for r in rules} == {"northgate"}


# --- Dashboard ----------------------------------------------------------------------------------


def test_the_dashboard_shows_pressing_items_only_to_people_who_may_see_them(frozen: World) -> None:
    add(frozen, case_reference="LATE-7", start_date=date(2026, 12, 7))
    add(frozen, kind="child_and_family_assessment", case_reference="LATER-7")
    page = frozen.client_for("gold").get("/").content.decode()
    assert "Safeguarding items overdue or due within 24 hours" in page
    assert "LATE-7" in page and "LATER-7" not in page
    for key in ("admin", "dpo", "gold_b"):
        assert "LATE-7" not in frozen.client_for(key).get("/").content.decode(), key


# --- Reminders ------------------------------------------------------------------------------------


def sweep_at(at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        notification_services.sweep()


def heard(kind: str) -> list[str]:
    alert = Alert.objects.get(kind=kind)
    return list(alert.notifications.order_by("step", "pk").values_list("recipient__username", flat=True))


def test_an_item_due_within_a_day_reminds_its_owner_without_the_case_reference(
    frozen: World, settings: Settings
) -> None:
    settings.SAFEGUARDING_LEAD_HOURS = 24
    add(frozen, kind="initial_child_protection_conference", start_date=date(2026, 11, 19))  # due 10 Dec
    sweep_at(NOW)
    assert heard("safeguarding_deadline_due_soon") == ["a-bronze"]
    alert = Alert.objects.get(kind="safeguarding_deadline_due_soon")
    assert alert.subject == (
        f"EXERCISE: Initial child protection conference due 17:00 Thu 10 Dec ({frozen.incident_a.reference})"
    )


def test_an_overdue_item_climbs_from_its_owner_to_silver_of_the_cell_to_gold_until_completed(
    frozen: World, settings: Settings
) -> None:
    settings.ESCALATE_AFTER_MINUTES = 30
    item = add(frozen, owner=frozen.people["staff"], case_reference="MASH-SECRET")
    due = item.due_at
    for minutes in (1, 32, 63):
        sweep_at(due + timedelta(minutes=minutes))
    # staff has no command role: Silver for children's social care (bronze), then Gold (gold).
    assert heard("safeguarding_deadline_overdue") == ["a-staff", "a-bronze", "a-gold"]
    alert = Alert.objects.get(kind="safeguarding_deadline_overdue")
    assert "MASH-SECRET" not in alert.subject and alert.subject.startswith(
        "EXERCISE: Overdue: Referral decision"
    )

    with time_machine.travel(due + timedelta(minutes=70), tick=False):
        services.complete_deadline(
            deadline=item, actor=frozen.people["gold"], expected_version=item.version, outcome="missed"
        )
    sweep_at(due + timedelta(minutes=71))
    assert Alert.objects.get(pk=alert.pk).state != "open"
