"""Broadcasts as a kind of reminder: each person asked hears at once and again every chase
interval (the incident's escalation wait) until they acknowledge or the chases run out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.notifications.sources import LIVE, Occurrence, Source, _key_ids

from .selectors import KIND, acknowledged_keys


class BroadcastNotAcknowledged(Source):
    kind = KIND
    label = "Staff broadcast"
    escalates = False  # nobody else is told: the same person is asked again
    out_of_band = True  # SMS and personal email: council email may be down

    def due(self, at: datetime) -> Iterable[Occurrence]:
        from .models import Recipient

        waiting = list(
            Recipient.objects.filter(
                broadcast__sent_at__lte=at,
                broadcast__chase_until__gte=at,
                broadcast__incident__status__in=LIVE,  # nobody is chased once it is closed
            ).select_related("broadcast__incident", "broadcast__sender")
        )
        if not waiting:
            return
        acknowledged = acknowledged_keys([r.source_key for r in waiting])
        for recipient in waiting:
            if recipient.source_key in acknowledged:
                continue
            broadcast = recipient.broadcast
            elapsed = (at - broadcast.sent_at).total_seconds() / 60
            round_ = min(int(elapsed // max(broadcast.chase_minutes, 1)), _chases())
            incident = broadcast.incident
            yield Occurrence(
                council_id=broadcast.council_id,
                incident_id=incident.pk,
                source_key=recipient.source_key,
                occurrence=str(round_),
                subject=subject_for(
                    chase=round_ > 0,
                    name=broadcast.sender.display_name,
                    reference=incident.reference,
                    message=broadcast.message,
                ),
                # Every recipient may open this page, even one not taking part in the incident.
                link=reverse("broadcasts:received", args=[incident.pk, broadcast.pk]),
                first_recipient_ids=(recipient.user_id,),
            )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        """Acknowledged, or the incident is closed (resolved or stood down): stop asking."""
        from .models import Recipient

        ids = _key_ids(source_keys)
        closed = Recipient.objects.filter(pk__in=ids).exclude(broadcast__incident__status__in=LIVE)
        return set(acknowledged_keys(source_keys)) | {ids[pk] for pk in closed.values_list("pk", flat=True)}


def subject_limit() -> int:
    """The longest subject a broadcast alert may have: the alert's subject column, less the
    EXERCISE marker the sweep puts in front on an exercise."""
    from incident_console.notifications.models import Alert

    column = Alert._meta.get_field("subject").max_length or 200
    return column - len(_("EXERCISE: %(subject)s") % {"subject": ""})


def subject_for(*, chase: bool, name: str, reference: str, message: str) -> str:
    """The alert's subject, which is also the text message. The message is always whole (it is
    at most 140 characters); when the whole line would be too long, the sender's name is
    shortened, then left out, then the incident reference (the broadcast page shows both)."""
    limit = subject_limit()
    with_name = (
        _("Please acknowledge. From %(name)s, %(reference)s: %(message)s")
        if chase
        else _("From %(name)s, %(reference)s: %(message)s")
    )
    values = {"name": name, "reference": reference, "message": message}
    subject = with_name % values
    if len(subject) <= limit:
        return subject
    room = len(name) - (len(subject) - limit) - 1
    if room >= 8:
        return with_name % {**values, "name": name[:room].rstrip() + "…"}
    for shorter in (
        _("Please acknowledge. %(reference)s: %(message)s") if chase else _("%(reference)s: %(message)s"),
        _("Please acknowledge: %(message)s") if chase else "%(message)s",
    ):
        subject = shorter % values
        if len(subject) <= limit:
            return subject
    return message[:limit]


def _chases() -> int:
    from .services import chases

    return chases()
