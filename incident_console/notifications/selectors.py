"""Reads for the notification centre, the header count and the unrouted-alert warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from incident_console.incidents.access import visible_incidents, wide_council_ids

from .models import Alert, AlertState, Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from incident_console.accounts.models import User
    from incident_console.incidents.models import Incident


def notifications_of(user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("alert", "alert__acknowledged_by", "alert__incident")
        .prefetch_related("deliveries")
        .order_by("-created_at", "-id")
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_for(user: User, pk: int) -> Notification | None:
    """The person's own notification; None for anyone else's, so ids do not leak."""
    return Notification.objects.select_related("alert").filter(pk=pk, recipient=user).first()


def unrouted_alerts(user: User | AnonymousUser, incident: Incident | None = None) -> list[Alert]:
    """Alerts nobody could be found for: on one incident (the caller has checked the person may
    see its checklists), or on the dashboard, for incidents of councils where the person has a
    council-wide role. Staff and partners do not get them on the dashboard."""
    alerts = Alert.objects.filter(state=AlertState.UNROUTED)
    if incident is not None:
        alerts = alerts.filter(incident=incident)
    else:
        councils = wide_council_ids(user)
        if not councils:
            return []
        alerts = alerts.filter(incident__in=visible_incidents(user), council_id__in=councils)
    return list(alerts.select_related("incident").order_by("-created_at")[:20])
