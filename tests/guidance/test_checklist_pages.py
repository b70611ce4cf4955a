from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from incident_console.guidance.models import Checklist, ChecklistItem, ItemStatus, ModuleVersion
from incident_console.guidance.services import update_item
from incident_console.timeline.models import TimelineEvent
from tests.conftest import World

pytestmark = pytest.mark.django_db


def first_item(world: World) -> ChecklistItem:
    item = ChecklistItem.objects.filter(checklist__incident=world.incident_a).order_by("pk").first()
    assert item is not None
    return item


def test_marking_an_action_done_moves_the_progress_bar(world: World) -> None:
    client = world.client_for("gold")
    item = first_item(world)
    before = client.get(f"/incidents/{world.incident_a.pk}/").content.decode()
    assert "0 of 9" in before
    response = client.post(
        f"/actions/{item.pk}/status/", {"status": "done", "version": item.version}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert f'id="item-{item.pk}"' in fragment
    assert "1 of 9" in fragment
    assert 'hx-swap-oob="true"' in fragment
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert item.completed_at is not None


def test_a_stale_quick_status_change_is_refused_with_409_and_changes_nothing(world: World) -> None:
    client = world.client_for("gold")
    item = first_item(world)
    update_item(item=item, actor=world.people["bronze"], expected_version=item.version, status="in_progress")
    response = client.post(
        f"/actions/{item.pk}/status/", {"status": "done", "version": item.version}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS


def test_a_stale_edit_on_the_action_page_keeps_what_was_typed_and_says_why(world: World) -> None:
    client = world.client_for("gold")
    item = first_item(world)
    update_item(item=item, actor=world.people["bronze"], expected_version=item.version, note="First")
    update_item(item=item, actor=world.people["bronze"], expected_version=item.version, status="in_progress")
    response = client.post(
        f"/actions/{item.pk}/",
        {"status": "done", "version": item.version, "note": "My careful note about the EDT phones"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this" in html
    assert "My careful note about the EDT phones" in html
    assert not item.notes.filter(text__contains="careful").exists()


def test_not_applicable_without_a_reason_is_a_form_error(world: World) -> None:
    client = world.client_for("gold")
    item = first_item(world)
    response = client.post(f"/actions/{item.pk}/", {"status": "not_applicable", "version": item.version})
    assert response.status_code == 400
    assert "Say why this action does not apply" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED


def test_progress_notes_are_appended_and_the_change_is_on_the_timeline(world: World) -> None:
    client = world.client_for("bronze")
    item = first_item(world)
    for i, note in enumerate(["EDT diverted to mobiles", "Switchboard confirmed"]):
        item.refresh_from_db()
        response = client.post(
            f"/actions/{item.pk}/", {"status": "in_progress", "version": item.version, "note": note}
        )
        assert response.status_code == 302, i
    assert list(item.notes.values_list("text", flat=True)) == [
        "EDT diverted to mobiles",
        "Switchboard confirmed",
    ]
    events = TimelineEvent.objects.filter(incident=world.incident_a, kind="checklist_item_updated")
    assert events.count() == 2
    page = client.get(f"/actions/{item.pk}/").content.decode()
    assert "Switchboard confirmed" in page


def test_an_incident_lead_can_add_their_own_action(world: World) -> None:
    client = world.client_for("gold")
    checklist = Checklist.objects.filter(incident=world.incident_a, module__slug="adult-social-care").get()
    response = client.post(
        f"/incidents/{world.incident_a.pk}/actions/new/",
        {"checklist": checklist.pk, "title": "Ring the three home-care providers about Friday's payments"},
    )
    assert response.status_code == 302
    item = checklist.items.get(strategic_action__isnull=True)
    assert item.position == 10
    assert (
        "home-care providers"
        in world.client_for("gold").get(f"/incidents/{world.incident_a.pk}/").content.decode()
    )


def test_an_empty_action_is_refused_with_a_message(world: World) -> None:
    client = world.client_for("gold")
    checklist = Checklist.objects.filter(incident=world.incident_a)[0]
    response = client.post(
        f"/incidents/{world.incident_a.pk}/actions/new/", {"checklist": checklist.pk, "title": ""}
    )
    assert response.status_code == 200
    assert "Enter the action" in response.content.decode()


def test_existing_checklists_keep_their_module_version_when_the_file_changes(world: World, tmp_path) -> None:
    import shutil

    from django.conf import settings

    shutil.copytree(settings.MODULES_DIR, tmp_path / "modules")
    path = tmp_path / "modules" / "adult-social-care" / "module.yaml"
    path.write_text(path.read_text() + "\n# Revised wording agreed with the guidance owner.\n")
    call_command("load_modules", "--path", str(tmp_path / "modules"))
    old = Checklist.objects.get(incident=world.incident_a, module__slug="adult-social-care")
    assert old.module_version.number == 1
    assert old.module.versions.count() == 2
    from tests import factories

    newer = factories.incident(world.a, world.people["gold"])
    assert newer.checklists.get(module__slug="adult-social-care").module_version.number == 2
    assert ModuleVersion.objects.filter(module__slug="childrens-social-care").count() == 1


def test_the_api_refuses_a_stale_item_update_with_409(world: World) -> None:
    client = world.client_for("gold")
    item = first_item(world)
    url = f"/api/v1/checklist-items/{item.pk}/"
    ok = client.patch(
        url, json.dumps({"version": item.version, "status": "done"}), content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == item.version + 1
    stale = client.patch(
        url, json.dumps({"version": item.version, "status": "not_started"}), content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == item.version + 1
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE


def test_the_api_names_the_field_in_a_400(world: World) -> None:
    client = world.client_for("gold")
    item = first_item(world)
    url = f"/api/v1/checklist-items/{item.pk}/"
    bad = client.patch(
        url, json.dumps({"version": item.version, "status": "finished"}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert "status" in bad.json()
    missing = client.patch(
        url,
        json.dumps({"version": item.version, "status": "not_applicable"}),
        content_type="application/json",
    )
    assert missing.status_code == 400
    assert "not_applicable_reason" in missing.json()
    stranger = client.patch(
        url, json.dumps({"version": item.version, "owner": "b-gold"}), content_type="application/json"
    )
    assert stranger.status_code == 400
    assert "owner" in stranger.json()
