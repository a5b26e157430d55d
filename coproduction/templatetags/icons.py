"""{% load icons %}{% icon "hand-thumb-up" %}: one of heroicons' pictures as inline SVG, beside a word.

Every icon is decorative (``aria-hidden``), sized by the text around it (class ``icon``). heroicons builds
the SVG afresh for each use; the markup depends on nothing but the name and the style, so it is built
once per process and reused on every row of every list.
"""
from functools import cache

from django import template
from django.utils.safestring import mark_safe
from heroicons import _render_icon

register = template.Library()


@cache
def icon_markup(name, style="outline"):
    return mark_safe(_render_icon(style, name, None, {"class": "icon", "aria_hidden": "true"}))


@register.simple_tag
def icon(name, solid=False):
    return icon_markup(name, "solid" if solid else "outline")
