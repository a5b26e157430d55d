"""The site-wide search's FTS5 table of stemmed text, on SQLite only (PostgreSQL searches tsvectors)."""
from django.db import migrations

from coproduction.search import fts


def create_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            fts.create(cursor)


def drop_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            fts.drop(cursor)


class Migration(migrations.Migration):
    dependencies = [("coproduction", "0002_pictures")]
    operations = [migrations.RunPython(create_table, drop_table)]
