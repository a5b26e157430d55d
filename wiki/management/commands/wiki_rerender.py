"""Renders every wiki page again from its current revision, in chunks.

Run it after changing the Markdown extensions or the sanitiser's allow-list (wiki/rendering.py),
so the stored HTML everywhere is what the current rules produce.
"""
from django.core.management.base import BaseCommand
from django.db import transaction

from wiki import services
from wiki.models import Page

CHUNK = 200


class Command(BaseCommand):
    help = "Render all wiki pages again from their current revisions."

    def handle(self, *args, **options):
        ids = list(Page.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            with transaction.atomic():
                for page in Page.objects.filter(pk__in=ids[start:start + CHUNK]).select_related("space", "current_revision"):
                    services.page_rerender(page=page)
        self.stdout.write(self.style.SUCCESS(f"Rendered {len(ids)} pages again."))
