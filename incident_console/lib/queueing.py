"""Handing work to a worker without ever failing the caller.

Work that must happen is a database row first (DESIGN.md house rule 3); the broker only makes it
faster. If the broker is away — down, its folders missing (the filesystem broker), or its
connection pool being torn down — the row waits for the next beat sweep and the caller, often a
web request, carries on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

BROKER_AWAY = (OperationalError, OSError, RuntimeError)


def queue_or_wait(task: Any, row_id: int, what: str) -> bool:
    """Queue ``task(row_id)``; False (and a warning) if the broker is away."""
    try:
        task.delay(row_id)
    except BROKER_AWAY as error:
        logger.warning("Broker unavailable; %s %s waits for the next sweep: %s", what, row_id, error)
        return False
    return True


def queue_due(task: Any, row_ids: Iterable[int], what: str) -> int:
    """Queue each row a sweep found due, stopping at the first broker failure (the next sweep
    finds the same rows). Returns how many were due."""
    due = list(row_ids)
    for row_id in due:
        if not queue_or_wait(task, row_id, what):
            break
    return len(due)
