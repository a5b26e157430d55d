from django import forms
from django.utils.translation import gettext_lazy as _

from .channels import Channel
from .registry import categories


class PreferencesForm(forms.Form):
    """One choice per category: how the person hears about it."""

    def __init__(self, *args, current, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        for category in categories():
            if category.for_staff and not staff:
                continue
            self.fields[category.code] = forms.ChoiceField(
                label=category.label, choices=Channel.choices, initial=current[category.code],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how you want to hear about this."),
                                "invalid_choice": _("Choose one of the offered ways.")},
            )
