"""Forms of the volunteering pages. They parse input; the services decide and write."""
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.forms import BoundedDateField
from stakeholders.models import Organisation

from .models import AvailabilitySlot, SignUp, Skill
from .models.people import normalise_verification_code

TIME_INPUT = {"attrs": {"type": "time"}, "format": "%H:%M"}
DATE_INPUT = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
MAX_AVAILABILITY_ROWS = 21  # three windows a day is plenty


class SkillsForm(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills I offer"), queryset=Skill.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tasks that need one of these skills are easy to find with the skill filter."),
    )


class AvailabilityForm(forms.Form):
    """One weekly time window; an empty row is skipped, a half-filled one is an error."""

    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=[("", _("Choose a day")), *AvailabilitySlot.Weekday.choices], coerce=int,
        required=False, empty_value=None,
    )
    start_time = forms.TimeField(label=_("From"), required=False, widget=forms.TimeInput(**TIME_INPUT))
    end_time = forms.TimeField(label=_("Until"), required=False, widget=forms.TimeInput(**TIME_INPUT))

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in ("weekday", "start_time", "end_time")]
        if self.errors or all(value is None for value in values):
            return cleaned
        for name, value in zip(("weekday", "start_time", "end_time"), values, strict=True):
            if value is None:
                self.add_error(name, _("Fill in the day and both times, or leave the whole row empty."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start is not None and end is not None and end <= start:
            # The service refuses this too; here the message lands at the row it is about.
            self.add_error("end_time", _("The time you are free must end after it starts."))
        return cleaned

    def slot(self):
        """(weekday, start, end) for the service, or None for an empty or removed row."""
        data = getattr(self, "cleaned_data", {})
        if not data or data.get("DELETE") or data.get("weekday") is None:
            return None
        return data["weekday"], data["start_time"], data["end_time"]


AvailabilityFormSet = forms.formset_factory(
    AvailabilityForm, extra=2, can_delete=True, can_delete_extra=False, max_num=MAX_AVAILABILITY_ROWS,
    validate_max=True,
)


def availability_formset(profile=None, data=None):
    initial = None
    if profile is not None:
        initial = [{"weekday": slot.weekday, "start_time": slot.start_time, "end_time": slot.end_time}
                   for slot in profile.availability.all()]
    formset = AvailabilityFormSet(data=data, initial=initial, prefix="availability")
    for form in formset:
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this time")
            form.fields["DELETE"].label_suffix = ""
    return formset


class CertificateForm(forms.Form):
    """Which organisation and period a certificate covers: organisations where the person has hours.

    The organisations are read once (one query) and offered as plain choices.
    """

    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int,
        error_messages={"invalid_choice": _("Choose an organisation where you have confirmed hours.")},
    )
    period_start = BoundedDateField(label=_("From"), widget=forms.DateInput(**DATE_INPUT))
    period_end = BoundedDateField(label=_("Until"), widget=forms.DateInput(**DATE_INPUT))

    def __init__(self, *args, user, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {"period_start": date(today.year, 1, 1), "period_end": today})
        super().__init__(*args, auto_id="id_certificate_%s", **kwargs)
        self.organisations = {
            organisation.pk: organisation for organisation in
            Organisation.objects.filter(pk__in=SignUp.objects.of_user(user).attended().filter(hours__gt=0)
                                        .values("shift__task__organisation")).only("id", "name").order_by("name")
        }
        self.fields["organisation"].choices = [(pk, org.name) for pk, org in self.organisations.items()]

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class HoursField(forms.DecimalField):
    """Hours as people type them in either language: "2,5" and "2.5" both mean two and a half."""

    def to_python(self, value):
        if isinstance(value, str) and value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)


class AttendanceForm(forms.Form):
    """Whether one confirmed person came, and their hours (empty: the shift's length)."""

    attended = forms.TypedChoiceField(
        label=_("Attendance"), choices=[("yes", _("Attended")), ("no", _("Did not attend"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the person attended.")},
    )
    hours = HoursField(
        label=_("Hours"), required=False, localize=True, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        help_text=_("Empty: the length of the shift."),
    )

    def __init__(self, *args, sign_up, **kwargs):
        if sign_up.attended is not None:
            kwargs.setdefault("initial", {"attended": "yes" if sign_up.attended else "no", "hours": sign_up.hours})
        super().__init__(*args, auto_id=f"id_attendance{sign_up.pk}_%s", **kwargs)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=40,
        help_text=_("Twelve letters and digits, printed at the bottom of the certificate, such as 7KQ2-M9XD-3FPA."),
    )

    def clean_code(self):
        code = normalise_verification_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("This is not a verification code. It has twelve letters and digits, such as 7KQ2-M9XD-3FPA.")
            )
        return code
