"""The API under generated input, as each role: no server errors, no response that breaks the schema.

It has its own target, `make test-fuzz` (every role below, 10 examples per operation); `.ci/run`
runs a short round of it (two roles, one example). See docs/security.md for the last full run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from tests.conftest import World

pytestmark = pytest.mark.fuzz

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Requests go through the WSGI handler, which closes the database connection after each one:
    keep it open (as Django's test client does) so every call sees the test's rows."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The roles whose view of the API differs most: the incident lead, the council admin, the DPO,
# a staff member taking part and a partner with a read-only briefing.
ALL_ROLES = ["gold", "admin", "dpo", "staff", "partner"]
ROLES = os.environ.get("API_FUZZ_ROLES", "all").split(",")
if ROLES == ["all"]:
    ROLES = ALL_ROLES
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_no_server_error_and_answers_that_match_the_schema(
    case: Any, role: str, world: World, in_test_transaction: None
) -> None:
    from incident_console.accounts.services import issue_api_token

    issued = issue_api_token(user=world.people[role], name="fuzz", second_factor=True)
    # A request the schema allows may still name a council or person that does not exist (400):
    # the schema cannot list the rows in the database, so that check is left out.
    case.call_and_validate(
        headers={"Authorization": f"Token {issued.key}"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
