import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    city = django_filters.ChoiceFilter(label=_("City"), choices=[], empty_label=_("All cities"))
    district = django_filters.CharFilter(label=_("District"), lookup_expr="icontains")

    class Meta:
        model = Organisation
        fields = ["q", "city", "district"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = Organisation.objects.order_by("city").values_list("city", flat=True).distinct()
        # Choices go on this request's form field: the filter objects' cached fields are shared
        # with the API schema, which builds them before any city is known.
        self.form.fields["city"].choices = [(city, city) for city in cities]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(purpose__icontains=value) | Q(description__icontains=value))
