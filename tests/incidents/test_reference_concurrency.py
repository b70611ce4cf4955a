"""Reference allocation under real concurrency. SQLite serialises writers; PostgreSQL proves the lock."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from incident_console.incidents.models import Incident
from incident_console.incidents.services import declare_incident
from incident_console.lib.time import now
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_simultaneous_declarations_get_distinct_consecutive_references():
    if connection.vendor != "postgresql":
        pytest.skip("row locking is only meaningful on PostgreSQL (CI runs this)")
    council = factories.council(slug="northgate")
    lead = factories.person(council)
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def declare() -> None:
        try:
            barrier.wait()
            declare_incident(
                council=council, actor=lead, title="Parallel", aware_at=now() - timedelta(minutes=5)
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=declare) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in Incident.objects.values_list("reference", flat=True))
    assert numbers == list(range(1, 9))
