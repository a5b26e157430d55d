"""Forms of the public ballot. They only parse input; the services decide and write."""
from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.formatting import field_label as _label

from .models import Ballot

PICKS_REFUSED = _("You can only choose feasible proposals of this budget.")


class BallotForm(forms.Form):
    """The picks (entry ids) and, where only residents vote, the district the person lives in.

    Which ids are allowed and whether they fit the budget is the service's decision; the form
    only turns the submitted values into numbers.
    """

    district = forms.CharField(label=_label(Ballot, "district"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_ids = []

    def clean(self):
        cleaned = super().clean()
        try:
            self.entry_ids = sorted({int(value) for value in self.data.getlist("entries")})
        except (TypeError, ValueError):
            raise forms.ValidationError(PICKS_REFUSED, code="picks") from None
        if any(pk <= 0 for pk in self.entry_ids):
            raise forms.ValidationError(PICKS_REFUSED, code="picks")
        return cleaned

    def submitted_ids(self):
        """The ids as submitted, to show the person's choice again; unreadable values are left out."""
        return {int(value) for value in self.data.getlist("entries") if value.isdigit()}
