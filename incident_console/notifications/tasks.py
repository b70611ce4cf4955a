"""Thin Celery tasks: they take ids and call services, and may run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep() -> int:
    result = services.sweep()
    due = result.deliveries_due or []
    for delivery_id in due:
        if not queue_send(delivery_id):
            break  # the broker is away: the next sweep finds the same rows
    return len(due)


@shared_task(name="notifications.send_delivery", ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    return services.send_delivery(delivery_id=delivery_id)


def queue_send(delivery_id: int) -> bool:
    """Hand a delivery to a worker; if the broker is down, leave it for the next sweep."""
    try:
        send_delivery.delay(delivery_id)
    except (OperationalError, OSError, RuntimeError) as error:
        # The broker is away (or its connection pool is being torn down): the row waits, the sweep
        # queues it later, and the web request that asked carries on.
        logger.warning("Broker unavailable; delivery %s waits for the next sweep: %s", delivery_id, error)
        return False
    return True
