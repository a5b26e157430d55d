"""Forms of what became of a proposal, on its page: progress updates by staff and evaluations.
They only parse input; the services decide and write."""
from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.formatting import field_label as _label

from .models import Evaluation, Implementation, ImplementationUpdate

PROGRESS_RANGE = _("Progress is a whole number from 0 to 100.")
ENDED = [Implementation.Status.COMPLETED, Implementation.Status.STOPPED]


class UpdateForm(forms.Form):
    """A public progress update by staff of the proposal's organisation."""

    text = forms.CharField(
        label=_label(ImplementationUpdate, "text"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown in public under the proposal. At most 3,000 characters."),
        error_messages={"required": _("Write what happened.")},
    )
    status = forms.ChoiceField(
        label=_label(ImplementationUpdate, "status"), choices=Implementation.Status.choices,
        error_messages={"invalid_choice": _("Choose one of the offered steps."),
                        "required": _("Choose one of the offered steps.")},
    )
    progress = forms.IntegerField(
        label=_label(ImplementationUpdate, "progress"), min_value=0, max_value=100,
        help_text=_("A whole number from 0 to 100. Completed means 100."),
        error_messages={"invalid": PROGRESS_RANGE, "required": PROGRESS_RANGE, "min_value": PROGRESS_RANGE,
                        "max_value": PROGRESS_RANGE},
    )

    def __init__(self, *args, implementation=None, **kwargs):
        kwargs.setdefault("auto_id", "id_update_%s")
        if implementation is not None and "initial" not in kwargs:
            kwargs["initial"] = {"status": implementation.status, "progress": implementation.progress}
        super().__init__(*args, **kwargs)
        if implementation is not None and implementation.status in ENDED:
            # An ended implementation keeps its status; staff can still add what happened since.
            self.fields["status"].choices = [(implementation.status, implementation.get_status_display())]
        self.fields["progress"].widget.attrs.update({"inputmode": "numeric", "step": "1"})


RATINGS = [
    (1, _("1 – not at all")),
    (2, _("2 – a little")),
    (3, _("3 – somewhat")),
    (4, _("4 – a lot")),
    (5, _("5 – very much")),
]


class EvaluationForm(forms.Form):
    """After completion: did it help? 1 to 5 and an optional comment."""

    rating = forms.TypedChoiceField(
        label=_label(Evaluation, "rating"), choices=RATINGS, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5."), "invalid_choice": _("Choose from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_label(Evaluation, "comment"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Shown in public without your name. At most 1,000 characters."),
        error_messages={"max_length": _("Keep the comment to 1,000 characters.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_evaluation_%s")
        super().__init__(*args, **kwargs)
