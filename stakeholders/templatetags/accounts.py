"""{% confirm_again %}: the form for a new confirmation link, where allauth's link no longer works."""
from django import template

from ..confirmation import confirm_again_context

register = template.Library()


@register.inclusion_tag("account/_confirm_again.html", takes_context=True)
def confirm_again(context):
    return confirm_again_context(context["request"], from_link=True)
