"""Factories for tests. Incidents are made through the service, so they carry a real timeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import factory
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from incident_console.accounts.models import Council, Membership, Role, User
from incident_console.accounts.two_factor import (
    TWO_FACTOR_ROLES,
    has_two_factor,
    requires_two_factor,
    totp_device,
)
from incident_console.incidents.models import Incident
from incident_console.incidents.services import declare_incident
from incident_console.lib.time import now
from incident_console.rotas.models import Rota

PASSWORD = "correct-horse-battery-staple"


class CouncilFactory(DjangoModelFactory):  # type: ignore[type-arg]
    class Meta:
        model = Council
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Borough Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")
    reference_prefix = "CYB"


class UserFactory(DjangoModelFactory):  # type: ignore[type-arg]
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):  # type: ignore[type-arg]
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    council = factory.SubFactory(CouncilFactory)
    role = Role.RESPONDER


def council(**kwargs: Any) -> Council:
    return cast(Council, CouncilFactory(**kwargs))


def person(council: Council, role: str = Role.RESPONDER, *, enrolled: bool = True, **kwargs: Any) -> User:
    """A member of the council. Roles that need two-factor sign-in come with an authenticator
    already set up, unless enrolled=False."""
    user = cast(User, UserFactory(**kwargs))
    MembershipFactory(user=user, council=council, role=role)
    if enrolled and role in TWO_FACTOR_ROLES and totp_device(user) is None:
        TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return user


def incident(council: Council, actor: User | None = None, **kwargs: Any) -> Incident:
    actor = actor or person(council, Role.RESPONDER)
    values: dict[str, Any] = {
        "title": "Ransomware on the case management servers",
        "aware_at": now() - timedelta(hours=2),
        "services_affected": ["adult_social_care", "childrens_social_care"],
    }
    values.update(kwargs)
    return declare_incident(council=council, actor=actor, **values)


def signed_in_client(user: User) -> Client:
    """A test client signed in as this person. People whose role needs two-factor sign-in get an
    authenticator and a session that has passed the second factor, as after a real sign-in."""
    client = Client()
    client.force_login(user)
    if requires_two_factor(user) or has_two_factor(user):
        device = totp_device(user) or TOTPDevice.objects.create(
            user=user, name="Test authenticator", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def current_code(user: User) -> str:
    """The code the person's authenticator app shows now."""
    device = totp_device(user)
    assert device is not None, "this person has no authenticator"
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def rota(
    council: Council,
    members: list[User] | None = None,
    *,
    name: str = "Gold",
    shifts: tuple[tuple[str, str], ...] = (("08:00", "20:00"), ("20:00", "08:00")),
    anchor: Any = None,
    owner: User | None = None,
    cover: str = "on_shift",
    backups: list[User] | None = None,
) -> Rota:
    """A rota made through the services: daily shifts from `anchor` (default: 28 days ago)."""
    from datetime import time

    from incident_console.rotas.services import PatternInput, create_rota, set_members

    actor = owner or (members[0] if members else person(council, Role.COUNCIL_ADMIN))
    patterns = [PatternInput(f"{a}-{b}", time.fromisoformat(a), time.fromisoformat(b)) for a, b in shifts]
    made = create_rota(
        council=council,
        actor=actor,
        name=name,
        cover=cover,
        anchor_date=anchor or (now() - timedelta(days=28)).date(),
        patterns=patterns,
        owner=owner,
    )
    set_members(rota=made, actor=actor, members=list(members or []), backups=list(backups or []))
    return made
