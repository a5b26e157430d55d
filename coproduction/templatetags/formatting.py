"""{% load formatting %}: values as people read them in the active language (see coproduction.formatting)."""
from django import template
from django.utils.html import format_html

from ..formatting import format_euros

register = template.Library()


@register.filter
def euros(amount):
    """1234.5 → “1.234,50 €” (German) or “1,234.50 €” (English); no break before the sign."""
    if amount in (None, ""):
        return ""
    return format_html("{}", format_euros(amount))
