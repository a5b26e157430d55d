"""{% panels "slot" obj %}: the parts other apps contribute to this page (see coproduction.pages)."""
from django import template

from .. import pages

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, obj):
    return pages.render_panels(slot, context.get("request"), obj, context.get("bound_panels"))
