"""Priority case contacts as reminders. When a case's next contact comes due its owner hears
first; once it is overdue the reminder climbs the ladder of the service's cell (children's social
care or adult social care: Silver of that cell, then Gold) until someone acknowledges.

A reminder names no case reference and no person: it is safe for SMS. The source key carries the
due time, so a contact (which moves the next contact due) settles it and a new due time gives a
new reminder."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from incident_console.lib.choices import Tier
from incident_console.lib.time import london
from incident_console.notifications.sources import LIVE, Occurrence, Source

from .models import CaseStatus, PriorityCase

LOOK_BACK = timedelta(days=7)  # a contact overdue for a week before reminders existed is not news


def _key(case: PriorityCase) -> str:
    assert case.next_contact_due is not None
    return f"priority-case:{case.pk}:{int(case.next_contact_due.timestamp())}"


def _parse(key: str) -> tuple[int, datetime]:
    _prefix, pk, stamp = key.split(":")
    return int(pk), datetime.fromtimestamp(int(stamp), tz=UTC)


class _PriorityContactSource(Source):
    def _cases(self, window: Q) -> Iterable[PriorityCase]:
        return (
            PriorityCase.objects.filter(window, incident__status__in=LIVE, next_contact_due__isnull=False)
            .exclude(status=CaseStatus.CLOSED)
            .select_related("incident")
            .only(
                "id",
                "service",
                "owner_id",
                "next_contact_due",
                "incident__id",
                "incident__council_id",
                "incident__reference",
            )
            .order_by("next_contact_due", "id")
        )

    def _occurrence(self, case: PriorityCase, subject: str) -> Occurrence:
        assert case.next_contact_due is not None
        incident = case.incident
        return Occurrence(
            council_id=incident.council_id,
            incident_id=incident.pk,
            source_key=_key(case),
            occurrence=case.next_contact_due.isoformat(),
            subject=subject
            % {
                "time": f"{london(case.next_contact_due):%H:%M}",
                "reference": incident.reference,
                "service": case.service_words,
            },
            link=reverse("priority_cases:detail", args=[incident.pk, case.pk]),
            first_recipient_ids=(case.owner_id,),
            tier=Tier.BRONZE,
            cell=case.service,  # the cell of the service: adult or children's social care
        )

    def settled(self, source_keys: list[str], at: datetime) -> set[str]:
        wanted = {key: _parse(key) for key in source_keys}
        rows = {
            pk: (status, due, contacted, live)
            for pk, status, due, contacted, live in PriorityCase.objects.filter(
                pk__in={pk for pk, _due in wanted.values()}
            ).values_list(
                "pk",
                "status",
                "next_contact_due",
                "last_contacted_at",
                "incident__status",
            )
        }
        done: set[str] = set()
        for key, (pk, due) in wanted.items():
            row = rows.get(pk)
            if row is None:
                done.add(key)
                continue
            status, next_due, contacted, incident_status = row
            live = incident_status in LIVE
            moved = next_due is None or int(next_due.timestamp()) != int(due.timestamp())
            if (
                not live
                or status == CaseStatus.CLOSED
                or moved
                or (contacted is not None and contacted >= due)
            ):
                done.add(key)
        return done


class PriorityContactDueSoon(_PriorityContactSource):
    """A priority case's next contact coming due: its owner hears; nobody is escalated to."""

    kind = "priority_contact_due_soon"
    escalates = False
    label = "Priority case contact due"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        window = Q(next_contact_due__gt=at, next_contact_due__lte=at + self.lead_time)
        for case in self._cases(window):
            yield self._occurrence(case, _("Priority case contact due %(time)s (%(reference)s, %(service)s)"))


class PriorityContactOverdue(_PriorityContactSource):
    """A priority case's contact overdue: the owner, then up the service's cell until acknowledged."""

    kind = "priority_contact_overdue"
    label = "Priority case contact overdue"

    def due(self, at: datetime) -> Iterable[Occurrence]:
        window = Q(next_contact_due__lte=at, next_contact_due__gt=at - LOOK_BACK)
        for case in self._cases(window):
            yield self._occurrence(
                case, _("Priority case contact overdue since %(time)s (%(reference)s, %(service)s)")
            )
