"""Filters for the API that refuse what they do not understand, rather than ignore it."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class IdFilter(django_filters.NumberFilter):
    """A whole number naming a row; anything else is refused."""

    field_class = forms.IntegerField


class YesNoField(forms.NullBooleanField):
    """true or false (also 1 or 0); left out means no filter; anything else is refused."""

    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(_("Say true or false."), code="invalid") from None


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter for the API, which refuses a value it does not understand rather than ignore it."""

    field_class = YesNoField
