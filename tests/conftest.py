from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from incident_console.accounts.models import Council, Role, User
from incident_console.guidance.loading import load_modules
from incident_console.incidents.models import Incident, ParticipantRole
from incident_console.incidents.services import add_participant
from tests import factories

pytest_plugins = ["tests.support.worker"]


@pytest.fixture
def modules(db: None) -> None:
    """Both real guidance modules loaded from modules/."""
    load_modules(directory=settings.MODULES_DIR)


@dataclass
class World:
    """Two councils, one person per base role in each, and an open incident in each.

    In council A's incident: gold leads, bronze responds, staff and partner take part.
    """

    a: Council
    b: Council
    incident_a: Incident
    incident_b: Incident
    people: dict[str, User] = field(default_factory=dict)
    people_b: dict[str, User] = field(default_factory=dict)

    def client_for(self, key: str) -> Client:
        user = self.people.get(key) or self.people_b[key.removesuffix("_b")]
        return factories.signed_in_client(user)


ROLE_KEYS = {
    "admin": Role.COUNCIL_ADMIN,
    "gold": Role.RESPONDER,
    "bronze": Role.RESPONDER,
    "bystander": Role.RESPONDER,  # a responder of the council not taking part
    "dpo": Role.DPO,
    "caldicott": Role.CALDICOTT,
    "siro": Role.SIRO,
    "staff": Role.STAFF,
    "partner": Role.PARTNER,
}


@pytest.fixture
def world(modules: None) -> World:
    a = factories.council(slug="northgate", name="Northgate Borough Council")
    b = factories.council(slug="southmoor", name="Southmoor Borough Council")
    people = {key: factories.person(a, role, username=f"a-{key}") for key, role in ROLE_KEYS.items()}
    people_b = {key: factories.person(b, role, username=f"b-{key}") for key, role in ROLE_KEYS.items()}
    w = World(
        a=a,
        b=b,
        incident_a=factories.incident(a, people["gold"], is_exercise=True),
        incident_b=factories.incident(b, people_b["gold"]),
        people=people,
        people_b=people_b,
    )
    for key, part in [
        ("bronze", ParticipantRole.RESPONDER),
        ("staff", ParticipantRole.STAFF),
        ("partner", ParticipantRole.PARTNER),
    ]:
        add_participant(incident=w.incident_a, actor=w.people["gold"], user=w.people[key], role=part)
    for key, part in [("staff", ParticipantRole.STAFF), ("partner", ParticipantRole.PARTNER)]:
        add_participant(incident=w.incident_b, actor=w.people_b["gold"], user=w.people_b[key], role=part)
    return w


@pytest.fixture
def gold_client(world: World) -> Client:
    return world.client_for("gold")


@pytest.fixture(autouse=True)
def _reset_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield


def form_errors(response: Any) -> dict[str, list[str]]:
    form = response.context.get("form") if response.context else None
    return dict(form.errors) if form is not None else {}
