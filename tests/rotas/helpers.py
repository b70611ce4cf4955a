"""Rotas for the shared harnesses (permission matrix, accessibility) and the rota tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from incident_console.lib.time import now
from incident_console.rotas.models import Rota, Swap
from incident_console.rotas.selectors import rotas_with_everything, shifts_for
from incident_console.rotas.services import request_swap
from tests import factories
from tests.conftest import World


def gold_rota(w: World) -> Rota:
    """Council A's Gold rota, owned by gold, worked by gold, bronze and staff in turn; a daily
    office-hours pattern too would leave gaps, so this one is 24/7 with no gaps."""
    found = Rota.objects.filter(council=w.a, name="Gold").first()
    if found is not None:
        return found
    return factories.rota(
        w.a,
        [w.people["gold"], w.people["bronze"], w.people["staff"]],
        owner=w.people["gold"],
        backups=[w.people["bystander"]],
    )


def gap_rota(w: World) -> Rota:
    """A rota with a gap every night: a day shift only."""
    found = Rota.objects.filter(council=w.a, name="Emergency Duty Team").first()
    if found is not None:
        return found
    return factories.rota(
        w.a,
        [w.people["gold"], w.people["staff"]],
        name="Emergency Duty Team",
        shifts=(("08:00", "20:00"),),
        owner=w.people["gold"],
    )


def next_shift_start(rota: Rota, person_pk: int) -> datetime:
    fresh = rotas_with_everything(Rota.objects.filter(pk=rota.pk)).get()
    start = now()
    return next(
        s.start
        for s in shifts_for(fresh, start, start + timedelta(days=7))
        if s.start > start and s.person == person_pk
    )


def gold_staff_swap(w: World) -> Swap:
    """Gold asks staff to swap their next shifts."""
    rota = gold_rota(w)
    found = Swap.objects.filter(rota=rota, status="requested").first()
    if found is not None:
        return found
    return request_swap(
        rota=rota,
        actor=w.people["gold"],
        my_shift_start=next_shift_start(rota, w.people["gold"].pk),
        other=w.people["staff"],
        other_shift_start=next_shift_start(rota, w.people["staff"].pk),
    )
