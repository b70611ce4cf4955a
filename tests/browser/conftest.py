"""Browser tests: Playwright's Chromium against pytest-django's live server.

The live server answers from another thread, so the data must be committed: ``live_world`` asks for
``transactional_db`` before the shared ``world``. Every test module here carries
``pytestmark = pytest.mark.browser``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connection
from pytest_django.live_server_helper import LiveServer

from incident_console.timeline.models import TimelineEvent
from tests.command.helpers import clear_decisions_on_sqlite
from tests.conftest import World
from tests.support.browser import browser, browser_context, signed_in_page
from tests.timeline.tamper import triggers_lifted

__all__ = ["browser", "browser_context", "live_world", "signed_in_page"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture
def live_world(transactional_db: None, live_server: LiveServer, world: World) -> Iterator[World]:
    """The shared ``world``, committed so the live server sees it."""
    yield world
    # transactional_db empties every table with DELETE on SQLite (TRUNCATE on PostgreSQL), and
    # the timeline's append-only trigger refuses DELETE: clear the timeline with it lifted first.
    if connection.vendor == "sqlite":
        with triggers_lifted(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TimelineEvent._meta.db_table}")  # noqa: S608
        clear_decisions_on_sqlite()
