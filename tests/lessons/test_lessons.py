"""The lessons log: adding, changing and filtering lessons, on the page and in the API."""

from __future__ import annotations

import csv
import io
import json

import pytest

from incident_console.lessons.models import Lesson
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World, form_errors
from tests.lessons.helpers import a_lesson, move_to

pytestmark = pytest.mark.django_db


def lesson_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "what_happened": "Partners did not know the SPOC number",
        "learned": "Send the SPOC number to partners on day one",
        "category": "partners",
        "action": "Add the SPOC number to the first partner sitrep",
        "action_due": "2026-12-20",
        "status": "open",
    }
    form.update(changes)
    return form


def test_a_responder_adds_a_lesson_and_it_shows_in_the_log_and_on_the_timeline(world: World) -> None:
    client = world.client_for("bronze")
    url = f"/incidents/{world.incident_a.pk}/lessons/"

    assert client.post(url + "new/", lesson_form(owner=world.people["gold"].pk)).status_code == 302

    lesson = Lesson.objects.get()
    assert lesson.council == world.a and lesson.raised_by == world.people["bronze"]
    assert lesson.owner == world.people["gold"] and lesson.status == "open"
    page = client.get(url).content.decode()
    assert "Send the SPOC number to partners on day one" in page
    assert "Add the SPOC number to the first partner sitrep" in page
    assert TimelineEvent.objects.filter(incident=world.incident_a, kind="lesson_added").count() == 1


def test_a_lesson_without_what_happened_or_what_we_learned_is_refused_with_messages(world: World) -> None:
    client = world.client_for("bronze")
    response = client.post(
        f"/incidents/{world.incident_a.pk}/lessons/new/",
        lesson_form(what_happened="", learned="  ", action_due="next week"),
    )

    assert response.status_code == 200
    errors = form_errors(response)
    assert errors["what_happened"] == ["Say what happened."]
    assert errors["learned"] == ["Say what we learned."]
    assert errors["action_due"] == ["Enter a date, for example 27/11/2026"]
    assert not Lesson.objects.exists()


def test_changing_a_lesson_records_the_status_change(world: World) -> None:
    lesson = a_lesson(world)
    client = world.client_for("gold")

    response = client.post(
        f"/incidents/{world.incident_a.pk}/lessons/{lesson.pk}/",
        lesson_form(status="action_agreed", version=lesson.version),
    )

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == "action_agreed" and lesson.version == 2
    assert TimelineEvent.objects.filter(
        kind="lesson_updated", summary__startswith="Lesson now Action agreed (was Open)"
    ).exists()


def test_not_taking_a_lesson_forward_needs_a_reason(world: World) -> None:
    lesson = a_lesson(world)
    client = world.client_for("gold")
    url = f"/incidents/{world.incident_a.pk}/lessons/{lesson.pk}/"

    refused = client.post(url, lesson_form(status="not_taken_forward", version=lesson.version))
    assert form_errors(refused)["reason"] == ["Say why the lesson is not being taken forward."]

    saved = client.post(
        url, lesson_form(status="not_taken_forward", reason="Covered by the county plan", version=1)
    )
    assert saved.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == "not_taken_forward" and lesson.reason == "Covered by the county plan"


def test_a_stale_edit_of_a_lesson_gets_409_and_keeps_what_was_typed(world: World) -> None:
    lesson = a_lesson(world)
    url = f"/incidents/{world.incident_a.pk}/lessons/{lesson.pk}/"
    world.client_for("gold").post(url, lesson_form(version=lesson.version))

    response = world.client_for("bronze").post(url, lesson_form(learned="My later wording", version=1))

    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    assert "My later wording" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.learned == "Send the SPOC number to partners on day one"


def test_the_log_filters_by_status_and_category(world: World) -> None:
    a_lesson(world)
    a_lesson(
        world,
        what_happened="Press line late",
        learned="Agree a holding line early",
        category="communications",
    )
    client = world.client_for("staff")
    url = f"/incidents/{world.incident_a.pk}/lessons/"

    comms = client.get(url, {"category": "communications"}).content.decode()
    assert "Agree a holding line early" in comms and "EDT" not in comms
    done = client.get(url, {"status": "done"}).content.decode()
    assert "No lessons match these filters." in done
    nonsense = client.get(url, {"status": "<nonsense>", "category": "x"})
    assert nonsense.status_code == 200 and "Agree a holding line early" in nonsense.content.decode()


