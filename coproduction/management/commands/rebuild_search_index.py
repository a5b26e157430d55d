"""Indexes every searchable object again (coproduction.search), for after bulk writes.

On SQLite it rewrites the FTS5 table; on PostgreSQL the vectors the core keeps (and, with
``--all``, also those the apps' services keep: proposals and wiki pages).
"""
from django.core.management.base import BaseCommand
from django.db import transaction

from coproduction.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the site-wide search index from the data."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true",
                            help="on PostgreSQL, also recompute the vectors the apps' own services keep")

    def handle(self, *args, all=False, **options):
        with transaction.atomic():
            counts = rebuild(everything=all)
        self.stdout.write(", ".join(f"{label}: {count}" for label, count in counts.items()) or "nothing to index")
