"""Who has a page open in the editor right now, to warn others editing at the same time.

Opening the editor is a GET, and a GET never writes to the database: the marks live in the shared
cache (CACHE_URL; Redis in production), one entry per page, and vanish by themselves after ten
minutes. Two people opening the same page in the same instant may both not see each other: the
warning is a courtesy, the three-way merge on saving is what keeps edits from being lost.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

RECENT = timedelta(minutes=10)
SHOWN = 10


@dataclass(frozen=True)
class Editor:
    display_name: str
    opened_at: datetime


def _key(page):
    return f"wiki:editing:{page.pk}"


def _recent(page, now):
    return {user_id: editor for user_id, editor in (cache.get(_key(page)) or {}).items()
            if editor.opened_at >= now - RECENT}


def editing_open(*, page, user):
    """Marks ``user`` as editing ``page``; returns the others who opened it recently, newest first."""
    now = timezone.now()
    editors = _recent(page, now)
    others = sorted((editor for user_id, editor in editors.items() if user_id != user.pk),
                    key=lambda editor: editor.opened_at, reverse=True)[:SHOWN]
    editors[user.pk] = Editor(user.display_name, now)
    cache.set(_key(page), editors, int(RECENT.total_seconds()))
    return others


def editing_close(*, page, user):
    """Saving ends one's mark: the others are no longer warned about an editor who is done."""
    editors = _recent(page, timezone.now())
    if editors.pop(user.pk, None) is not None:
        cache.set(_key(page), editors, int(RECENT.total_seconds()))