def test_the_log_page_costs_the_same_queries_however_many_lessons(
    world: World, django_assert_max_num_queries
) -> None:
    client = world.client_for("gold")
    url = f"/incidents/{world.incident_a.pk}/lessons/"
    a_lesson(world)
    with django_assert_max_num_queries(12):
        client.get(url)
    for i in range(15):
        a_lesson(world, learned=f"Lesson {i}", owner=world.people["bronze"])
    with django_assert_max_num_queries(12):
        assert "Lesson 14" in client.get(url).content.decode()


def test_lessons_can_be_added_after_closing_by_the_lead_but_not_by_a_responder(world: World) -> None:
    from incident_console.incidents.models import Status

    move_to(world, world.incident_a, Status.RESPONSE, Status.RECOVERY, Status.CLOSED)
    url = f"/incidents/{world.incident_a.pk}/lessons/new/"

    assert world.client_for("bronze").post(url, lesson_form()).status_code == 403
    assert world.client_for("gold").post(url, lesson_form()).status_code == 302
    assert world.client_for("admin").get(url).status_code == 200
    assert Lesson.objects.filter(incident=world.incident_a).count() == 1


def test_partners_cannot_see_the_lessons_log(world: World) -> None:
    a_lesson(world)
    assert world.client_for("partner").get(f"/incidents/{world.incident_a.pk}/lessons/").status_code == 403
    assert world.client_for("partner").get(f"/api/v1/lessons/{a_lesson(world).pk}/").status_code == 403


def test_the_csv_export_lists_every_lesson_and_cannot_run_formulas(world: World) -> None:
    a_lesson(world, learned='=HYPERLINK("http://evil")', action="+SUM(A1)")
    response = world.client_for("dpo").get(f"/incidents/{world.incident_a.pk}/lessons.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][4] == "What we learned"
    assert rows[1][4] == '\'=HYPERLINK("http://evil")' and rows[1][5] == "'+SUM(A1)"
    assert rows[1][2] == "Social care"


# --- API ---


def test_the_api_adds_lists_and_changes_lessons_with_a_409_on_a_stale_version(world: World) -> None:
    client = world.client_for("bronze")
    created = client.post(
        f"/api/v1/incidents/{world.incident_a.pk}/lessons/",
        data=json.dumps({"what_happened": "Rota on paper", "learned": "It worked", "category": "command"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]

    listed = client.get(f"/api/v1/incidents/{world.incident_a.pk}/lessons/?category=command").json()
    assert [row["id"] for row in listed["results"]] == [pk]

    changed = client.patch(
        f"/api/v1/lessons/{pk}/",
        data=json.dumps({"version": 1, "status": "done"}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["status"] == "done"
    assert changed.json()["learned"] == "It worked" and changed.json()["version"] == 2

    stale = client.patch(
        f"/api/v1/lessons/{pk}/",
        data=json.dumps({"version": 1, "learned": "Overwritten"}),
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


def test_the_api_answers_bad_input_with_field_errors(world: World) -> None:
    client = world.client_for("bronze")
    response = client.post(
        f"/api/v1/incidents/{world.incident_a.pk}/lessons/",
        data=json.dumps({"what_happened": " ", "learned": "x", "category": "weather"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"what_happened", "category"}

    lesson = a_lesson(world)
    no_reason = client.patch(
        f"/api/v1/lessons/{lesson.pk}/",
        data=json.dumps({"version": lesson.version, "status": "not_taken_forward"}),
        content_type="application/json",
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()


def test_another_councils_lesson_is_not_found_in_the_api(world: World) -> None:
    lesson = a_lesson(world)
    assert world.client_for("gold_b").get(f"/api/v1/lessons/{lesson.pk}/").status_code == 404
    assert world.client_for("gold").get("/api/v1/lessons/999999/").status_code == 404
