"""Writes for reminders: the sweep, the escalation ladder, sending, acknowledgement.

Everything that must happen is a row first. The beat-driven ``sweep`` finds what is due, creates
alerts (one per occurrence, by a unique key), moves each open alert up its ladder when nobody has
acknowledged it in time, and hands due deliveries to ``send_delivery``. Rows are claimed with
``select_for_update(skip_locked=True)``, so several workers and sweeps at once never do the same
work twice; a send is recorded as an attempt before the provider is called and its result after.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from incident_console.accounts.models import User
from incident_console.incidents.models import Incident
from incident_console.lib.time import now
from incident_console.timeline.services import record

from . import channels, routing, sources
from .links import acknowledgement_url
from .models import Alert, AlertState, Channel, Delivery, DeliveryState, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
SWEEP_BATCH = 500


@dataclass
class SweepResult:
    alerts_created: int = 0
    alerts_settled: int = 0
    steps_taken: int = 0
    deliveries_due: list[int] | None = None


def sweep(*, at: datetime | None = None) -> SweepResult:
    """One pass: find what is due, settle what is done, escalate, and list deliveries to send."""
    at = at or now()
    result = SweepResult()
    for source in sources.registered().values():
        result.alerts_created += _raise_alerts(source, at)
        result.alerts_settled += _settle(source, at)
    result.steps_taken = _escalate_due(at)
    result.deliveries_due = due_deliveries(at)
    return result


def _raise_alerts(source: sources.Source, at: datetime) -> int:
    found = list(source.due(at))
    if not found:
        return 0
    exercise = set(
        Incident.objects.filter(
            pk__in={o.incident_id for o in found if o.incident_id}, is_exercise=True
        ).values_list("pk", flat=True)
    )
    alerts = [
        Alert(
            council_id=o.council_id,
            incident_id=o.incident_id,
            kind=source.kind,
            source_key=o.source_key,
            occurrence=o.occurrence,
            subject=(
                _("EXERCISE: %(subject)s") % {"subject": o.subject}
                if o.incident_id in exercise
                else o.subject
            ),
            link=o.link,
            first_recipients=list(o.first_recipient_ids),
            tier=o.tier,
            cell=o.cell,
            created_at=at,
            next_step_at=at,
        )
        for o in found
    ]
    before = Alert.objects.filter(kind=source.kind).count()
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return Alert.objects.filter(kind=source.kind).count() - before


def _settle(source: sources.Source, at: datetime) -> int:
    keys = list(
        Alert.objects.filter(kind=source.kind, state__in=[AlertState.OPEN, AlertState.UNROUTED])
        .values_list("source_key", flat=True)
        .distinct()
    )
    if not keys:
        return 0
    done = source.settled(keys, at)
    if not done:
        return 0
    with transaction.atomic():
        settled = Alert.objects.filter(
            kind=source.kind, source_key__in=done, state__in=[AlertState.OPEN, AlertState.UNROUTED]
        ).update(state=AlertState.RESOLVED, resolved_at=at, next_step_at=None)
        _cancel_waiting(Q(notification__alert__kind=source.kind, notification__alert__source_key__in=done))
    return settled


def _escalate_due(at: datetime) -> int:
    steps = 0
    while True:
        with transaction.atomic():
            batch = list(
                Alert.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("incident")
                .filter(state=AlertState.OPEN, next_step_at__lte=at)
                .order_by("next_step_at", "pk")[:SWEEP_BATCH]
            )
            for alert in batch:
                _take_next_step(alert, at)
            steps += len(batch)
        if len(batch) < SWEEP_BATCH:
            return steps


def _take_next_step(alert: Alert, at: datetime) -> None:
    """Notify the next step of the ladder that finds anyone; mark it unrouted if none ever did."""
    source = sources.registered().get(alert.kind)
    escalates = source.escalates if source else True
    out_of_band = source.out_of_band if source else False
    already = set(alert.notifications.values_list("recipient_id", flat=True))
    while alert.step < routing.step_count():
        step = alert.step
        # Someone who has already been told at an earlier step is not told again.
        found = [r for r in routing.find(alert, step) if r.user.pk not in already]
        alert.step += 1
        if found:
            _notify(alert, step, found, at, out_of_band=out_of_band)
            alert.next_step_at = (
                at + timedelta(minutes=_escalation_wait(alert))
                if escalates and alert.step < routing.step_count()
                else None
            )
            alert.save(update_fields=["step", "next_step_at"])
            return
    alert.next_step_at = None
    if not already:
        alert.state = AlertState.UNROUTED
        if alert.incident_id:
            record(
                incident=alert.incident,  # type: ignore[arg-type]
                kind="reminder_unrouted",
                actor=None,
                summary=_("Nobody could be found to remind: %(subject)s") % {"subject": alert.subject},
                data={"alert": alert.pk},
            )
    alert.save(update_fields=["step", "next_step_at", "state"])


def _escalation_wait(alert: Alert) -> int:
    """The incident's escalation policy, or the deployment's default for council-wide alerts."""
    if alert.incident_id:
        return alert.incident.escalation_wait  # type: ignore[union-attr]
    return int(settings.ESCALATE_AFTER_MINUTES)


def _notify(
    alert: Alert, step: int, recipients: list[routing.Recipient], at: datetime, *, out_of_band: bool = False
) -> None:
    council_email_down = out_of_band or bool(
        alert.incident_id and alert.incident.council_email_unavailable  # type: ignore[union-attr]
    )
    for recipient in recipients:
        notification, created = Notification.objects.get_or_create(
            alert=alert,
            step=step,
            recipient=recipient.user,
            defaults={"reason": recipient.reason[:200], "created_at": at},
        )
        if not created:
            continue
        for channel, address in _routes(recipient.user, council_email_down=council_email_down):
            Delivery.objects.create(
                notification=notification,
                channel=channel,
                address=address,
                due_at=at,
                reference=secrets.token_hex(16),
            )
    if alert.incident_id:
        record(
            incident=alert.incident,  # type: ignore[arg-type]
            kind="reminder_sent",
            actor=None,
            summary=_("Reminder “%(subject)s” sent to %(names)s")
            % {"subject": alert.subject, "names": ", ".join(r.user.display_name for r in recipients)},
            data={"alert": alert.pk, "step": step, "recipients": [r.user.pk for r in recipients]},
        )


def _routes(user: User, *, council_email_down: bool) -> list[tuple[str, str]]:
    """Work email (or personal email when there is no work address, or council email is down)
    and SMS when the person has a mobile number."""
    routes: list[tuple[str, str]] = []
    email = user.personal_email if council_email_down else (user.email or user.personal_email)
    if email:
        routes.append((Channel.EMAIL, email))
    if user.mobile_phone:
        routes.append((Channel.SMS, user.mobile_phone))
    return routes


def _cancel_waiting(where: Q) -> None:
    Delivery.objects.filter(where, state=DeliveryState.PENDING).update(state=DeliveryState.CANCELLED)


# --- Sending ------------------------------------------------------------------------------------


def due_deliveries(at: datetime) -> list[int]:
    """Deliveries to hand to workers: waiting and due, or left mid-send longer than the lease.
    Two index range scans (one per state), so the cost follows the number due, not waiting."""
    lease = at - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    limit = SWEEP_BATCH * 4
    waiting = list(
        Delivery.objects.filter(state=DeliveryState.PENDING, due_at__lte=at)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    interrupted = list(
        Delivery.objects.filter(state=DeliveryState.SENDING, last_attempt_at__lt=lease)
        .order_by("last_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return (interrupted + waiting)[:limit]


def _claim(delivery_id: int, at: datetime) -> Delivery | None:
    lease = at - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("notification__alert__council", "notification__recipient")
            .filter(
                Q(state=DeliveryState.PENDING, due_at__lte=at)
                | Q(state=DeliveryState.SENDING, last_attempt_at__lt=lease),
                pk=delivery_id,
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.was_interrupted = delivery.state == DeliveryState.SENDING  # type: ignore[attr-defined]
        delivery.state = DeliveryState.SENDING
        delivery.attempts += 1
        delivery.last_attempt_at = at
        delivery.save(update_fields=["state", "attempts", "last_attempt_at"])
        return delivery


def message_for(delivery: Delivery) -> channels.Message:
    notification = delivery.notification
    alert = notification.alert
    link = acknowledgement_url(notification)
    # The subject as a sentence: a broadcast may already end with its own full stop.
    sentence = alert.subject if alert.subject.endswith((".", "!", "?")) else f"{alert.subject}."
    if delivery.channel == Channel.SMS:
        body = _("%(sentence)s Open the console to see it and acknowledge: %(link)s") % {
            "sentence": sentence,
            "link": link,
        }
    else:
        body = _(
            "%(sentence)s\n\nYou are hearing about it because: %(reason)s.\n\n"
            "See it and acknowledge it in the console (sign-in needed): %(link)s\n"
        ) % {"sentence": sentence, "reason": notification.reason, "link": link}
    return channels.Message(
        channel=delivery.channel,
        address=delivery.address,
        subject=alert.subject,
        body=body,
        reference=delivery.reference,
        council_slug=alert.council.slug,
    )


def send_delivery(*, delivery_id: int) -> str:
    """Send one delivery if it is still due; safe to run twice or after a killed worker.
    Returns what happened, for the worker's log."""
    at = now()
    delivery = _claim(delivery_id, at)
    if delivery is None:
        return "not due or taken by another worker"
    message = message_for(delivery)
    try:
        provider_id = None
        if delivery.was_interrupted:  # type: ignore[attr-defined]
            provider_id = channels.already_sent(message)
        if provider_id is None:
            provider_id = channels.send(message)
    except channels.SendFailed as failure:
        _record_failure(delivery, str(failure), permanent=failure.permanent, at=at)
        return f"failed: {failure}"
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
        state=DeliveryState.SENT, provider_id=provider_id[:100], sent_at=now(), last_error=""
    )
    return "sent"


