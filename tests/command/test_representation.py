"""Guidance modules say which services must be represented at which tiers; the console warns."""

from __future__ import annotations

from pathlib import Path

import pytest

from incident_console.command.services import assign_role, relinquish_role
from incident_console.guidance.schema import ModuleFileError, parse_module_file
from tests.conftest import World

REPO_MODULES = Path(__file__).resolve().parents[2] / "modules"
CSC_AT_SILVER = "Children&#x27;s social care is not represented at Silver"
CSC_AT_GOLD = "Children&#x27;s social care is not represented at Gold"


@pytest.mark.django_db
def test_missing_representation_is_warned_on_the_incident_page_and_dashboard_until_assigned(
    world: World,
) -> None:
    client = world.client_for("gold")
    incident_url = f"/incidents/{world.incident_a.pk}/"
    page = client.get(incident_url).content.decode()
    assert CSC_AT_SILVER in page and CSC_AT_GOLD in page
    assert "Adult social care is not represented at Silver" in page
    assert CSC_AT_SILVER in client.get("/").content.decode()

    gold = world.people["gold"]
    silver = assign_role(
        incident=world.incident_a,
        actor=gold,
        user=world.people["bronze"],
        tier="silver",
        cell="childrens_social_care",
    )
    page = client.get(incident_url).content.decode()
    assert CSC_AT_SILVER not in page
    assert CSC_AT_GOLD in page
    assign_role(
        incident=world.incident_a,
        actor=gold,
        user=world.people["bystander"],
        tier="gold",
        cell="childrens_social_care",
    )
    assert CSC_AT_GOLD not in client.get(incident_url).content.decode()
    assert CSC_AT_SILVER not in client.get("/").content.decode()

    relinquish_role(assignment=silver, actor=gold)
    assert CSC_AT_SILVER in client.get(incident_url).content.decode()


def test_a_bad_representation_entry_is_rejected_naming_the_file_and_field(tmp_path: Path) -> None:
    text = (REPO_MODULES / "childrens-social-care" / "module.yaml").read_text(encoding="utf-8")
    assert "    tiers: [gold, silver]" in text
    path = tmp_path / "childrens-social-care" / "module.yaml"
    path.parent.mkdir()
    path.write_text(
        text.replace("    tiers: [gold, silver]", "    tiers: [gold, platinum]"), encoding="utf-8"
    )

    with pytest.raises(ModuleFileError) as caught:
        parse_module_file(path)

    message = str(caught.value)
    assert str(path) in message or "module.yaml" in message
    assert "representation_rules[0].tiers[1]" in message
    assert "platinum" in message


def test_a_representation_entry_for_an_unknown_service_is_rejected(tmp_path: Path) -> None:
    text = (REPO_MODULES / "adult-social-care" / "module.yaml").read_text(encoding="utf-8")
    path = tmp_path / "adult-social-care" / "module.yaml"
    path.parent.mkdir()
    path.write_text(
        text.replace("  - service: adult_social_care", "  - service: car_parks"), encoding="utf-8"
    )

    with pytest.raises(ModuleFileError) as caught:
        parse_module_file(path)

    assert "representation_rules[0].service" in str(caught.value)
