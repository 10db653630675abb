"""The database itself refuses to change or delete a case event (not only the model).

PostgreSQL: a trigger raises on UPDATE and DELETE (TRUNCATE, used by test flushes, is a
statement on the whole table and stays possible for the owner). SQLite: a trigger raises on
UPDATE; DELETE stays possible because Django's test flush deletes rows, and the model refuses it.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION cases_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_event_no_update BEFORE UPDATE OR DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION cases_event_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS cases_event_no_update ON cases_caseevent;
DROP FUNCTION IF EXISTS cases_event_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER cases_event_no_update BEFORE UPDATE ON cases_caseevent
BEGIN
    SELECT RAISE(ABORT, 'case events are append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS cases_event_no_update;"


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
