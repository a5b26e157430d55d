"""Forms of the public proposal pages. They only parse input; the services decide and write."""
from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.formatting import field_label
from coproduction.images import PicturesFormMixin
from coproduction.modes import CELLS, Delivery, Planning
from stakeholders.models import Organisation

from .models import Call, Category, Comment, Pledge, Proposal, Report


def districts_by_town():
    """{town: [districts]}: the districts that organisations on the platform name, by the town they are in.

    An organisation has one district of its own; a proposal to it may be about any district of its
    town, so these are the choices a proposal's district is taken from. One query.
    """
    towns = {}
    rows = (Organisation.objects.exclude(district="").order_by("city", "district")
            .values_list("city", "district").distinct())
    for town, district in rows:
        towns.setdefault(town, []).append(district)
    return towns


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
        label=field_label(Proposal, "organisation"), queryset=Organisation.objects.only("id", "name", "city"),
        help_text=_("The organisation you address with this proposal."),
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label=field_label(Proposal, "partner_organisations"), queryset=Organisation.objects.only("id", "name"),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional. Other organisations that would share this proposal; tick as many as you like."),
        error_messages={"invalid_choice": _("Choose partners from the list of organisations.")},
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
    district = forms.ChoiceField(
        label=field_label(Proposal, "district"), required=False,
        help_text=_("Optional. Where it would happen: the districts of the organisation's town."),
    )
    estimated_cost = forms.DecimalField(
        label=field_label(Proposal, "estimated_cost"), required=False, min_value=0, max_digits=12, decimal_places=2,
        help_text=_("Optional. Your rough estimate in euros; 0 if it costs nothing."),
        error_messages={"min_value": _("The cost cannot be negative.")},
    )

    def __init__(self, *args, current_call=None, current_district="", **kwargs):
        super().__init__(*args, **kwargs)
        self.towns = districts_by_town()
        self.current_district = current_district
        choices = [("", _("No particular district"))] + [
            (town, [(district, district) for district in districts]) for town, districts in self.towns.items()
        ]
        if current_district and not any(current_district in districts for districts in self.towns.values()):
            choices.append((_("As written before"), [(current_district, current_district)]))
        self.fields["district"].choices = choices
        calls = Call.objects.open()
        if current_call is not None:  # an existing proposal keeps its call after the deadline
            calls = calls | Call.objects.filter(pk=current_call.pk)
        self.fields["call"].queryset = calls.select_related("organisation").only(
            "id", "title", "organisation_id", "organisation__name", "deadline"
        )

    def organisation_towns(self):
        """{organisation id: town}, for the script that offers only the chosen organisation's districts."""
        return {str(pk): town for pk, town in Organisation.objects.values_list("pk", "city")}

    def clean(self):
        cleaned = super().clean()
        call, organisation = cleaned.get("call"), cleaned.get("organisation")
        if call is not None and organisation is not None and call.organisation_id != organisation.pk:
            self.add_error("call", _("This call belongs to another organisation. Choose that organisation or no call."))
        if organisation is not None and organisation in cleaned.get("partner_organisations", ()):
            self.add_error("partner_organisations",
                           _("The organisation you address cannot also be its partner. Untick %(name)s.")
                           % {"name": organisation.name})
        district = cleaned.get("district")
        if organisation is not None and district and district != self.current_district \
                and district not in self.towns.get(organisation.city, ()):
            self.add_error("district", _("%(district)s is not a district of %(town)s, where %(name)s works.")
                           % {"district": district, "town": organisation.city, "name": organisation.name})
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


def mode_value(planning, delivery):
    return f"{planning}:{delivery}"


