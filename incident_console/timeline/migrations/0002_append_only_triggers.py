"""Refuse UPDATE and DELETE on timeline rows in the database itself, not only in Python."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER timeline_no_update BEFORE UPDATE ON timeline_timelineevent
    FOR EACH ROW EXECUTE FUNCTION timeline_append_only();
CREATE TRIGGER timeline_no_delete BEFORE DELETE ON timeline_timelineevent
    FOR EACH ROW EXECUTE FUNCTION timeline_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS timeline_no_update ON timeline_timelineevent;
DROP TRIGGER IF EXISTS timeline_no_delete ON timeline_timelineevent;
DROP FUNCTION IF EXISTS timeline_append_only();
"""
SQLITE_CREATE = [
    "CREATE TRIGGER timeline_no_update BEFORE UPDATE ON timeline_timelineevent "
    "BEGIN SELECT RAISE(ABORT, 'timeline events are append-only'); END;",
    "CREATE TRIGGER timeline_no_delete BEFORE DELETE ON timeline_timelineevent "
    "BEGIN SELECT RAISE(ABORT, 'timeline events are append-only'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS timeline_no_update;",
    "DROP TRIGGER IF EXISTS timeline_no_delete;",
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
    dependencies = [("timeline", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
