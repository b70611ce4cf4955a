"""Thin Celery tasks: they take ids and call services, and may run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="reports.sweep", ignore_result=True)
def sweep() -> int:
    due = services.sweep()
    for job_id in due:
        if not queue_render(job_id):
            break  # the broker is away: the next sweep finds the same rows
    return len(due)


@shared_task(name="reports.refresh_grab_packs", ignore_result=True)
def refresh_grab_packs() -> int:
    from .grab_pack import refresh_all

    return refresh_all()


@shared_task(name="reports.render_pdf", ignore_result=True)
def render_pdf(job_id: int) -> str:
    return services.render_job(job_id=job_id)


def queue_render(job_id: int) -> bool:
    """Hand a render to a worker; if the broker is down, leave it for the next sweep."""
    try:
        render_pdf.delay(job_id)
    except (OperationalError, OSError, RuntimeError) as error:
        # The broker is away (or its connection pool is being torn down): the row waits, the sweep
        # queues it later, and the web request that asked carries on.
        logger.warning("Broker unavailable; PDF job %s waits for the next sweep: %s", job_id, error)
        return False
    return True
