from __future__ import annotations

from incident_console.broadcasts.models import Broadcast
from incident_console.broadcasts.services import send_broadcast
from tests.conftest import World


def a_broadcast(w: World) -> Broadcast:
    existing = Broadcast.objects.filter(incident=w.incident_a).first()
    if existing is not None:
        return existing
    return send_broadcast(
        incident=w.incident_a, actor=w.people["gold"], audience="responders", message="Stand-up at 09:00"
    )
