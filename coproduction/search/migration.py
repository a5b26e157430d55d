"""The migration step that gives a model its German full-text vector on PostgreSQL.

``german_vector(model_name, table, index, weights)`` returns the operations: the ``search_vector``
column, a GIN index on it and the vectors of the rows that exist, each field weighted as given
(``{"title": "A", "purpose": "B"}``). From then on coproduction.search writes the vector on every
save. SQLite keeps the column unused: its search reads the FTS5 table of coproduction.search.fts.
Migrations call this with fixed arguments, so what a past migration did does not change.
"""
from django.contrib.postgres.search import SearchVectorField
from django.db import migrations


def german_vector(model_name, table, index, weights):
    vector = " || ".join(
        f"setweight(to_tsvector('german', coalesce({field}, '')), '{weight}')" for field, weight in weights.items()
    )

    def index_and_fill(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_vector)")
            schema_editor.execute(f"UPDATE {table} SET search_vector = {vector}")

    def drop_index(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    return [
        migrations.AddField(
            model_name=model_name, name="search_vector", field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_and_fill, drop_index),
    ]
