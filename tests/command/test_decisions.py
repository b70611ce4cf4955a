"""The JESIP decision log: numbered, append-only, corrected by new entries, exportable."""

from __future__ import annotations

import csv
import io
import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, connections, transaction

from incident_console.command.models import AppendOnlyError, Decision
from incident_console.command.services import assign_role, record_decision
from incident_console.lib.time import now
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db


def decide(world: World, text: str = "Isolate the case management servers", **kwargs: object) -> Decision:
    gold = world.people["gold"]
    values: dict[str, object] = {
        "incident": world.incident_a,
        "actor": gold,
        "decision_maker": gold,
        "decided_at": now() - timedelta(minutes=10),
        "decision": text,
        "rationale": "Contain the spread before restoring.",
    }
    values.update(kwargs)
    return record_decision(**values)  # type: ignore[arg-type]


def test_decisions_are_numbered_in_order_and_a_loggist_records_for_the_decision_maker(world: World) -> None:
    gold = world.people["gold"]
    assign_role(incident=world.incident_a, actor=gold, user=gold, tier="gold")
    first = decide(world)
    second = decide(world, "Stand up paper processes", actor=world.people["admin"])
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.recorded_by == world.people["admin"] and second.decision_maker == gold
    assert first.maker_role == "Gold"

    page = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/decisions/").content.decode()
    assert "Decision 1" in page and "Decision 2" in page
    assert "Stand up paper processes" in page


def test_a_decision_cannot_be_changed_or_deleted_by_model_queryset_or_database(world: World) -> None:
    entry = decide(world)
    entry.decision = "Something else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Decision.objects.filter(pk=entry.pk).update(decision="Changed")
    with pytest.raises(AppendOnlyError):
        Decision.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE command_decision SET decision = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM command_decision WHERE id = %s", [entry.pk])
    assert Decision.objects.get(pk=entry.pk).decision == "Isolate the case management servers"


def test_there_is_no_way_to_edit_or_delete_a_decision_through_pages_or_the_api(world: World) -> None:
    entry = decide(world)
    client = world.client_for("gold")
    base = f"/api/v1/incidents/{world.incident_a.pk}/decisions/"
    assert client.patch(
        f"{base}{entry.pk}/", {"decision": "x"}, content_type="application/json"
    ).status_code in (
        404,
        405,
    )
    assert client.delete(f"{base}{entry.pk}/").status_code in (404, 405)
    assert client.put(base, {"decision": "x"}, content_type="application/json").status_code == 405
    assert client.delete(base).status_code == 405
    assert client.post(f"/incidents/{world.incident_a.pk}/decisions/{entry.pk}/delete/").status_code == 404
    assert Decision.objects.get(pk=entry.pk).decision == "Isolate the case management servers"


def test_a_correction_is_a_new_entry_and_the_original_shows_corrected_by(world: World) -> None:
    original = decide(world)
    client = world.client_for("gold")
    response = client.post(
        f"/incidents/{world.incident_a.pk}/decisions/new/",
        {
            "corrects": original.pk,
            "decision": "Isolate the case management AND finance servers",
            "rationale": "Finance shares the domain.",
            "decision_maker": world.people["gold"].pk,
            "decided_at": (now() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    correction = Decision.objects.get(sequence=2)
    assert correction.corrects == original
    page = client.get(f"/incidents/{world.incident_a.pk}/decisions/").content.decode()
    assert "Corrected by 2" in page and "Corrects 1" in page
    assert "Isolate the case management servers" in page


def test_a_decision_without_a_rationale_is_refused_with_a_message(world: World) -> None:
    response = world.client_for("gold").post(
        f"/incidents/{world.incident_a.pk}/decisions/new/",
        {"decision": "Do it", "decision_maker": world.people["gold"].pk, "decided_at": "23/11/2026 09:00"},
    )
    assert response.status_code == 200
    assert "Enter the rationale for the decision." in response.content.decode()
    assert not Decision.objects.exists()


def test_the_csv_export_has_every_field_and_neutralises_formulas(world: World) -> None:
    decide(
        world, '=HYPERLINK("http://evil")', informed="+Comms team", risks="-1", options_considered="@SUM(A1)"
    )
    response = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/decisions.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert record["Number"] == "1"
    assert record["Decision"] == '\'=HYPERLINK("http://evil")'
    assert record["Who was told"] == "'+Comms team"
    assert record["Risks"] == "'-1"
    assert record["Options considered and rejected"] == "'@SUM(A1)"
    assert record["Rationale"] == "Contain the spread before restoring."
    assert record["Decision maker"] == world.people["gold"].display_name


def test_the_printable_log_has_no_inline_styles_and_lists_the_decisions(world: World) -> None:
    decide(world)
    html = world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/decisions/print/").content.decode()
    assert "Decision 1" in html
    assert "style=" not in html and "<style" not in html


def test_staff_not_taking_part_see_no_decisions_and_partners_never_do(world: World) -> None:
    decide(world)
    url = f"/incidents/{world.incident_a.pk}/decisions/"
    other_staff = factories.person(world.a, "staff", username="a-other-staff")
    assert factories.signed_in_client(other_staff).get(url).status_code == 404
    assert world.client_for("partner").get(url).status_code == 403
    assert world.client_for("partner").get(url.replace("decisions/", "decisions.csv")).status_code == 403
    assert world.client_for("staff").get(url).status_code == 200
    assert world.client_for("gold_b").get(url).status_code == 404


def test_a_silver_holder_may_record_a_decision_but_staff_and_bystanders_may_not(world: World) -> None:
    url = f"/incidents/{world.incident_a.pk}/decisions/new/"
    assert world.client_for("staff").get(url).status_code == 403
    assert world.client_for("bystander").get(url).status_code == 403
    assign_role(
        incident=world.incident_a,
        actor=world.people["gold"],
        user=world.people["bystander"],
        tier="silver",
        cell="it",
    )
    assert world.client_for("bystander").get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_decisions_recorded_at_the_same_moment_get_distinct_numbers() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking is only meaningful on PostgreSQL (CI runs this)")
    council = factories.council(slug="northgate")
    lead = factories.person(council, username="lead")
    incident = factories.incident(council, lead, services_affected=[])
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def log(n: int) -> None:
        try:
            barrier.wait()
            record_decision(
                incident=incident,
                actor=lead,
                decision_maker=lead,
                decided_at=now() - timedelta(minutes=1),
                decision=f"Decision from thread {n}",
                rationale="Because.",
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=log, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(Decision.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
