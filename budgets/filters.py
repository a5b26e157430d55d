"""Filters of participatory budgets, their proposals and what became of them (used by the open data API)."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduction.api.filters import YesNoFilter
from proposals.models import Implementation
from stakeholders.models import Organisation

from .models import Entry, Phase, Process


def _organisations():
    return Organisation.objects.only("id", "name")


class ProcessFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=_organisations(), method="run_by",
        help_text=_("Budgets this organisation runs, alone or together with others."),
    )
    phase = django_filters.ChoiceFilter(label=_("Phase"), choices=Phase.choices)

    class Meta:
        model = Process
        fields = ["organisation", "phase"]

    def run_by(self, queryset, name, value):
        partnered = Process.partner_organisations.through.objects.filter(organisation=value).values("process")
        return queryset.filter(Q(organisation=value) | Q(pk__in=partnered))


class EntryFilter(django_filters.FilterSet):
    budget = django_filters.ModelChoiceFilter(label=_("Participatory budget"), field_name="process",
                                              queryset=Process.objects.only("id"))
    feasibility = django_filters.ChoiceFilter(label=_("Feasibility"), choices=Entry.Feasibility.choices)
    funded = YesNoFilter(
        label=_("Funded"), method="with_funding",
        help_text=_("true: the funded proposals; false: those not funded by a budget whose results are out."),
    )

    class Meta:
        model = Entry
        fields = ["budget", "feasibility", "funded"]

    def with_funding(self, queryset, name, value):
        return queryset.filter(process__results_published_at__isnull=False, is_funded=value)


class ImplementationFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(label=_("Organisation"), field_name="proposal__organisation",
                                                    queryset=_organisations())
    budget = django_filters.ModelChoiceFilter(
        label=_("Participatory budget"), queryset=Process.objects.only("id"), method="funded_by",
        field_name="proposal__budget_entry__process",
        help_text=_("Implementations of the proposals this budget funded."),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Implementation.Status.choices)

    class Meta:
        model = Implementation
        fields = ["organisation", "budget", "status"]

    def funded_by(self, queryset, name, value):
        return queryset.filter(proposal__budget_entry__process=value, proposal__budget_entry__is_funded=True)
