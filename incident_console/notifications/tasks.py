"""Thin Celery tasks: they take ids and call services, and may run twice."""

from __future__ import annotations

from celery import shared_task

from incident_console.lib.queueing import queue_due, queue_or_wait

from . import services


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep() -> int:
    result = services.sweep()
    due = result.deliveries_due or []
    return queue_due(send_delivery, due, "delivery")


@shared_task(name="notifications.send_delivery", ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    return services.send_delivery(delivery_id=delivery_id)


def queue_send(delivery_id: int) -> bool:
    """Hand it to a worker; if the broker is away, leave it for the next sweep."""
    return queue_or_wait(send_delivery, delivery_id, "delivery")
