"""The form for sending a proposal into a participatory budget. It only parses and checks input
for the person's sake; budgets.services.entry_submit decides and writes (and checks the same again).

Forms of the ballot live in budgets.voting_forms.
"""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from coproduction.formatting import amount, field_label
from proposals.forms import ModeForm
from proposals.models import Proposal


class EuroField(forms.DecimalField):
    """Euros as people type them: "1500", "1500,50", "1.500 €", "1.500,50" (German) or "1,500.50" (English).

    A single separator followed by exactly three digits is read as grouping in the language that groups
    with it ("1.500" is 1500 € in German, "1,500" in English); otherwise a single separator marks the cents.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(max_digits=12, decimal_places=2, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = self.plain(value)
        return super().to_python(value)

    @staticmethod
    def plain(value):
        """The typed amount with "." as the only (decimal) separator."""
        value = re.sub(r"[\s\u00a0\u202f€]", "", value).removeprefix("EUR").removesuffix("EUR")
        if "," in value and "." in value:
            decimal, grouping = (",", ".") if value.rfind(",") > value.rfind(".") else (".", ",")
            return value.replace(grouping, "").replace(decimal, ".")
        for separator in (",", "."):
            count = value.count(separator)
            if count > 1:  # 1.500.000 or 1,500,000
                return value.replace(separator, "")
            if count == 1:
                grouping = get_format("THOUSAND_SEPARATOR")
                if separator == grouping and re.fullmatch(r"-?\d{1,3}[.,]\d{3}", value):
                    return value.replace(separator, "")
                return value.replace(separator, ".")
        return value


class ProposeForm(ModeForm):
    """A proposal for the budget: what it is, who plans and delivers it (the fields and radio groups of
    proposals.forms.ModeForm), what it would cost, where."""

    title = forms.CharField(
        label=field_label(Proposal, "title"), max_length=160,
        error_messages={"required": _("Give your proposal a short title.")},
    )
    summary = forms.CharField(
        label=field_label(Proposal, "summary"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three short sentences that everyone understands. At most 300 characters."),
        error_messages={"required": _("Sum up your proposal in two or three sentences.")},
    )
    text = forms.CharField(
        label=field_label(Proposal, "text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What should happen, for whom, and why. At most 10,000 characters."),
        error_messages={"required": _("Describe what should happen, for whom, and why.")},
    )
    estimated_cost = EuroField(
        label=field_label(Proposal, "estimated_cost"),
        error_messages={"required": _("Say roughly what it would cost."),
                        "invalid": _("Write the cost as a number of euros, for example 1500 or 1500,50."),
                        "max_digits": _("Write the cost as a number of euros, for example 1500 or 1500,50."),
                        "max_whole_digits": _("Write the cost as a number of euros, for example 1500 or 1500,50."),
                        "max_decimal_places": _("Give the cost in whole euros and cents, at most two decimal places.")},
    )
    district = forms.ChoiceField(
        label=field_label(Proposal, "district"),
        error_messages={"required": _("Choose the district your proposal is for."),
                        "invalid_choice": _("Choose one of the districts of this budget.")},
    )

    field_order = ("title", "summary", "text", *ModeForm.MODE_FIELDS, "estimated_cost", "district")

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        self.fields["estimated_cost"].help_text = _(
            "Your rough estimate in euros. Staff check it during the review and set the final cost. "
            "It cannot be more than the whole budget of %(total)s €."
        ) % {"total": amount(process.total_amount)}
        districts = process.district_list
        if districts:
            self.fields["district"].choices = [("", _("Choose a district")), *[(d, d) for d in districts]]
            self.fields["district"].help_text = _("Where your proposal would happen.")
        else:
            del self.fields["district"]

    def clean_estimated_cost(self):
        cost = self.cleaned_data["estimated_cost"]
        if cost <= 0:
            raise ValidationError(_("The cost must be more than 0 €."))
        if cost > self.process.total_amount:
            raise ValidationError(
                _("The cost cannot be more than the whole budget of %(total)s €.")
                % {"total": amount(self.process.total_amount)}
            )
        return cost

    def text_fields(self):
        """The fields shown as labelled inputs (includes/field.html), in order; the mode fields are radio groups."""
        return [self[name] for name in self.fields if name not in self.MODE_FIELDS]

    def error_summary(self):
        """Each field with an error, with the id of the input to jump to, for the list above the form."""
        summary = []
        for name in self.fields:
            field = self[name]
            if field.errors:
                target = f"{field.auto_id}_0" if name in self.MODE_FIELDS else field.id_for_label
                summary.append({"id": target, "label": field.label, "error": field.errors[0]})
        return summary

    def submit_data(self):
        """The keyword arguments of services.entry_submit, apart from process and author."""
        data = self.cleaned_data
        return {"title": data["title"], "summary": data["summary"], "text": data["text"],
                "planning": data["planning"], "delivery": data["delivery"],
                "estimated_cost": data["estimated_cost"], "district": data.get("district", "")}
