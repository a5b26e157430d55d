import django_filters
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduction.api.filters import IdFilter
from coproduction.modes import Delivery, Planning
from stakeholders.models import Organisation

from .models import Call, Category, ImplementationUpdate, Proposal

# Each ordering ends on the id so that pages never overlap; the model's indexes match these.
ORDERINGS = {
    "newest": ("-published_at", "-id"),
    "supported": ("-support_count", "-id"),
    "discussed": ("-comment_count", "-id"),
    "active": ("-last_activity_at", "-id"),
}
ORDERING_CHOICES = [
    ("newest", _("Newest")),
    ("supported", _("Most supported")),
    ("discussed", _("Most discussed")),
    ("active", _("Recently active")),
]
PUBLIC_STATUSES = [(value, label) for value, label in Proposal.Status.choices if value != Proposal.Status.DRAFT]


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.only("id", "name"), empty_label=_("All organisations")
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Call for ideas"), queryset=Call.objects.only("id", "title"), empty_label=_("All calls")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PUBLIC_STATUSES, empty_label=_("Any status"))
    planning = django_filters.ChoiceFilter(label=_("Who plans"), choices=Planning.choices, empty_label=_("Anyone"))
    delivery = django_filters.ChoiceFilter(label=_("Who delivers"), choices=Delivery.choices, empty_label=_("Anyone"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), empty_label=_("All categories")
    )
    district = django_filters.CharFilter(label=_("District"), lookup_expr="icontains")
    ordering = django_filters.ChoiceFilter(
        label=_("Order by"), choices=ORDERING_CHOICES, method="order", empty_label=None
    )

    class Meta:
        model = Proposal
        fields = ["q", "organisation", "call", "status", "planning", "delivery", "category", "district", "ordering"]

    @classmethod
    def mode_only(cls, params):
        """(planning, delivery), None meaning any, when no filter but the mode narrows the list these
        parameters ask for, so the kept counts give its total; None when only the database can count it."""
        given = {name for name in cls.base_filters if params.get(name)}
        if given - {"planning", "delivery", "ordering"}:  # ordering sorts, it narrows nothing
            return None
        return params.get("planning") or None, params.get("delivery") or None

    def search(self, queryset, name, value):
        """German full-text search on PostgreSQL ("Fahrrad" finds "Fahrräder"); a substring match elsewhere."""
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(search_vector=SearchQuery(value, config="german", search_type="websearch"))
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value) | Q(text__icontains=value))

    def order(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])


class ImplementationUpdateFilter(django_filters.FilterSet):
    implementation = IdFilter(label=_("Implementation"), field_name="implementation_id")
    proposal = IdFilter(label=_("Proposal"), field_name="implementation__proposal_id")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), field_name="implementation__proposal__organisation",
        queryset=Organisation.objects.only("id", "name"))

    class Meta:
        model = ImplementationUpdate
        fields = ["implementation", "proposal", "organisation"]
