"""Thin Celery tasks: they take ids and call services, and may run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="closure.sweep", ignore_result=True)
def sweep() -> int:
    due = services.sweep()
    for job_id in due:
        if not queue_build(job_id):
            break  # the broker is away: the next sweep finds the same rows
    return len(due)


@shared_task(name="closure.build_archive", ignore_result=True)
def build_archive(job_id: int) -> str:
    return services.build_job(job_id=job_id)


def queue_build(job_id: int) -> bool:
    """Hand a build to a worker; if the broker is down, leave it for the next sweep."""
    try:
        build_archive.delay(job_id)
    except (OperationalError, OSError) as error:  # OSError: the filesystem broker's folders are missing
        logger.warning("Broker unavailable; archive job %s waits for the next sweep: %s", job_id, error)
        return False
    return True
