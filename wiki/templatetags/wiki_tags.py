"""Showing stored page HTML: sanitised when it was saved, completed here in the reader's language."""
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..rendering import MISSING_MARKER

register = template.Library()


@register.filter
def wiki_html(stored):
    """Page HTML from the services' renderer (never user input directly), with missing-page notes filled in."""
    note = format_html('<span class="visually-hidden"> {}</span>', _("(page does not exist yet)"))
    return mark_safe(stored.replace(MISSING_MARKER, note))  # noqa: S308 – sanitised by nh3 when it was saved
