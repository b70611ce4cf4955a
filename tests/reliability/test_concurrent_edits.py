"""Two people saving the same thing at the same moment, as two real requests on two threads (each with
its own database connection) released together: exactly one wins, the other gets 409, and what the
loser sent is not lost (it is on the 409 page or in the 409 body, and saves on a second try)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection, connections
from django.test import Client

from incident_console.assessments.models import Assessment
from incident_console.guidance.models import ChecklistItem, ItemStatus
from incident_console.reports.models import Sitrep
from tests.assessments.helpers import an_assessment
from tests.conftest import World
from tests.reliability.figures import Table, table
from tests.reliability.sizes import Sizes
from tests.reports.sitrep_helpers import a_draft
from tests.support.worker import skip_or_fail

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

Request = Callable[[], "Response"]


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        skip_or_fail("row locks are only meaningful on PostgreSQL; set DATABASE_URL")


def race(first: Request, second: Request) -> list[Response]:
    """Both requests on their own threads, released at once; responses in the order given."""
    barrier = threading.Barrier(2)
    responses: list[Response | BaseException | None] = [None, None]

    def run(index: int, request: Request) -> None:
        try:
            barrier.wait()
            responses[index] = request()
        except BaseException as error:  # reported by the caller
            responses[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, r)) for n, r in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    done = [r for r in responses if r is not None and not isinstance(r, BaseException)]
    assert len(done) == 2, responses
    return done


def patch(client: Client, url: str, body: dict[str, Any]) -> Request:
    return lambda: client.patch(url, json.dumps(body), content_type="application/json")


def post(client: Client, url: str, data: dict[str, Any]) -> Request:
    return lambda: client.post(url, data)


def winner_and_loser(responses: list[Response], won: int) -> tuple[int, int]:
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == sorted([won, 409]), statuses
    winner = statuses.index(won)
    return winner, 1 - winner


@pytest.fixture(scope="module")
def races() -> Table:
    return table("Concurrent edits (two requests released together)", ["object", "races", "outcome"])


def test_two_saves_of_one_checklist_item_at_once_keep_one_refuse_the_other_and_lose_neither_note(
    world: World, sizes: Sizes, races: Table
) -> None:
    item = ChecklistItem.objects.filter(checklist__incident=world.incident_a).order_by("pk").first()
    assert item is not None
    url = f"/api/v1/checklist-items/{item.pk}/"
    clients = [world.client_for("gold"), world.client_for("bronze")]
    for round_number in range(sizes.rounds):
        item.refresh_from_db()
        # Two different status changes (a note alone appends and never conflicts), each with a note.
        wanted = [
            s for s in (ItemStatus.IN_PROGRESS, ItemStatus.DONE, ItemStatus.NOT_STARTED) if s != item.status
        ]
        notes = [f"Gold note {round_number}", f"Bronze note {round_number}"]
        bodies = [
            {"version": item.version, "status": status, "note": note}
            for status, note in zip(wanted, notes, strict=False)
        ]
        responses = race(*(patch(c, url, body) for c, body in zip(clients, bodies, strict=True)))
        _winner, loser = winner_and_loser(responses, 200)
        assert responses[loser].json()["current_version"] == item.version + 1
        retry = clients[loser].patch(
            url, json.dumps({**bodies[loser], "version": item.version + 1}), content_type="application/json"
        )
        assert retry.status_code == 200
        texts = list(item.notes.values_list("text", flat=True))
        assert all(texts.count(note) == 1 for note in notes), texts
        fresh = ChecklistItem.objects.get(pk=item.pk)
        assert (fresh.status, fresh.version) == (bodies[loser]["status"], item.version + 2)
    item.refresh_from_db()
    assert item.version >= 2 * sizes.rounds
    races.add("checklist item (API PATCH)", sizes.rounds, "one 200 and one 409 each time; both notes kept")


def test_two_saves_of_one_assessment_at_once_keep_one_refuse_the_other_and_lose_neither_change(
    world: World, sizes: Sizes, races: Table
) -> None:
    assessment = an_assessment(world)
    url = f"/api/v1/assessments/{assessment.pk}/"
    clients = [world.client_for("dpo"), world.client_for("bronze")]
    for round_number in range(sizes.rounds):
        assessment.refresh_from_db()
        seen = assessment.version
        bodies = [
            {"version": seen, "people_affected": 5000 + round_number},
            {"version": seen, "records_affected": 20000 + round_number},
        ]
        responses = race(*(patch(c, url, body) for c, body in zip(clients, bodies, strict=True)))
        _winner, loser = winner_and_loser(responses, 200)
        assert responses[loser].json()["current_version"] == seen + 1
        retry = clients[loser].patch(
            url, json.dumps({**bodies[loser], "version": seen + 1}), content_type="application/json"
        )
        assert retry.status_code == 200
        fresh = Assessment.objects.select_related("current").get(pk=assessment.pk)
        assert fresh.current is not None
        assert (fresh.current.people_affected, fresh.current.records_affected) == (
            5000 + round_number,
            20000 + round_number,
        )
        assert fresh.version == seen + 2
    races.add(
        "assessment (API PATCH)", sizes.rounds, "one 200 and one 409 each time; both changes in the version"
    )


def test_two_saves_of_one_sitrep_draft_at_once_keep_one_and_give_the_other_their_words_back_with_409(
    world: World, sizes: Sizes, races: Table
) -> None:
    draft = a_draft(world)
    url = f"/incidents/{world.incident_a.pk}/sitreps/{draft.pk}/edit/"
    clients = [world.client_for("gold"), world.client_for("bronze")]
    for round_number in range(sizes.rounds):
        draft.refresh_from_db()
        headlines = [f"Gold's headline {round_number} <b>", f"Bronze's headline {round_number} <b>"]
        forms = [{"headline": h, "partner_headline": "", "version": draft.version} for h in headlines]
        responses = race(*(post(c, url, form) for c, form in zip(clients, forms, strict=True)))
        winner, loser = winner_and_loser(responses, 302)
        assert Sitrep.objects.get(pk=draft.pk).headline == headlines[winner]
        given_back = responses[loser].content.decode()
        assert escape(headlines[loser]) in given_back, "the loser's words were not given back"
        retry = clients[loser].post(url, {**forms[loser], "version": draft.version + 1})
        assert retry.status_code == 302
        fresh = Sitrep.objects.get(pk=draft.pk)
        assert (fresh.headline, fresh.version) == (headlines[loser], draft.version + 2)
    races.add(
        "sitrep draft (web form)", sizes.rounds, "one 302 and one 409 each time; the 409 keeps the text"
    )
