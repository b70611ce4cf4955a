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
    """Beat's grab pack sweep: a pack for every live incident without a recent one."""
    from .grab_pack import refresh_due

    return refresh_due()


@shared_task(name="reports.first_grab_pack", ignore_result=True)
def first_grab_pack(incident_id: int) -> bool:
    from .grab_pack import refresh_one

    return refresh_one(incident_id)


@shared_task(name="reports.render_pdf", ignore_result=True)
def render_pdf(job_id: int) -> str:
    return services.render_job(job_id=job_id)


def queue_first_pack(incident_id: int) -> bool:
    """Ask for a newly declared incident's first grab pack; if the broker is away, the grab pack
    sweep covers it."""
    return queue_or_wait(first_grab_pack, incident_id, "First grab pack of incident")


def queue_render(job_id: int) -> bool:
    """Hand it to a worker; if the broker is away, leave it for the next sweep."""
    return queue_or_wait(render_pdf, job_id, "PDF job")
