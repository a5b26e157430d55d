"""{% load fragments %}{% fragment proposal form=filter.form %}…{% endfragment %}: a part of a page kept once rendered.

The body sees only the values named in the tag (a positional value under its own name), renders
without the database and is kept under the state of those values; see ``coproduction.fragments``.
Whatever the body shows must come from these values: no ``request``, ``user``, ``csrf_token`` or
loop variables of the page around it.
"""
import itertools

from django import template
from django.template.base import token_kwargs

from coproduction import fragments

register = template.Library()
_serials = itertools.count()


class FragmentNode(template.Node):
    def __init__(self, values, nodelist):
        self.values = values
        self.nodelist = nodelist
        self.serial = next(_serials)

    def render(self, context):
        values = {name: expression.resolve(context) for name, expression in self.values.items()}
        key = (self.serial, fragments.context_key(), tuple((name, fragments.state(value)) for name, value in values.items()))
        inner = context.new(values)
        return fragments.render(key, lambda: self.nodelist.render(inner))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()[1:]
    values = {}
    for bit in bits:
        named = token_kwargs([bit], parser)
        if named:
            values.update(named)
        elif bit.isidentifier():
            values[bit] = parser.compile_filter(bit)
        else:
            raise template.TemplateSyntaxError(f"fragment takes plain names or name=value, not {bit!r}")
    if not values:
        raise template.TemplateSyntaxError("fragment needs at least one value to be keyed by")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(values, nodelist)