def _record_failure(delivery: Delivery, reason: str, *, permanent: bool, at: datetime) -> None:
    give_up = permanent or delivery.attempts >= MAX_ATTEMPTS
    backoff = timedelta(minutes=2 ** (delivery.attempts - 1))
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
        state=DeliveryState.FAILED if give_up else DeliveryState.PENDING,
        due_at=at + backoff,
        last_error=reason[:2000],
    )
    logger.warning(
        "Delivery %s (%s) failed on attempt %s: %s", delivery.pk, delivery.channel, delivery.attempts, reason
    )


# --- People acting on their notifications -----------------------------------------------------


@transaction.atomic
def acknowledge(*, notification: Notification, actor: User) -> Alert:
    """The recipient says they have it: escalation stops, waiting messages are not sent."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This reminder was sent to someone else."))
    alert = Alert.objects.select_for_update().get(pk=notification.alert_id)
    stamp = now()
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=stamp)
    if alert.state not in (AlertState.OPEN, AlertState.UNROUTED):
        return alert
    alert.state = AlertState.ACKNOWLEDGED
    alert.acknowledged_at = stamp
    alert.acknowledged_by = actor
    alert.next_step_at = None
    alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by", "next_step_at"])
    _cancel_waiting(Q(notification__alert=alert))
    if alert.incident_id:
        record(
            incident=alert.incident,  # type: ignore[arg-type]
            kind="reminder_acknowledged",
            actor=actor,
            summary=_("%(name)s acknowledged “%(subject)s”")
            % {"name": actor.display_name, "subject": alert.subject},
            data={"alert": alert.pk},
        )
    return alert


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now())
