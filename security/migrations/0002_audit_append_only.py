"""The audit log is append-only for the database itself on PostgreSQL: a trigger refuses every UPDATE and
DELETE of its rows, whatever the role (a superuser included), and the application's own role loses the
UPDATE and DELETE privileges. Emptying it takes a TRUNCATE by a DBA (the test suite's flush does that)."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION security_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'security_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS security_auditentry_append_only ON security_auditentry;
CREATE TRIGGER security_auditentry_append_only
    BEFORE UPDATE OR DELETE ON security_auditentry
    FOR EACH ROW EXECUTE FUNCTION security_auditentry_append_only();
REVOKE UPDATE, DELETE ON security_auditentry FROM CURRENT_USER;
"""

DROP = """
DROP TRIGGER IF EXISTS security_auditentry_append_only ON security_auditentry;
DROP FUNCTION IF EXISTS security_auditentry_append_only();
GRANT UPDATE, DELETE ON security_auditentry TO CURRENT_USER;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
