"""Thin Celery tasks: they take ids and call services, and may run twice."""

from __future__ import annotations

from celery import shared_task

from incident_console.lib.queueing import queue_due, queue_or_wait

from . import services


@shared_task(name="reports.sweep", ignore_result=True)
def sweep() -> int:
    due = services.sweep()
    return queue_due(render_pdf, due, "PDF job")


@shared_task(name="reports.refresh_grab_packs", ignore_result=True)
def refresh_grab_packs() -> int:
    from .grab_pack import refresh_all

    return refresh_all()


@shared_task(name="reports.render_pdf", ignore_result=True)
def render_pdf(job_id: int) -> str:
    return services.render_job(job_id=job_id)


def queue_render(job_id: int) -> bool:
    """Hand it to a worker; if the broker is away, leave it for the next sweep."""
    return queue_or_wait(render_pdf, job_id, "PDF job")
