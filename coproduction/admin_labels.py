"""How the back office names and writes things: filter titles that read after "By"/"Nach", amounts in euros.

Field names are written for forms ("who plans"); the admin puts a filter's title after "By …" ("Nach …"
in German), where such a label is no longer a sentence. ``titled`` gives a list filter a title of its
own, translated with the context "admin filter" so German can decline it after "nach" (dative).
"""
from django.contrib import admin
from django.contrib.admin.filters import FieldListFilter

from .formatting import format_euros


class _TitledFieldFilter(FieldListFilter):
    """Django's own filter for the field, under another title."""
    filter_title = None

    def __new__(cls, field, request, params, model, model_admin, field_path):
        spec = FieldListFilter.create(field, request, params, model, model_admin, field_path)
        spec.title = cls.filter_title
        return spec


def titled(field_path, title):
    """A ``list_filter`` entry for ``field_path`` shown as "By <title>"."""
    return field_path, type("TitledFieldFilter", (_TitledFieldFilter,), {"filter_title": title})


def euros(model, field_name):
    """A column or read-only value showing the amount ``field_name`` as people read it in their language,
    "12.345,00 €" or "12,345.00 €", under the field's own label. Set it on the ModelAdmin as
    ``<field_name>_in_euros = euros(Model, "<field_name>")`` and name that in the lists of fields."""

    @admin.display(description=model._meta.get_field(field_name).verbose_name, ordering=field_name)
    def show(*args):  # (model_admin, obj) as a ModelAdmin's attribute
        value = getattr(args[-1], field_name)
        return None if value is None else format_euros(value)

    return show
