"""What waits in the back office about wiki pages (stakeholders.start_page)."""
from django.utils.translation import ngettext

from stakeholders.start_page import Need

from .models import Page

ATTENTION = [
    Need(
        code="wiki-handover",
        label=lambda n: ngettext("wiki page to hand over (its owner left)", "wiki pages to hand over (their owners left)", n),
        rows=lambda: Page.objects.owned_by_leavers(),
        organisation="space__organisation",
        changelist="admin:wiki_page_changelist",
        filters={"need": "handover"},
        order=80,
    ),
    Need(
        code="wiki-review",
        label=lambda n: ngettext("wiki page to review (unchanged for a year)",
                                 "wiki pages to review (unchanged for a year)", n),
        rows=lambda now: Page.objects.needs_review(now),
        organisation="space__organisation",
        changelist="admin:wiki_page_changelist",
        filters={"need": "review"},
        order=85,
    ),
]
