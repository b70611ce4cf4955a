"""Thin Celery tasks: they take ids and call services, and may run twice."""

from __future__ import annotations

from celery import shared_task

from incident_console.lib.queueing import queue_due, queue_or_wait

from . import services


@shared_task(name="closure.sweep", ignore_result=True)
def sweep() -> int:
    due = services.sweep()
    return queue_due(build_archive, due, "archive job")


@shared_task(name="closure.build_archive", ignore_result=True)
def build_archive(job_id: int) -> str:
    return services.build_job(job_id=job_id)


def queue_build(job_id: int) -> bool:
    """Hand it to a worker; if the broker is away, leave it for the next sweep."""
    return queue_or_wait(build_archive, job_id, "archive job")
