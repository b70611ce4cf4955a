"""Making sitreps in tests."""

from __future__ import annotations

from typing import Any

from incident_console.incidents.models import Incident
from incident_console.reports import services
from incident_console.reports.models import Sitrep
from tests.conftest import World


def a_draft(w: World, incident: Incident | None = None, **fields: Any) -> Sitrep:
    values: dict[str, Any] = {
        "headline": "Systems isolated; recovery under way.",
        "partner_headline": "Council services are running on paper processes.",
        "requests_of_partners": "Please phone rather than email.",
    }
    values.update(fields)
    return services.draft_sitrep(incident=incident or w.incident_a, actor=w.people["bronze"], **values)


def an_approved(w: World, **fields: Any) -> Sitrep:
    return services.approve_sitrep(sitrep=a_draft(w, **fields), actor=w.people["gold"])


def an_issued(w: World, **fields: Any) -> Sitrep:
    return services.issue_sitrep(sitrep=an_approved(w, **fields), actor=w.people["bronze"])
