"""Let the append-only triggers on the timeline and the decision log allow deletes inside the
purge service only.

PostgreSQL: the trigger functions let a DELETE through when the transaction has set
``console.purge`` to ``on`` (``SET LOCAL`` in ``closure.services``). SQLite has no session
settings: the delete triggers fire only while a ``closure_purgeunlock`` row exists, which the
purge service inserts and removes inside its own transaction. Updates stay refused everywhere.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLES = {
    # table: (postgres function, sqlite delete trigger, message)
    "timeline_timelineevent": (
        "timeline_append_only",
        "timeline_no_delete",
        "timeline events are append-only",
    ),
    "command_decision": (
        "command_decision_append_only",
        "decision_no_delete",
        "decision log entries are append-only",
    ),
}

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('console.purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_ORIGINAL = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_TRIGGER = (
    "CREATE TRIGGER {trigger} BEFORE DELETE ON {table} "
    "WHEN NOT EXISTS (SELECT 1 FROM closure_purgeunlock) "
    "BEGIN SELECT RAISE(ABORT, '{message}'); END;"
)
SQLITE_ORIGINAL = (
    "CREATE TRIGGER {trigger} BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;"
)


def sqlite_statements() -> list[str]:
    """The purge-aware SQLite delete triggers, for code that recreates the original triggers
    (test helpers that lift them for a moment) to put back afterwards."""
    statements: list[str] = []
    for table, (_function, trigger, message) in TABLES.items():
        statements.append(f"DROP TRIGGER IF EXISTS {trigger};")
        statements.append(SQLITE_TRIGGER.format(trigger=trigger, table=table, message=message))
    return statements


def _apply(schema_editor: BaseDatabaseSchemaEditor, postgres: str, sqlite: str) -> None:
    vendor = schema_editor.connection.vendor
    for table, (function, trigger, message) in TABLES.items():
        if vendor == "postgresql":
            schema_editor.execute(postgres.format(function=function, message=message))
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger};")
            schema_editor.execute(sqlite.format(trigger=trigger, table=table, message=message))


def lift_in_purge(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _apply(schema_editor, POSTGRES_FUNCTION, SQLITE_TRIGGER)


def restore(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _apply(schema_editor, POSTGRES_ORIGINAL, SQLITE_ORIGINAL)


class Migration(migrations.Migration):
    dependencies = [
        ("closure", "0001_initial"),
        ("timeline", "0002_append_only_triggers"),
        ("command", "0002_decision_append_only_triggers"),
    ]
    operations = [migrations.RunPython(lift_in_purge, restore)]
