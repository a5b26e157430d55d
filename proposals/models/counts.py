"""The kept numbers of published proposals per cell of Bovaird's matrix."""
import time

from django.core.cache import cache
from django.db import models, transaction

from .proposals import Proposal


# The kept numbers of published proposals per cell of the matrix. Counting 100,000 rows per view is
# too slow for the matrix page and the list totals, so the counts are kept in the cache under a
# generation number; the services start a new generation after any commit that moves a proposal
# into or out of the matrix (forget_mode_counts). A reader that counted from rows older than that
# commit stores its numbers under the old generation, where nobody reads them again. Kept numbers
# are also counted anew after an hour, which bounds what a change outside the services (an
# organisation deleted with its proposals) leaves wrong, and lets old generations leave the cache.
MODE_COUNTS_GENERATION_KEY = "proposals:mode-counts:generation"
MODE_COUNTS_KEPT_FOR = 60 * 60


def kept_mode_counts(*, include_hidden=False):
    """{(planning, delivery): number} of published proposals, hidden ones only with ``include_hidden``."""
    generation = cache.get(MODE_COUNTS_GENERATION_KEY)
    if generation is None:
        # A new number, never an old one: counts kept under an evicted generation stay unread.
        cache.add(MODE_COUNTS_GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(MODE_COUNTS_GENERATION_KEY)
    key = f"proposals:mode-counts:{generation}"
    counts = cache.get(key)
    if counts is None:
        rows = (
            Proposal.objects.published().order_by().values("planning", "delivery", "is_hidden")
            .annotate(total=models.Count("id"))
        )
        counts = {(row["planning"], row["delivery"], row["is_hidden"]): row["total"] for row in rows}
        cache.set(key, counts, timeout=MODE_COUNTS_KEPT_FOR)
    by_mode = {}
    for (planning, delivery, hidden), number in counts.items():
        if include_hidden or not hidden:
            by_mode[(planning, delivery)] = by_mode.get((planning, delivery), 0) + number
    return by_mode


def kept_total(*, planning=None, delivery=None, include_hidden=False):
    """The kept number of published proposals in this mode; None for planning or delivery means any."""
    counts = kept_mode_counts(include_hidden=include_hidden)
    return sum(number for (cell_planning, cell_delivery), number in counts.items()
               if planning in (None, cell_planning) and delivery in (None, cell_delivery))


def forget_mode_counts():
    """Called by the services and the back office's deletions after any change that moves a proposal
    into or out of the matrix: once it commits, the counts are read anew."""
    transaction.on_commit(_next_mode_counts_generation)


def _next_mode_counts_generation():
    try:
        cache.incr(MODE_COUNTS_GENERATION_KEY)
    except ValueError:  # no generation kept: the next reader starts one
        pass
