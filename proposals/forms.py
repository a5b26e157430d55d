"""Forms of the public proposal pages. They only parse input; the services decide and write."""
from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.formatting import field_label
from coproduction.images import PicturesFormMixin
from coproduction.modes import Delivery, Planning
from stakeholders.models import Organisation

from .models import Call, Category, Comment, Pledge, Proposal, Report


class OpenCallField(forms.ModelChoiceField):
    def label_from_instance(self, call):
        return f"{call.title} ({call.organisation.name})"


class ProposalForm(PicturesFormMixin, forms.Form):
    """What a proposal says and whom it belongs to; its co-production mode is ModeForm."""

    pictures = {"image": _("Picture (optional)")}

    title = forms.CharField(label=field_label(Proposal, "title"), max_length=160)
    summary = forms.CharField(
        label=field_label(Proposal, "summary"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three short sentences that everyone understands. At most 300 characters."),
    )
    text = forms.CharField(
        label=field_label(Proposal, "text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What should happen, for whom, and why. At most 10,000 characters."),
    )
    organisation = forms.ModelChoiceField(
        label=field_label(Proposal, "organisation"), queryset=Organisation.objects.only("id", "name"),
        help_text=_("The organisation you address with this proposal."),
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label=field_label(Proposal, "partner_organisations"), queryset=Organisation.objects.only("id", "name"),
        required=False, widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_(
            "Optional. Other organisations that would share this proposal. Hold Ctrl (or Cmd) to choose several."
        ),
    )
    call = OpenCallField(
        label=field_label(Proposal, "call"), queryset=Call.objects.none(), required=False,
        empty_label=_("No call – my own idea"),
        error_messages={"invalid_choice": _("This call for ideas is closed or does not exist.")},
    )
    category = forms.ModelChoiceField(
        label=field_label(Proposal, "category"), queryset=Category.objects.all(), required=False,
        empty_label=_("No category"),
    )
    district = forms.CharField(label=field_label(Proposal, "district"), max_length=100, required=False)
    estimated_cost = forms.DecimalField(
        label=field_label(Proposal, "estimated_cost"), required=False, min_value=0, max_digits=12, decimal_places=2,
        help_text=_("Optional. Your rough estimate in euros; 0 if it costs nothing."),
        error_messages={"min_value": _("The cost cannot be negative.")},
    )

    def __init__(self, *args, current_call=None, **kwargs):
        super().__init__(*args, **kwargs)
        calls = Call.objects.open()
        if current_call is not None:  # an existing proposal keeps its call after the deadline
            calls = calls | Call.objects.filter(pk=current_call.pk)
        self.fields["call"].queryset = calls.select_related("organisation").only(
            "id", "title", "organisation_id", "organisation__name", "deadline"
        )

    def clean(self):
        cleaned = super().clean()
        call, organisation = cleaned.get("call"), cleaned.get("organisation")
        if call is not None and organisation is not None and call.organisation_id != organisation.pk:
            self.add_error("call", _("This call belongs to another organisation. Choose that organisation or no call."))
        return cleaned


PLANNING_HELP = {
    Planning.PROFESSIONALS: _("Staff of the organisation work out what the service looks like."),
    Planning.TOGETHER: _("Staff and the people concerned work it out together, on equal footing."),
    Planning.COMMUNITY: _("Clients, volunteers or neighbours work it out among themselves."),
}
DELIVERY_HELP = {
    Delivery.PROFESSIONALS: _("Paid staff carry it out."),
    Delivery.TOGETHER: _("Staff and the people concerned carry it out side by side."),
    Delivery.COMMUNITY: _("Clients, volunteers or neighbours carry it out themselves."),
}


class ModeForm(forms.Form):
    """Where the proposal sits in Bovaird's matrix: who plans it and who delivers it. The budget's
    ProposeForm (budgets.forms) extends it; both render their radio groups with proposals/_mode_fields.html."""

    MODE_FIELDS = ("planning", "delivery")

    planning = forms.ChoiceField(
        label=field_label(Proposal, "planning"), choices=Planning.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose who plans it."),
                        "invalid_choice": _("Choose one of the options for who plans it.")},
    )
    delivery = forms.ChoiceField(
        label=field_label(Proposal, "delivery"), choices=Delivery.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose who delivers it."),
                        "invalid_choice": _("Choose one of the options for who delivers it.")},
    )

    def groups(self):
        """Each radio group with an explanation per option, for a <fieldset> of radios with help."""
        result = []
        for name, helps in (("planning", PLANNING_HELP), ("delivery", DELIVERY_HELP)):
            field = self[name]
            value = field.value()
            options = [
                {"value": choice, "label": label, "help": helps[choice], "id": f"{field.auto_id}_{index}",
                 "checked": str(value) == choice}
                for index, (choice, label) in enumerate(field.field.choices)
            ]
            result.append({"field": field, "options": options})
        return result


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 3,000 characters. Be kind: everyone's knowledge counts."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReplyForm(CommentForm):
    text = forms.CharField(label=_("Your reply"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class CommentEditForm(forms.Form):
    text = forms.CharField(label=field_label(Comment, "text"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))


class PledgeForm(forms.Form):
    kind = forms.ChoiceField(label=field_label(Pledge, "kind"), choices=Pledge.Kind.choices)
    hours = forms.DecimalField(
        label=field_label(Pledge, "hours"), required=False, min_value=0, max_digits=6, decimal_places=1,
        help_text=_("For time: how many hours you would give in total."),
    )
    amount = forms.DecimalField(
        label=field_label(Pledge, "amount"), required=False, min_value=0, max_digits=10, decimal_places=2,
        help_text=_("For money: how many euros you would give."),
    )
    note = forms.CharField(
        label=field_label(Pledge, "note"), max_length=300, required=False,
        help_text=_("Optional. For example when you have time, or what exactly you can offer."),
    )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Pledge.Kind.TIME and not cleaned.get("hours") and "hours" not in self.errors:
            self.add_error("hours", _("Say how many hours you would give."))
        if kind == Pledge.Kind.MONEY and not cleaned.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Say how much money you would give."))
        return cleaned


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=field_label(Report, "reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Staff of the organisation read this and decide. At most 500 characters."),
    )
