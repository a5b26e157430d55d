"""The wiki in the open data API: public spaces and their pages, with the current text.

Only spaces everyone may read on the site (visibility "public") appear; members-only spaces,
and the shared space while it is open to signed-in people only, never do. Who wrote, edited or
looks after a page stays off the API.
"""
import django_filters
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coproduction.api.base import OrganisationRefSerializer, PageLinkField, PublicViewSet
from stakeholders.models import Organisation

from .models import Page, Space
from .templatetags.wiki_tags import wiki_html


def public_spaces():
    """The twin of the rule wiki.view_space for a visitor who is not signed in."""
    return Space.objects.visible_to(AnonymousUser())


def public_pages():
    return Page.objects.visible_to(AnonymousUser())


class SpaceSerializer(serializers.ModelSerializer):
    url = PageLinkField()
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True,
                                             help_text=_("Null for the shared space of the whole platform."))

    class Meta:
        model = Space
        fields = ["id", "slug", "name", "description", "organisation", "page_count", "url"]


class SpaceViewSet(PublicViewSet):
    api_description = _(
        "Public wiki spaces: the shared knowledge of an organisation (or of the whole platform) that "
        "anyone may read."
    )

    serializer_class = SpaceSerializer
    filterset_fields = ["organisation"]

    def get_queryset(self):
        return (public_spaces().select_related("organisation")
                .only("id", "slug", "name", "description", "organisation_id", "page_count",
                      "organisation__id", "organisation__slug", "organisation__name")
                .order_by("name", "pk"))


class PageFilter(django_filters.FilterSet):
    space = django_filters.ModelChoiceFilter(label=_("Space"), queryset=public_spaces().only("id"))
    organisation = django_filters.ModelChoiceFilter(label=_("Organisation"), field_name="space__organisation",
                                                    queryset=Organisation.objects.only("id", "name"))

    class Meta:
        model = Page
        fields = ["space", "organisation"]


class SpaceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class PageSerializer(serializers.ModelSerializer):
    url = PageLinkField()
    space = SpaceRefSerializer(read_only=True)
    updated_at = serializers.DateTimeField(source="last_edited_at", read_only=True)

    class Meta:
        model = Page
        fields = ["id", "title", "slug", "space", "updated_at", "url"]


class PageDetailSerializer(PageSerializer):
    text = serializers.CharField(source="current_revision.text", read_only=True, default="",
                                 help_text=_("The current text in Markdown, with [[wiki links]]."))
    html = serializers.SerializerMethodField()

    class Meta(PageSerializer.Meta):
        fields = PageSerializer.Meta.fields[:4] + ["text", "html"] + PageSerializer.Meta.fields[4:]

    @extend_schema_field({"type": "string", "description": _(
        "The text as the page shows it: HTML rendered from the Markdown and sanitised (no scripts, styles or "
        "frames); links to other pages of the site are relative to it.")})
    def get_html(self, page):
        return str(wiki_html(page.html))


PAGE_FIELDS = ["id", "title", "slug", "space_id", "last_edited_at", "space__id", "space__slug", "space__name"]


class PageViewSet(PublicViewSet):
    api_description = _(
        "Pages of public wiki spaces: handover notes, how-tos and other knowledge that stays when "
        "people leave.\n\nThe list names each page and its space; the detail adds the current text, "
        "as Markdown and as the sanitised HTML the page shows. `space` or `organisation` narrow the "
        "list."
    )

    filterset_class = PageFilter

    def get_queryset(self):
        pages = public_pages().select_related("space").order_by("space__name", "title", "pk")
        if self.action == "retrieve":
            return pages.select_related("current_revision").only(
                *PAGE_FIELDS, "html", "current_revision_id", "current_revision__id", "current_revision__text")
        return pages.only(*PAGE_FIELDS)

    def get_serializer_class(self):
        return PageDetailSerializer if self.action == "retrieve" else PageSerializer


def register(router):
    router.register("wiki-spaces", SpaceViewSet, basename="wiki-space")
    router.register("wiki-pages", PageViewSet, basename="wiki-page")
