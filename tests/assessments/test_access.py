"""Who sees assessments: DPO, Caldicott guardian, SIRO, Gold and the authors; never partners, staff,
other responders or other councils, in pages, the API or the CSV export."""

from __future__ import annotations

import pytest

from incident_console.assessments import selectors
from incident_console.command.services import assign_role
from incident_console.timeline.models import TimelineEvent
from tests.assessments.helpers import an_assessment
from tests.conftest import World

pytestmark = pytest.mark.django_db

SECRET = "Placement addresses of looked-after children"


def test_only_data_protection_roles_gold_and_authors_see_an_assessment_anywhere(world: World) -> None:
    assessment = an_assessment(world, data_sets=SECRET)
    incident = world.incident_a.pk
    urls = [
        f"/incidents/{incident}/assessments/",
        f"/incidents/{incident}/assessments.csv",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/ico-draft/",
        f"/api/v1/incidents/{incident}/assessments/",
        f"/api/v1/assessments/{assessment.pk}/",
    ]
    for role in ("dpo", "caldicott", "siro", "gold", "bronze"):
        client = world.client_for(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            shown = assessment.title if url.endswith("/assessments/") else SECRET
            assert shown in response.content.decode(), (role, url)
    for role in ("admin", "bystander", "staff", "partner"):
        client = world.client_for(role)
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
    for role in ("dpo", "gold", "siro", "partner"):
        client = world.client_for(f"{role}_b")
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)


def test_a_silver_who_did_not_write_it_sees_only_their_own_in_the_list_the_api_and_the_csv(
    world: World,
) -> None:
    assessment = an_assessment(world, data_sets=SECRET)
    other_silver = world.people["bystander"]
    assign_role(
        incident=world.incident_a, actor=world.people["gold"], user=other_silver, tier="silver", cell="hr"
    )
    client = world.client_for("bystander")
    incident = world.incident_a.pk
    assert client.get(f"/incidents/{incident}/assessments/").status_code == 200
    assert SECRET not in client.get(f"/incidents/{incident}/assessments/").content.decode()
    assert SECRET not in client.get(f"/incidents/{incident}/assessments.csv").content.decode()
    assert client.get(f"/api/v1/incidents/{incident}/assessments/").json()["results"] == []
    assert client.get(f"/assessments/{assessment.pk}/").status_code == 403
    assert client.get(f"/api/v1/assessments/{assessment.pk}/").status_code == 403


def test_the_timeline_and_incident_page_show_only_the_position_never_the_content(world: World) -> None:
    an_assessment(world, data_sets=SECRET, systems_affected=SECRET)
    summaries = " ".join(TimelineEvent.objects.values_list("summary", flat=True))
    assert SECRET not in summaries and "Case management servers" not in summaries
    staff_page = world.client_for("staff").get(f"/incidents/{world.incident_a.pk}/").content.decode()
    assert "ICO 72-hour clock" in staff_page
    assert SECRET not in staff_page
    assert f"/incidents/{world.incident_a.pk}/assessments/" not in staff_page


def test_the_csv_neutralises_formulas(world: World) -> None:
    an_assessment(world, consequences="=HYPERLINK(1)")
    body = world.client_for("dpo").get(f"/incidents/{world.incident_a.pk}/assessments.csv").content.decode()
    assert "'=HYPERLINK" in body


def test_the_assessment_list_takes_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    an_assessment(world)
    client = world.client_for("dpo")
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        client.get(f"/incidents/{world.incident_a.pk}/assessments/")
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert len(list(selectors.assessments_for(world.people["dpo"], world.incident_a))) == 1


def test_other_councils_dpo_cannot_sign_or_see_a_councils_assessment_on_a_shared_incident(
    world: World,
) -> None:
    from incident_console.incidents.services import update_incident

    world.a.connected_councils.add(world.b)
    update_incident(
        incident=world.incident_a, actor=world.people["gold"], expected_version=None, shared_with=[world.b]
    )
    assessment = an_assessment(world, data_sets=SECRET)
    client = world.client_for("dpo_b")
    list_page = client.get(f"/incidents/{world.incident_a.pk}/assessments/")
    assert list_page.status_code == 200, "the connected council's DPO works on its own assessments here"
    assert SECRET not in list_page.content.decode()
    assert client.get(f"/assessments/{assessment.pk}/").status_code == 403
