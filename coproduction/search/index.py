"""Keeping the search index in step with the data, on every save and delete.

``connect()`` (run once when the platform starts) listens to saves and deletes of every declared
``Document``'s model: a save costs one more statement whatever the size of the data (PostgreSQL:
an UPDATE of the row's ``search_vector``, unless the app's services keep it; SQLite: replacing
the object's row in the FTS5 table), inside the same transaction as the save. Bulk writes pass no
signals; ``rebuild`` (``manage.py rebuild_search_index``) makes the index whole again.
"""
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import TextField, Value
from django.db.models.signals import post_delete, post_save

from . import declared, fts

REBUILD_BATCH = 500


def vector_of(document, obj):
    """The PostgreSQL expression of the weighted German tsvector of ``obj``."""
    texts = document.texts_of(obj)
    parts = [SearchVector(Value(texts.get(weight) or "", output_field=TextField()), weight=weight, config="german")
             for weight in ("A", "B", "C") if weight in texts]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    return vector


def write(document, obj):
    if connection.vendor == "postgresql":
        if document.keeps_vector:
            document.model._base_manager.filter(pk=obj.pk).update(search_vector=vector_of(document, obj))
    elif connection.vendor == "sqlite" and obj.pk < fts.SPAN:  # larger keys: see fts.put
        with connection.cursor() as cursor:
            fts.put(cursor, document.label, obj.pk, document.texts_of(obj))


def forget(document, pk):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            fts.remove(cursor, document.label, pk)


def _saved(document):
    def receiver(sender, instance, raw=False, update_fields=None, **kwargs):
        if not raw and document.concerns(update_fields):
            write(document, instance)
    return receiver


def _deleted(document):
    def receiver(sender, instance, **kwargs):
        forget(document, instance.pk)
    return receiver


def connect():
    for document in declared()[0]:
        uid = f"search-index:{document.label}"
        post_save.connect(_saved(document), sender=document.model, weak=False, dispatch_uid=uid)
        post_delete.connect(_deleted(document), sender=document.model, weak=False, dispatch_uid=uid)


def sync_after_migrate(sender=None, using="default", **kwargs):
    """After ``migrate`` or ``flush`` on SQLite, an index that plainly disagrees with the data is redone.

    An empty index of a database with content (a local installation made before the search
    existed) is filled; an index left over after ``flush`` emptied the tables (the FTS5 table is
    no model, so flush does not know it) is emptied. Two cheap reads otherwise.
    """
    from django.db import connections

    connection_ = connections[using]
    if connection_.vendor != "sqlite":
        return
    with connection_.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [fts.TABLE])
        if cursor.fetchone() is None:
            return
        cursor.execute(f"SELECT 1 FROM {fts.TABLE} LIMIT 1")
        indexed = cursor.fetchone() is not None
        content = any(document.model._base_manager.using(using).exists() for document in declared()[0])
        if indexed and not content:
            cursor.execute(f"DELETE FROM {fts.TABLE}")
    if content and not indexed:
        rebuild()


def rebuild(labels=None, everything=False):
    """Indexes every declared document again (only those of ``labels`` if given); {label: count}.

    On PostgreSQL the vectors the apps' own services keep are left alone unless ``everything``.
    """
    counts = {}
    for document in declared()[0]:
        if labels and document.label not in labels:
            continue
        if connection.vendor == "postgresql" and not (document.keeps_vector or everything):
            continue
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                fts.clear(cursor, document.label)
        count = 0
        queryset = document.model._base_manager.select_related(*document.related).order_by("pk")
        for obj in queryset.iterator(chunk_size=REBUILD_BATCH):
            if connection.vendor == "postgresql":
                document.model._base_manager.filter(pk=obj.pk).update(search_vector=vector_of(document, obj))
            else:
                write(document, obj)
            count += 1
        counts[document.label] = count
    return counts
