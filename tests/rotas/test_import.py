"""Member import from CSV: all or nothing, every problem named by row, column and reason."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incident_console.rotas import services
from incident_console.rotas.models import RotaMember
from tests.conftest import World
from tests.rotas.helpers import gold_rota

pytestmark = pytest.mark.django_db


def problems_for(world: World, text: str) -> list[tuple[int, str, str]]:
    rota = gold_rota(world)
    before = list(RotaMember.objects.filter(rota=rota).values_list("user_id", "position", "is_backup"))
    with pytest.raises(services.ImportRejected) as rejected:
        services.import_members(rota=rota, actor=world.people["gold"], text=text)
    after = list(RotaMember.objects.filter(rota=rota).values_list("user_id", "position", "is_backup"))
    assert after == before, "a rejected file changed the rota"
    return [(p.row, p.column, p.reason) for p in rejected.value.problems]


def test_a_good_file_replaces_the_rotation_in_order_with_back_up_staff_apart(world: World) -> None:
    rota = gold_rota(world)
    text = "username,order,backup\na-dpo,2,no\na-admin,1,no\na-siro,1,yes\n"
    assert services.import_members(rota=rota, actor=world.people["gold"], text=text) == 3
    rows = list(RotaMember.objects.filter(rota=rota).values_list("user__username", "is_backup"))
    assert rows == [("a-admin", False), ("a-dpo", False), ("a-siro", True)]


def test_a_missing_column_is_reported_against_the_header_row(world: World) -> None:
    assert problems_for(world, "username,order\na-dpo,1\n") == [
        (1, "backup", "The header row has no backup column.")
    ]


def test_an_unknown_username_is_reported(world: World) -> None:
    found = problems_for(world, "username,order,backup\na-dpo,1,no\nnobody,2,no\n")
    assert found == [(3, "username", "No one called nobody in this council.")]


def test_someone_from_another_council_is_not_found(world: World) -> None:
    assert problems_for(world, "username,order,backup\nb-gold,1,no\n")[0][:2] == (2, "username")


def test_an_empty_username_is_reported(world: World) -> None:
    assert problems_for(world, "username,order,backup\n,1,no\n") == [(2, "username", "Enter a username.")]


def test_a_person_listed_twice_is_reported(world: World) -> None:
    found = problems_for(world, "username,order,backup\na-dpo,1,no\na-dpo,2,no\n")
    assert found == [(3, "username", "a-dpo is already on row 2.")]


def test_an_order_that_is_not_a_whole_number_is_reported(world: World) -> None:
    found = problems_for(world, "username,order,backup\na-dpo,first,no\na-siro,0,no\n")
    assert found == [
        (2, "order", "Write a whole number from 1."),
        (3, "order", "Write a whole number from 1."),
    ]


def test_two_people_in_the_same_place_are_reported(world: World) -> None:
    found = problems_for(world, "username,order,backup\na-dpo,1,no\na-siro,1,no\n")
    assert found == [(3, "order", "Order 1 is already on row 2.")]


def test_a_back_up_answer_other_than_yes_or_no_is_reported(world: World) -> None:
    found = problems_for(world, "username,order,backup\na-dpo,1,maybe\n")
    assert found == [(2, "backup", "Write yes or no.")]


def test_a_file_with_no_people_is_refused(world: World) -> None:
    assert problems_for(world, "username,order,backup\n")[0][2] == "The file has no rows of people."


def test_one_bad_row_among_good_ones_imports_nothing_and_the_page_lists_it(world: World) -> None:
    rota = gold_rota(world)
    upload = SimpleUploadedFile("members.csv", b"username,order,backup\na-dpo,1,no\nghost,2,no\n", "text/csv")
    response = world.client_for("gold").post(f"/rotas/{rota.pk}/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in page and "No one called ghost in this council." in page
    assert not RotaMember.objects.filter(rota=rota, user=world.people["dpo"]).exists()
