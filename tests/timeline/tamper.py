"""Lift the append-only triggers for a moment, to prove that tampering is detected."""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from django.db import connection

_triggers = import_module("incident_console.timeline.migrations.0002_append_only_triggers")
_purge_aware = import_module("incident_console.closure.migrations.0002_purge_lifts_append_only")


@contextmanager
def triggers_lifted() -> Iterator[None]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            for sql in _triggers.SQLITE_DROP:
                cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
            else:
                for sql in _triggers.SQLITE_CREATE:
                    cursor.execute(sql)
                for sql in _purge_aware.sqlite_statements():
                    cursor.execute(sql)
