"""Two people agreeing the restore order at once: the later save is refused, not lost silently."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from incident_console.command.models import Decision
from incident_console.recovery.models import AffectedSystem
from incident_console.recovery.services import add_system, update_system
from incident_console.timeline.models import TimelineEvent
from tests import factories
from tests.conftest import World
from tests.recovery.helpers import a_system

pytestmark = pytest.mark.django_db


def order_url(w: World) -> str:
    return f"/incidents/{w.incident_a.pk}/systems/order/"


def shown_versions(client: Client, url: str) -> dict[str, str]:
    """The hidden version fields of the order page, as the browser would post them back."""
    page = client.get(url).content.decode()
    return dict(re.findall(r'name="(version_\d+)" value="(\d+)"', page))


def two_systems(w: World) -> tuple[AffectedSystem, AffectedSystem]:
    case = a_system(w)  # serves adults and children, so the order is a decision
    email = add_system(
        incident=w.incident_a, actor=w.people["gold"], name="Email", kind="email", services=["other"]
    )
    return case, email


def test_a_fresh_restore_order_save_carries_the_versions_shown_and_saves(world: World) -> None:
    case, email = two_systems(world)
    gold = factories.signed_in_client(world.people["gold"])
    versions = shown_versions(gold, order_url(world))
    assert versions == {f"version_{case.pk}": "1", f"version_{email.pk}": "1"}

    saved = gold.post(
        order_url(world),
        {f"order_{case.pk}": "1", f"order_{email.pk}": "2", "rationale": "Care records first.", **versions},
    )

    assert saved.status_code == 302
    assert [(s.name, s.restore_order) for s in AffectedSystem.objects.filter(incident=world.incident_a)] == [
        (case.name, 1),
        ("Email", 2),
    ]


def test_a_stale_restore_order_save_is_a_409_that_keeps_the_typed_numbers_and_changes_nothing(
    world: World,
) -> None:
    case, email = two_systems(world)
    gold = factories.signed_in_client(world.people["gold"])
    admin = factories.signed_in_client(world.people["admin"])
    gold_saw = shown_versions(gold, order_url(world))
    admin_saw = shown_versions(admin, order_url(world))
    first = admin.post(
        order_url(world),
        {f"order_{case.pk}": "2", f"order_{email.pk}": "1", "rationale": "Email first.", **admin_saw},
    )
    assert first.status_code == 302
    events = TimelineEvent.objects.filter(incident=world.incident_a).count()

    stale = gold.post(
        order_url(world),
        {f"order_{case.pk}": "7", f"order_{email.pk}": "8", "rationale": "Care records first.", **gold_saw},
    )

    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Someone else changed the restore order" in page
    assert "review the current order" in page
    assert f'name="order_{case.pk}" value="7"' in page and f'name="order_{email.pk}" value="8"' in page
    assert "Care records first." in page
    assert "Saved order now: 2" in page and "Saved order now: 1" in page
    assert {s.pk: s.restore_order for s in AffectedSystem.objects.filter(incident=world.incident_a)} == {
        case.pk: 2,
        email.pk: 1,
    }
    assert TimelineEvent.objects.filter(incident=world.incident_a).count() == events
    assert list(Decision.objects.filter(incident=world.incident_a).values_list("rationale", flat=True)) == [
        "Email first."
    ]

    # Having reviewed it, saving the page again replaces the current order on purpose.
    reviewed = dict(re.findall(r'name="(version_\d+)" value="(\d+)"', page))
    again = gold.post(
        order_url(world),
        {f"order_{case.pk}": "1", f"order_{email.pk}": "2", "rationale": "Care records first.", **reviewed},
    )
    assert again.status_code == 302
    assert AffectedSystem.objects.get(pk=case.pk).restore_order == 1


def test_a_system_edited_after_the_order_page_was_shown_makes_the_order_save_stale(world: World) -> None:
    case, email = two_systems(world)
    gold = factories.signed_in_client(world.people["gold"])
    versions = shown_versions(gold, order_url(world))
    update_system(
        system=email,
        actor=world.people["bronze"],
        expected_version=email.version,
        name="Email",
        kind="email",
        services=["other"],
        shared_with=[],
        state="restored",
        owner=None,
        expected_on=None,
        notes="",
    )

    stale = gold.post(
        order_url(world), {f"order_{case.pk}": "1", f"order_{email.pk}": "2", "rationale": "x", **versions}
    )

    assert stale.status_code == 409
    assert AffectedSystem.objects.filter(incident=world.incident_a, restore_order__isnull=False).count() == 0


def test_a_system_added_after_the_order_page_was_shown_makes_the_order_save_stale(world: World) -> None:
    case = a_system(world)
    gold = factories.signed_in_client(world.people["gold"])
    versions = shown_versions(gold, order_url(world))
    added = add_system(
        incident=world.incident_a,
        actor=world.people["bronze"],
        name="Payroll",
        kind="finance",
        services=["finance"],
    )

    stale = gold.post(order_url(world), {f"order_{case.pk}": "1", "rationale": "Care first.", **versions})

    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Payroll" in page and f'name="version_{added.pk}" value="1"' in page
    assert AffectedSystem.objects.get(pk=case.pk).restore_order is None
