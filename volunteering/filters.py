"""Filters of the task list; every one is a named read of Task.objects, kept in the URL."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from coproduction.forms import BoundedDateFilter
from stakeholders.models import Organisation

from .forms import DATE_INPUT
from .models import Skill, Task

# The "only show" checkboxes and the Task field each one asks for.
EASY_FACTS = {"remote": "is_remote", "childcare": "childcare_offered", "first_timer": "first_timer_friendly"}


class TaskFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period must not be before its start."))
        return cleaned


class CheckboxFilter(django_filters.BooleanFilter):
    """A checkbox: ticked narrows the list, unticked (absent) does not filter at all."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, True) if value else qs


class TaskFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.only("id", "name"), empty_label=_("All organisations"),
    )
    district = django_filters.ChoiceFilter(label=_("District"), empty_label=_("All districts"))
    date_from = BoundedDateFilter(label=_("From"), method="keep", widget=forms.DateInput(**DATE_INPUT))
    date_to = BoundedDateFilter(label=_("Until"), method="keep", widget=forms.DateInput(**DATE_INPUT))
    skill = django_filters.ModelChoiceFilter(
        label=_("Skill"), queryset=Skill.objects.all(), empty_label=_("Any skill"), method="with_skill",
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Task.Kind.choices, empty_label=_("Tasks and meetings"))
    remote = CheckboxFilter(label=_("Can be done from home"), field_name="is_remote")
    childcare = CheckboxFilter(label=_("Childcare offered"), field_name="childcare_offered")
    first_timer = CheckboxFilter(label=_("Suitable for first-timers"), field_name="first_timer_friendly")
    fits_availability = CheckboxFilter(label=_("Fits my weekly availability"), method="fitting")

    class Meta:
        model = Task
        form = TaskFilterForm
        fields = ["organisation", "district", "date_from", "date_to", "skill", "kind", "remote", "childcare",
                  "first_timer", "fits_availability"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        districts = (Task.objects.published().exclude(district="").order_by("district")
                     .values_list("district", flat=True).distinct())
        if self.request is None or not self.request.user.is_authenticated:
            del self.filters["fits_availability"]  # it needs a person's availability
        # On this request's form field, not the filter object, whose cached field may be shared.
        self.form.fields["district"].choices = [(district, district) for district in districts]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        start, end = self.form.cleaned_data.get("date_from"), self.form.cleaned_data.get("date_to")
        if start or end:
            # one shift must lie in the whole period, so both dates go into one read
            queryset = queryset.in_period(start, end)
        return queryset

    def keep(self, queryset, name, value):
        return queryset

    def with_skill(self, queryset, name, value):
        return queryset.needing_skill(value)

    def fitting(self, queryset, name, value):
        return queryset.fitting_availability(self.request.user) if value else queryset
