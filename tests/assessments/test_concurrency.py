"""Two people saving the same assessment at once: one wins, the other gets 409; no lost update.
SQLite serialises writers; PostgreSQL proves the row lock."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from incident_console.accounts.models import Role
from incident_console.assessments import services
from incident_console.assessments.models import Assessment, AssessmentVersion
from incident_console.lib.errors import StaleEditError
from tests import factories
from tests.assessments.helpers import content


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_version_keep_one_and_refuse_the_other() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locking is only meaningful on PostgreSQL (CI runs this)")
    council = factories.council(slug="northgate")
    incident = factories.incident(council, services_affected=[])
    dpo = factories.person(council, Role.DPO)
    caldicott = factories.person(council, Role.CALDICOTT)
    assessment = services.create_assessment(
        incident=incident, council=council, actor=dpo, title="Servers", content=content()
    )
    seen = assessment.version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(actor: object, people: int) -> None:
        try:
            barrier.wait()
            services.new_version(
                assessment=assessment,
                actor=actor,  # type: ignore[arg-type]
                expected_version=seen,
                content=content(people_affected=people),
            )
            outcomes.append("saved")
        except StaleEditError:
            outcomes.append("409")
        except BaseException as error:  # pragma: no cover - reported by the assertion
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(dpo, 5000)),
        threading.Thread(target=save, args=(caldicott, 6000)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["409", "saved"]
    assert AssessmentVersion.objects.filter(assessment=assessment).count() == 2
    fresh = Assessment.objects.select_related("current").get(pk=assessment.pk)
    assert fresh.current is not None and fresh.current.number == 2
    assert fresh.version == seen + 1
