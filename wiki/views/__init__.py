"""The wiki pages; see spaces.py and pages.py."""
from .pages import (
    page_backlinks, page_detail, page_diff, page_edit, page_history, page_new, page_revert, page_watch,
)
from .spaces import changes, handover, review, search, space_changes, space_detail, space_list, space_watch

__all__ = [
    "changes", "handover", "page_backlinks", "page_detail", "page_diff", "page_edit", "page_history", "page_new",
    "page_revert", "page_watch", "review", "search", "space_changes", "space_detail", "space_list", "space_watch",
]