class MatrixModeForm(forms.Form):
    """The co-production mode as one choice among the nine cells of Bovaird's matrix; its cleaned
    data are ``planning`` and ``delivery``, as ModeForm's are."""

    mode = forms.ChoiceField(
        label=_("Who plans, who delivers"),
        choices=[(mode_value(cell.planning, cell.delivery), cell.name) for cell in CELLS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one cell of the matrix: who plans it and who delivers it."),
                        "invalid_choice": _("Choose one of the nine cells of the matrix.")},
    )

    def __init__(self, *args, initial=None, **kwargs):
        initial = dict(initial or {})
        if "planning" in initial and "delivery" in initial:
            initial["mode"] = mode_value(initial.pop("planning"), initial.pop("delivery"))
        super().__init__(*args, initial=initial, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode"):
            cleaned["planning"], cleaned["delivery"] = cleaned.pop("mode").split(":")
        return cleaned

    def rows(self):
        """The matrix: one row per way of planning, one cell per way of delivering, each with its radio."""
        field = self["mode"]
        chosen = str(field.value() or "")
        cells = {(cell.planning, cell.delivery): cell for cell in CELLS}
        rows = []
        for row, planning in enumerate(Planning):
            options = []
            for column, delivery in enumerate(Delivery):
                value = mode_value(planning, delivery)
                options.append({
                    "value": value, "cell": cells[(planning, delivery)], "planning": planning.label,
                    "delivery": delivery.label, "id": f"{field.auto_id}_{row * 3 + column}",
                    "checked": chosen == value,
                })
            rows.append({"planning": planning, "label": planning.label, "cells": options})
        return rows

    def columns(self):
        return [delivery.label for delivery in Delivery]


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


K = Pledge.Kind


class PledgeForm(forms.Form):
    """What someone would bring: the kind first, then exactly the fields of that kind.

    Without JavaScript the page shows one fieldset per kind; a small script hides the others. The
    server asks for the fields of the chosen kind only and drops whatever else was filled in.
    """

    # The fieldsets of the form: (name, legend, kinds, fields); required fields are in KIND_REQUIRED.
    FIELDSETS = [
        ("time", _("Time"), (K.TIME,), ("hours", "when")),
        ("money", _("Money"), (K.MONEY,), ("amount",)),
        ("offer", _("Knowledge, contacts, a room or equipment"), (K.SKILLS, K.CONTACTS, K.ROOM), ("description",)),
    ]
    KIND_REQUIRED = {K.TIME: "hours", K.MONEY: "amount", K.SKILLS: "description", K.CONTACTS: "description",
                     K.ROOM: "description"}

    kind = forms.ChoiceField(
        label=field_label(Pledge, "kind"), choices=Pledge.Kind.choices, widget=forms.RadioSelect,
        help_text=_("Choose first; then fill in what belongs to it."),
        error_messages={"required": _("Choose what you would bring.")},
    )
    hours = forms.DecimalField(
        label=_("How many hours"), required=False, min_value=0, max_digits=6, decimal_places=1,
        help_text=_("In total, for example 4 or 2.5."),
    )
    when = forms.CharField(
        label=_("When you have time"), max_length=300, required=False,
        help_text=_("Optional. For example: Saturday mornings, or two evenings a month."),
    )
    amount = forms.DecimalField(
        label=_("Amount in euros"), required=False, min_value=0, max_digits=10, decimal_places=2,
        help_text=_("For example 20 or 12.50."),
    )
    description = forms.CharField(
        label=_("What exactly you offer"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: I speak Turkish and can translate; I know the landlord; our hall on Fridays."),
    )

    def fieldsets(self):
        return [{"name": name, "legend": legend, "kinds": " ".join(kinds), "fields": [self[field] for field in fields]}
                for name, legend, kinds, fields in self.FIELDSETS]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        required = self.KIND_REQUIRED[kind]
        mine = next(fields for _name, _legend, kinds, fields in self.FIELDSETS if kind in kinds)
        for name in ("hours", "when", "amount", "description"):
            if name not in mine:  # filled in for another kind before switching: not part of this pledge
                cleaned[name] = None if name in ("hours", "amount") else ""
                self.errors.pop(name, None)
        if required not in self.errors and not cleaned.get(required):
            message = {"hours": _("Say how many hours you would give."),
                       "amount": _("Say how much money you would give."),
                       "description": _("Say what exactly you would bring.")}[required]
            self.add_error(required, message)
        return cleaned

    def pledge(self):
        """The service's keyword arguments for this pledge."""
        data = self.cleaned_data
        return {"kind": data["kind"], "hours": data["hours"], "amount": data["amount"],
                "note": data["when"] or data["description"]}


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=field_label(Report, "reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Staff of the organisation read this and decide. At most 500 characters."),
    )
