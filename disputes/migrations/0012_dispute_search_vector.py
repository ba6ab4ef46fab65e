"""The search text's vector as a stored generated column, and the GIN index on it instead of on the
expression: a search that walks rows (a common term beside the list's order) reads the stored vector
instead of parsing each row's text again (docs/performance.md). PostgreSQL only for the index; on
SQLite the column is a copy of the text, never read."""

import django.contrib.postgres.search
from django.db import migrations, models

import disputes.search

INDEX = "disputes_dispute_search_gin"


def index_the_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"CREATE INDEX {INDEX} ON disputes_dispute USING gin (search_vector)")


def index_the_expression(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON disputes_dispute "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0011_dispute_next_due_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="dispute",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=disputes.search.SimpleSearchVector("search_text"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
                verbose_name="search vector",
                help_text="The search text as the database's full-text search reads it (kept by the database).",
            ),
        ),
        migrations.RunPython(index_the_column, index_the_expression),
    ]
