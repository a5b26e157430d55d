"""Parts that apps contribute to pages they do not own, declared in each app's ``pages.py``.

A page that shows a *slot* (``"proposal"``, ``"organisation"``, …) renders, in order, every panel
registered for it; the page's app never names the apps that contribute. In ``pages.py``:

- ``panel(slot, name, template=..., context=..., order=100, related=(), stylesheet=None)``:
  ``context(request, obj, bound)`` returns the panel's template context, or None when the panel
  has nothing to show for ``obj``. ``bound`` is what a refused POST sends back for this panel:
  the page's view renders with ``bound_panels={panel name: form or dict of forms}``, so the
  panel shows them with their errors instead of empty ones. ``related`` names relations of
  ``obj`` the panel reads; the page loads them with the object (``related_of(slot)`` in its
  ``select_related``), so the panel asks no query for them. ``stylesheet`` (a static path) is
  linked once, before the first panel shown that needs it.
- ``matrix_counter(name, count)``: ``count()`` returns {(planning, delivery): number}; the matrix
  page adds up every app's counts per cell.
- ``district_source(name, names)``: ``names()`` returns the districts the app knows (those a
  budget is limited to, say); people choose where they live from all of them (stakeholders.districts).

The home page (coproduction.views.home) shows the slots "for-you" (someone signed in: what waits for
them), "home" (what is happening now, then the organisations) and "home-figures" (one ``.stat`` each,
counted with ``kept_figure``); My area (/me/) shows the slot "me", whose panels read only the signed-in
person's own records.

Panels load what they show in a constant number of queries, whatever the object's history.
"""
from dataclasses import dataclass
from typing import Callable

from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    context: Callable
    order: int = 100
    related: tuple = ()
    stylesheet: str | None = None


PANELS: dict[str, list[Panel]] = {}
MATRIX_COUNTERS: dict[str, Callable] = {}
DISTRICT_SOURCES: dict[str, Callable] = {}


def signed_in(request):
    """The person signed in on ``request``, or None: what "for you" and My area panels start from."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def panel(slot, name, *, template, context, order=100, related=(), stylesheet=None):
    panels = PANELS.setdefault(slot, [])
    if any(existing.name == name for existing in panels):
        raise ValueError(f"Two panels named {name!r} on {slot!r}")
    panels.append(Panel(slot, name, template, context, order, tuple(related), stylesheet))
    panels.sort(key=lambda item: (item.order, item.name))


def matrix_counter(name, count):
    if name in MATRIX_COUNTERS:
        raise ValueError(f"Two matrix counters named {name!r}")
    MATRIX_COUNTERS[name] = count


def district_source(name, names):
    if name in DISTRICT_SOURCES:
        raise ValueError(f"Two district sources named {name!r}")
    DISTRICT_SOURCES[name] = names


def district_names():
    """Every district some app knows of, as the apps name them (one query a source)."""
    return {name for names in DISTRICT_SOURCES.values() for name in names()}


# Figures of the home page are counted by one aggregate query each and kept this long (seconds): a
# figure may be that much behind, and the home page asks no query for it in between.
FIGURES_KEPT_FOR = 10 * 60


def kept_figure(key, compute):
    """The figure ``compute()`` counts, kept in the cache for FIGURES_KEPT_FOR seconds."""
    return cache.get_or_set(f"home-figures:{key}", compute, FIGURES_KEPT_FOR)


def panels_of(slot):
    return PANELS.get(slot, [])


def related_of(slot):
    """The relations the panels of ``slot`` read of the page's object, for its ``select_related``."""
    return [relation for item in panels_of(slot) for relation in item.related]


def render_panels(slot, request, obj, bound=None):
    """The HTML of every panel of ``slot`` that has something to show for ``obj``."""
    parts, linked = [], set()
    for item in panels_of(slot):
        context = item.context(request, obj, (bound or {}).get(item.name))
        if context is None:
            continue
        if item.stylesheet and item.stylesheet not in linked:
            linked.add(item.stylesheet)
            parts.append(format_html('<link rel="stylesheet" href="{}">', static(item.stylesheet)))
        parts.append(render_to_string(item.template, context, request=request))
    return mark_safe("".join(parts))


def cell_counts():
    """{(planning, delivery): number} summed over every app's matrix counter."""
    totals = {}
    for count in MATRIX_COUNTERS.values():
        for cell, number in count().items():
            totals[cell] = totals.get(cell, 0) + number
    return totals
