"""Sending a broadcast. The reminder sweep delivers it and chases whoever has not acknowledged."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from incident_console.incidents.models import Incident
from incident_console.lib.errors import ValidationError
from incident_console.lib.time import now
from incident_console.timeline.services import record

from . import selectors
from .models import MESSAGE_MAX_LENGTH, Audience, Broadcast, Recipient

if TYPE_CHECKING:
    from incident_console.accounts.models import User

# Ten digits grouped 3-3-4 (or run together), as an NHS number is written. Phone numbers (11
# digits) do not match.
NHS_NUMBER = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")


def chases() -> int:
    return int(settings.BROADCAST_CHASES)


@transaction.atomic
def send_broadcast(
    *, incident: Incident, actor: User, audience: str, message: str, cell: str = ""
) -> Broadcast:
    """Record the broadcast and who is in its group now; the next sweep sends it."""
    message = " ".join(message.split())
    errors: dict[str, str] = {}
    if not message:
        errors["message"] = _("Enter the message.")
    elif len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = _("The message must be %(max)s characters or fewer: it goes by text message.") % {
            "max": MESSAGE_MAX_LENGTH
        }
    elif NHS_NUMBER.search(message):
        errors["message"] = _(
            "Take out what looks like an NHS number. Broadcasts go by text message and personal "
            "email, so they must not carry anything about the people the council serves."
        )
    if audience not in Audience.values:
        errors["audience"] = _("Choose who the message goes to.")
    elif audience == Audience.CELL and not cell:
        errors["cell"] = _("Choose the cell.")
    if errors:
        raise ValidationError(errors)
    sent_at = now()
    # The sender knows: everyone else in the group is asked.
    members = [
        (person, reason)
        for person, reason in selectors.audience_members(incident, audience, cell=cell, at=sent_at)
        if person.pk != actor.pk
    ]
    if not members:
        raise ValidationError({"audience": _("Nobody is in that group at the moment. Choose another group.")})
    wait = incident.escalation_wait
    broadcast = Broadcast.objects.create(
        council=incident.council,
        incident=incident,
        sender=actor,
        audience=audience,
        cell=cell if audience == Audience.CELL else "",
        message=message,
        sent_at=sent_at,
        chase_minutes=wait,
        # One wait beyond the last chase, so a late sweep still sends it.
        chase_until=sent_at + timedelta(minutes=wait * (chases() + 1)),
    )
    Recipient.objects.bulk_create(
        [Recipient(broadcast=broadcast, user=person, reason=reason[:200]) for person, reason in members]
    )
    record(
        incident=incident,
        kind="broadcast_sent",
        actor=actor,
        summary=_("%(name)s sent a broadcast to %(count)s people: %(message)s")
        % {"name": actor.display_name, "count": len(members), "message": message},
        data={
            "broadcast": broadcast.pk,
            "audience": audience,
            "cell": broadcast.cell,
            "recipients": [person.pk for person, _reason in members],
        },
    )
    return broadcast
