"""Parts that apps contribute to pages they do not own, declared in each app's ``pages.py``.

A page that shows a *slot* (``"proposal"``, ``"organisation"``, …) renders, in order, every panel
registered for it; the page's app never names the apps that contribute. In ``pages.py``:

- ``panel(slot, name, template=..., context=..., order=100)``: ``context(request, obj, bound)``
  returns the panel's template context, or None when the panel has nothing to show for ``obj``.
  ``bound`` holds the forms a refused POST sends back to the page, by panel name, so the panel
  shows them with their errors instead of empty ones.
- ``matrix_counter(name, count)``: ``count()`` returns {(planning, delivery): number}; the matrix
  page adds up every app's counts per cell.

Panels load what they show in a constant number of queries, whatever the object's history.
"""
from dataclasses import dataclass
from typing import Callable

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    context: Callable
    order: int = 100


PANELS: dict[str, list[Panel]] = {}
MATRIX_COUNTERS: dict[str, Callable] = {}


def panel(slot, name, *, template, context, order=100):
    panels = PANELS.setdefault(slot, [])
    if any(existing.name == name for existing in panels):
        raise ValueError(f"Two panels named {name!r} on {slot!r}")
    panels.append(Panel(slot, name, template, context, order))
    panels.sort(key=lambda item: (item.order, item.name))


def matrix_counter(name, count):
    if name in MATRIX_COUNTERS:
        raise ValueError(f"Two matrix counters named {name!r}")
    MATRIX_COUNTERS[name] = count


def panels_of(slot):
    return PANELS.get(slot, [])


def render_panels(slot, request, obj, bound=None):
    """The HTML of every panel of ``slot`` that has something to show for ``obj``."""
    parts = []
    for item in panels_of(slot):
        context = item.context(request, obj, (bound or {}).get(item.name))
        if context is not None:
            parts.append(render_to_string(item.template, context, request=request))
    return mark_safe("".join(parts))


def cell_counts():
    """{(planning, delivery): number} summed over every app's matrix counter."""
    totals = {}
    for count in MATRIX_COUNTERS.values():
        for cell, number in count().items():
            totals[cell] = totals.get(cell, 0) + number
    return totals
