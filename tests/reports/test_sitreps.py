"""Sitreps: the draft → approved → issued workflow, numbering, snapshots and the two variants."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from incident_console.command.services import add_risk, assign_role, record_decision
from incident_console.lib.errors import StaleEditError, ValidationError
from incident_console.lib.time import now
from incident_console.reports import grab_pack, services
from incident_console.reports.models import JobState, PdfJob, Sitrep, SitrepStatus, sha256_of
from incident_console.reports.snapshot import PARTNER_FIELDS
from tests import factories
from tests.conftest import World
from tests.reports.sitrep_helpers import a_draft, an_approved, an_issued

pytestmark = pytest.mark.django_db


def test_a_draft_has_no_number_until_it_is_issued(world: World) -> None:
    draft = a_draft(world)
    assert draft.number is None and draft.label == "Draft sitrep"
    issued = services.issue_sitrep(
        sitrep=services.approve_sitrep(sitrep=draft, actor=world.people["gold"]), actor=world.people["bronze"]
    )
    assert issued.number == 1 and issued.label == "SITREP 1"


def test_a_draft_cannot_be_issued_before_gold_approves_it(world: World) -> None:
    with pytest.raises(ValidationError):
        services.issue_sitrep(sitrep=a_draft(world), actor=world.people["bronze"])


def test_changing_an_approved_draft_sends_it_back_for_approval(world: World) -> None:
    approved = an_approved(world)
    changed = services.update_sitrep(
        sitrep=approved,
        actor=world.people["bronze"],
        expected_version=approved.version,
        headline="New",
        impact="",
        risks_issues="",
        partner_headline="",
        requests_of_partners="",
        next_sitrep_at=None,
    )
    assert changed.status == SitrepStatus.DRAFT and changed.approved_by is None


def test_a_stale_edit_is_refused(world: World) -> None:
    draft = a_draft(world)
    with pytest.raises(StaleEditError):
        services.approve_sitrep(sitrep=draft, actor=world.people["gold"], expected_version=draft.version + 1)


def test_an_issued_sitrep_cannot_be_changed(world: World) -> None:
    issued = an_issued(world)
    with pytest.raises(ValidationError):
        services.update_sitrep(
            sitrep=issued,
            actor=world.people["gold"],
            expected_version=None,
            headline="x",
            impact="",
            risks_issues="",
            partner_headline="",
            requests_of_partners="",
            next_sitrep_at=None,
        )


def test_sitreps_are_numbered_in_order_and_amendments_are_point_numbers(world: World) -> None:
    first, second, third = an_issued(world), an_issued(world), an_issued(world)
    assert [first.number_label, second.number_label, third.number_label] == ["1", "2", "3"]
    amendments = []
    for reason in ("Corrected the impact figures.", "Added the police request."):
        draft = services.draft_sitrep(
            incident=world.incident_a,
            actor=world.people["bronze"],
            headline="Corrected",
            amends=third,
            amendment_reason=reason,
        )
        services.approve_sitrep(sitrep=draft, actor=world.people["gold"])
        amendments.append(services.issue_sitrep(sitrep=draft, actor=world.people["bronze"]))
    assert [a.label for a in amendments] == ["SITREP 3.1", "SITREP 3.2"]
    assert amendments[0].snapshot is not None
    assert amendments[0].snapshot["sitrep"]["amends"] == "SITREP 3"
    assert an_issued(world).number_label == "4"


def test_an_amendment_must_say_what_it_amends(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.draft_sitrep(
            incident=world.incident_a, actor=world.people["bronze"], headline="x", amends=an_issued(world)
        )
    assert "amendment_reason" in error.value.message_dict


def test_issuing_stores_a_snapshot_whose_sha256_matches_and_queues_both_variants(world: World) -> None:
    issued = an_issued(world)
    assert issued.snapshot_sha256 == sha256_of(issued.snapshot)
    reread = Sitrep.objects.get(pk=issued.pk)
    assert sha256_of(reread.snapshot) == reread.snapshot_sha256
    for job in (issued.full_pdf, issued.partner_pdf):
        assert job is not None and job.state == JobState.QUEUED
        assert job.snapshot_sha256 == issued.snapshot_sha256
    assert {issued.full_pdf.variant, issued.partner_pdf.variant} == {"full", "partner"}  # type: ignore[union-attr]


def test_the_snapshot_is_assembled_from_live_records_of_the_period(world: World) -> None:
    gold = world.people["gold"]
    assign_role(incident=world.incident_a, actor=gold, user=gold, tier="gold")
    record_decision(
        incident=world.incident_a,
        actor=gold,
        decision_maker=gold,
        decided_at=now() - timedelta(minutes=5),
        decision="Close the public portal",
        rationale="Containment",
    )
    add_risk(incident=world.incident_a, actor=gold, title="Payroll may be late", likelihood=3, impact=4)
    services.record_comms(
        incident=world.incident_a,
        actor=gold,
        audience="public",
        channel="Website",
        content="Our phone lines are open.",
        approved_by="Head of comms",
        sent_at=now() - timedelta(minutes=1),
    )
    snap = an_issued(world).snapshot
    assert snap is not None
    assert [d["decision"] for d in snap["decisions"]] == ["Close the public portal"]
    assert snap["risks"][0]["title"] == "Payroll may be late" and snap["risks"][0]["score"] == 12
    assert snap["communications"][0]["content"] == "Our phone lines are open."
    assert snap["checklist_progress"] and all("total" in row for row in snap["checklist_progress"])
    assert snap["data_protection"]["status"].startswith(
        f"{world.a.name}: no data-loss assessment recorded; ICO clock running"
    )
    assert snap["data_protection"]["ico_deadline"] is not None
    assert snap["approved_by"]["role"] == "Gold"
    # The next sitrep's period starts where this one ended: the decision is not repeated.
    assert an_issued(world).snapshot["decisions"] == []  # type: ignore[index]


def test_the_partner_variant_keeps_only_partner_facing_fields(world: World) -> None:
    issued = an_issued(world)
    assert issued.snapshot is not None
    internal = set(issued.snapshot) - PARTNER_FIELDS - {"document"}
    assert {"headline", "impact", "risks_issues", "decisions", "risks", "communications"} <= internal
    assert "prepared_by" in internal and "approved_by" in internal


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_people_issuing_at_once_get_distinct_numbers() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking is only meaningful on PostgreSQL (CI runs this)")
    council = factories.council(slug="northgate")
    lead = factories.person(council, username="lead")
    incident = factories.incident(council, lead, services_affected=[])
    drafts = []
    for n in range(4):
        draft = services.draft_sitrep(incident=incident, actor=lead, headline=f"Sitrep {n}")
        drafts.append(services.approve_sitrep(sitrep=draft, actor=lead))
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def issue(sitrep: Sitrep) -> None:
        try:
            barrier.wait()
            services.issue_sitrep(sitrep=sitrep, actor=lead)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(n or 0 for n in Sitrep.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
    # Two PDFs (full and partner) per sitrep; the incident's first grab pack may also be queued.
    assert PdfJob.objects.exclude(kind=grab_pack.KIND).count() == 8


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_amendments_issued_at_once_get_distinct_point_numbers() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking is only meaningful on PostgreSQL (CI runs this)")
    council = factories.council(slug="northgate")
    lead = factories.person(council, username="lead")
    incident = factories.incident(council, lead, services_affected=[])
    original = services.draft_sitrep(incident=incident, actor=lead, headline="Original")
    services.approve_sitrep(sitrep=original, actor=lead)
    original = services.issue_sitrep(sitrep=original, actor=lead)
    drafts = []
    for n in range(3):
        draft = services.draft_sitrep(
            incident=incident, actor=lead, headline="Fix", amends=original, amendment_reason=f"Fix {n}"
        )
        drafts.append(services.approve_sitrep(sitrep=draft, actor=lead))
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def issue(sitrep: Sitrep) -> None:
        try:
            barrier.wait()
            services.issue_sitrep(sitrep=sitrep, actor=lead)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    labels = sorted(s.label for s in Sitrep.objects.filter(amends=original))
    assert labels == ["SITREP 1.1", "SITREP 1.2", "SITREP 1.3"]


def test_once_someone_holds_gold_the_incident_lead_no_longer_approves(world: World) -> None:
    from incident_console.incidents import access

    incident = world.incident_a
    assert access.can(world.people["gold"], "approve_sitrep", incident)
    assert not access.can(world.people["bronze"], "approve_sitrep", incident)
    assign_role(incident=incident, actor=world.people["gold"], user=world.people["bystander"], tier="gold")
    fresh = {key: type(p).objects.get(pk=p.pk) for key, p in world.people.items()}
    assert access.can(fresh["bystander"], "approve_sitrep", incident)
    assert not access.can(fresh["gold"], "approve_sitrep", incident)


def test_the_sitreps_page_costs_the_same_queries_for_one_or_many_sitreps(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = world.client_for("gold")
    url = f"/incidents/{world.incident_a.pk}/sitreps/"
    an_issued(world)
    a_draft(world)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        an_issued(world)
        a_draft(world)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_printed_pdf_carries_the_snapshot_sha256(world: World) -> None:
    from tests.reports.leaks import squashed
    from tests.reports.pdf_text import read_pages

    issued = an_issued(world)
    assert issued.partner_pdf is not None
    services.render_job(job_id=issued.partner_pdf.pk)
    issued.partner_pdf.refresh_from_db()
    with issued.partner_pdf.file.open("rb") as handle:
        text = squashed("".join(p.text for p in read_pages(bytes(handle.read()))))
    assert issued.snapshot_sha256 in text


def test_the_data_protection_position_is_status_and_clock_only(world: World) -> None:
    import json

    from tests.assessments.helpers import an_assessment

    an_assessment(
        world, submitted=True, systems_affected="Mosaic server MOS-PRD-7 in the Riverside data centre"
    )

    snap = an_issued(world).snapshot
    assert snap is not None

    position = snap["data_protection"]["status"]
    assert position.startswith(f"{world.a.name}: Submitted for sign-off; ICO clock running (")
    assert "left)" in position
    assert "MOS-PRD-7" not in json.dumps(snap), "no assessment content in a sitrep"
