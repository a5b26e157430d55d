"""The open data API's common parts: paging, read-only public view sets, links to the pages.

Every view set publishes only what an anonymous visitor of the site may see. The API ignores
sign-ins (settings.REST_FRAMEWORK has no authentication classes), so one address returns the same
data to everyone, and nothing in it names a private person: no author names, email addresses,
phone numbers, sign-ups or votes of individuals — only organisations and totals.
"""
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets


class Schema(AutoSchema):
    """Descriptions come from a view set's ``api_description``, translated, so /api/ reads in German too.

    A view set's extra actions may have their own: ``api_action_descriptions = {"results": _("…")}``.
    """

    def get_description(self):
        own = getattr(self.view, "api_action_descriptions", {}).get(getattr(self.view, "action", None))
        description = own or getattr(self.view, "api_description", None)
        return str(description) if description else super().get_description()

class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail; subclasses set ``queryset`` to the public rows only."""

    lookup_value_regex = r"[0-9]+"


@extend_schema_field({"type": "string", "format": "uri"})
class PageLinkField(serializers.Field):
    """The absolute address of the object's page on the site (its ``get_absolute_url``)."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        path = value.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class OrganisationRefSerializer(serializers.Serializer):
    """An organisation named where other objects belong to it."""

    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
