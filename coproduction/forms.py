from datetime import date

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from .models import AccessibilityFeedback


class AccessibilityFeedbackForm(forms.ModelForm):
    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page_url", "name", "email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}


# Dates a person may enter anywhere on the site: wide enough for any real period, narrow enough that
# a day added to the last one, or its midnight in any time zone, still exists.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


class BoundedDateField(forms.DateField):
    """A date field that refuses dates outside [EARLIEST_DATE, LATEST_DATE] with a message, instead of
    letting 9999-12-31 reach date arithmetic and overflow."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(MinValueValidator(EARLIEST_DATE))
        self.validators.append(MaxValueValidator(LATEST_DATE))
        # The browser's date picker offers only what the server accepts.
        self.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
        self.widget.attrs.setdefault("max", LATEST_DATE.isoformat())


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField
