"""Organisations in the open data API: who they are and whom they work with; no people."""
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coproduction.api.base import PageLinkField, PublicViewSet

from .filters import OrganisationFilter
from .models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    url = PageLinkField()
    partners = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Organisation
        # Contact email and phone stay on the organisation's page for people to read; the bulk
        # API does not hand them to address harvesters (they are often a person's own).
        fields = ["id", "slug", "name", "purpose", "description", "district", "city", "address", "website",
                  "partners", "url"]


class OrganisationViewSet(PublicViewSet):
    api_description = _(
        "Organisations providing social services, with their partner organisations."
    )

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    queryset = Organisation.objects.prefetch_related(
        Prefetch("partners", queryset=Organisation.objects.only("id", "slug").order_by("slug"))
    ).order_by("name", "id")


def register(router):
    router.register("organisations", OrganisationViewSet, basename="organisation")
