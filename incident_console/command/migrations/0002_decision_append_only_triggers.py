"""Refuse UPDATE and DELETE on decision log rows in the database itself, not only in Python."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION command_decision_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'decision log entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER decision_no_update BEFORE UPDATE ON command_decision
    FOR EACH ROW EXECUTE FUNCTION command_decision_append_only();
CREATE TRIGGER decision_no_delete BEFORE DELETE ON command_decision
    FOR EACH ROW EXECUTE FUNCTION command_decision_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS decision_no_update ON command_decision;
DROP TRIGGER IF EXISTS decision_no_delete ON command_decision;
DROP FUNCTION IF EXISTS command_decision_append_only();
"""
SQLITE_CREATE = [
    "CREATE TRIGGER decision_no_update BEFORE UPDATE ON command_decision "
    "BEGIN SELECT RAISE(ABORT, 'decision log entries are append-only'); END;",
    "CREATE TRIGGER decision_no_delete BEFORE DELETE ON command_decision "
    "BEGIN SELECT RAISE(ABORT, 'decision log entries are append-only'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS decision_no_update;",
    "DROP TRIGGER IF EXISTS decision_no_delete;",
]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("command", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
