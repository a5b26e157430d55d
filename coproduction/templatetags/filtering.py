"""Template help for list pages' filter forms."""
from django import template

register = template.Library()


@register.filter
def active_filter_count(form):
    """How many of a bound filter form's fields hold a value, shown beside the folded "Filter" button."""
    if form is None or not getattr(form, "is_bound", False):
        return 0
    count = 0
    for name in form.fields:
        raw = form.data.getlist(form.add_prefix(name)) if hasattr(form.data, "getlist") else [form.data.get(form.add_prefix(name))]
        values = [value for value in raw if value and str(value).strip()]
        if values:
            count += 1
    return count
