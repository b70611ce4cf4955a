"""Building blocks for safeguarding tests and the shared harnesses."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from incident_console.command.models import Assignment
from incident_console.command.services import assign_role
from incident_console.lib.time import london, now
from incident_console.safeguarding.models import Deadline
from incident_console.safeguarding.services import add_deadline
from tests.conftest import World
from tests.contacts.helpers import social_worker


def safeguarding_roles(w: World) -> None:
    """Who may see council A's safeguarding register: gold holds Gold and bronze is Silver for
    children's social care. Admin, DPO, Caldicott, SIRO, the bystander, staff and partners may see
    the incident but not the register. (A council social care role also opens it: see
    ``with_social_worker``; that role needs two-factor sign-in, so sign the person in after.)"""
    if Assignment.objects.filter(incident=w.incident_a, cell="childrens_social_care").exists():
        return
    gold = w.people["gold"]
    if not Assignment.objects.filter(incident=w.incident_a, tier="gold", cell="", user=gold).exists():
        assign_role(incident=w.incident_a, actor=gold, user=gold, tier="gold")
    assign_role(
        incident=w.incident_a,
        actor=gold,
        user=w.people["bronze"],
        tier="silver",
        cell="childrens_social_care",
    )


def with_social_worker(w: World) -> None:
    """The above, and staff holds the council's children's social care role."""
    safeguarding_roles(w)
    social_worker(w, "staff")


def today() -> date:
    return london(now()).date()


def a_deadline(w: World, **fields: Any) -> Deadline:
    """A referral decision on council A's incident, owned by bronze (Silver, children's social care)."""
    safeguarding_roles(w)
    existing = Deadline.objects.filter(incident=w.incident_a).first()
    if existing is not None and not fields:
        return existing
    values: dict[str, Any] = {
        "kind": "referral_decision",
        "case_reference": "MASH-0001",
        "start_date": today() - timedelta(days=1),
        "owner": w.people["bronze"],
    }
    values.update(fields)
    return add_deadline(incident=w.incident_a, actor=w.people["gold"], **values)


def deadlines_url(w: World) -> str:
    safeguarding_roles(w)
    return f"/incidents/{w.incident_a.pk}/safeguarding/"
