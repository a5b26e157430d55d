"""Every change to the wiki. Views, admin, the demo seed and tasks call these.

Saving is guarded: a revision is written only if the page's current revision is still the one
the editor started from (checked under a row lock), so of two simultaneous saves exactly one
wins and the other gets an EditConflict carrying a three-way merge.
"""
from .checks import clean_text, clean_title
from .errors import EditConflict, WikiError
from .links import page_rerender, render_text
from .pages import page_create, page_revert, page_save_revision, pages_delete
from .people import check_owner, page_unwatch, page_watch, pages_hand_over, space_unwatch, space_watch

__all__ = [
    "EditConflict", "WikiError", "check_owner", "clean_text", "clean_title", "page_create",
    "page_rerender", "page_revert", "page_save_revision", "page_unwatch", "page_watch", "pages_delete",
    "pages_hand_over", "render_text", "space_unwatch", "space_watch",
]
