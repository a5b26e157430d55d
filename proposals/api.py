"""Calls for ideas and proposals in the open data API.

A proposal is published with its place on Bovaird's matrix, its status, its kept counters and —
in the detail — its public status history with the organisation's official responses; what became
of accepted proposals in dated progress updates. Drafts and proposals hidden by moderation never
appear; nor does who wrote, supported or commented on one, or who wrote an update.
"""
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema_field
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coproduction.api.base import OrganisationRefSerializer, PageLinkField, PublicViewSet
from coproduction.modes import Delivery, Planning, cell_for
from stakeholders.models import Organisation

from .filters import ImplementationUpdateFilter, ProposalFilter
from .models import Call, ImplementationUpdate, Proposal, StatusChange, kept_total


class ProposalRefSerializer(serializers.Serializer):
    """A proposal named where budgets and their results refer to it."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = PageLinkField()


class CallSerializer(serializers.ModelSerializer):
    url = PageLinkField()
    organisation = OrganisationRefSerializer(read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Call
        fields = ["id", "title", "description", "deadline", "is_open", "organisation", "url"]


class CallViewSet(PublicViewSet):
    api_description = _(
        "Questions organisations put to their stakeholders, open for ideas until a deadline."
    )

    serializer_class = CallSerializer
    queryset = Call.objects.select_related("organisation").only(
        "id", "title", "description", "deadline", "organisation__id", "organisation__slug", "organisation__name"
    ).order_by("-deadline", "-id")
    filterset_fields = ["organisation"]


class ModeSerializer(serializers.Serializer):
    """Where a proposal sits on the matrix of who plans × who delivers."""

    planning = serializers.ChoiceField(choices=Planning.choices)
    delivery = serializers.ChoiceField(choices=Delivery.choices)
    name = serializers.CharField(help_text="The cell's name in the requested language.")
    is_coproduction = serializers.BooleanField()


@extend_schema_field(ModeSerializer)
class ModeField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, proposal):
        cell = cell_for(proposal.planning, proposal.delivery)
        return {"planning": proposal.planning, "delivery": proposal.delivery, "name": str(cell.name),
                "is_coproduction": cell.is_coproduction}


class CountsSerializer(serializers.Serializer):
    supports = serializers.IntegerField(source="support_count")
    comments = serializers.IntegerField(source="comment_count")
    pledges = serializers.IntegerField(source="pledge_count")


class ProposalSerializer(serializers.ModelSerializer):
    url = PageLinkField()
    organisation = OrganisationRefSerializer(read_only=True)
    category = serializers.CharField(source="category.name", read_only=True, allow_null=True, default=None)
    mode = ModeField()
    counts = CountsSerializer(source="*", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "title", "summary", "status", "mode", "organisation", "call", "category", "district",
                  "estimated_cost", "counts", "published_at", "last_activity_at", "url"]


class StatusChangeSerializer(serializers.ModelSerializer):
    """One step of the public history; the response speaks for the organisation, not a person."""

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "response", "created_at"]


class ProposalDetailSerializer(ProposalSerializer):
    partner_organisations = OrganisationRefSerializer(many=True, read_only=True)
    history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta(ProposalSerializer.Meta):
        fields = ProposalSerializer.Meta.fields[:3] + ["text"] + ProposalSerializer.Meta.fields[3:] + [
            "partner_organisations", "history"]


LIST_FIELDS = [
    "id", "title", "summary", "status", "planning", "delivery", "organisation_id", "call_id", "category_id",
    "district", "estimated_cost", "support_count", "comment_count", "pledge_count", "published_at",
    "last_activity_at", "organisation__id", "organisation__slug", "organisation__name", "category__name",
]


class ProposalViewSet(PublicViewSet):
    api_description = _(
        "Published proposals with their co-production mode, status and counts; filters as on "
        "/proposals/.\n\n`q` searches title, summary and text (German stemming); `ordering` is one of "
        "newest, supported, discussed, active. The detail adds the text, the partner organisations "
        "and the status history with the organisation's official responses."
    )

    filterset_class = ProposalFilter

    def get_queryset(self):
        public = Proposal.objects.published().filter(is_hidden=False).select_related("organisation", "category")
        if self.action == "retrieve":
            return public.defer("search_vector").prefetch_related(
                Prefetch("partner_organisations", queryset=Organisation.objects.only("id", "slug", "name")),
                Prefetch("status_changes", queryset=StatusChange.objects.order_by("created_at", "pk")),
            )
        return public.only(*LIST_FIELDS).order_by("-published_at", "-id")

    def get_serializer_class(self):
        return ProposalDetailSerializer if self.action == "retrieve" else ProposalSerializer

    def list(self, request, *args, **kwargs):
        """A page is found by ids alone, which an index can answer, then its rows are read by id."""
        ids = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values_list("pk", flat=True))
        rows = self.get_queryset().in_bulk(ids)
        return self.get_paginated_response(self.get_serializer([rows[pk] for pk in ids], many=True).data)

    def count_without_counting(self):
        """The total from the matrix's kept counts when only the mode narrows the list."""
        mode = self.filterset_class.mode_only(self.request.query_params)
        if mode is None:
            return None
        planning, delivery = mode
        return kept_total(planning=planning, delivery=delivery)


# --- accountability ------------------------------------------------------------------------------

def _public_proposals(prefix=""):
    """The proposals anyone may read in the API: published (not drafts) and not hidden by moderation."""
    return ~Q(**{f"{prefix}status": Proposal.Status.DRAFT}) & Q(**{f"{prefix}is_hidden": False})


class ImplementationUpdateSerializer(serializers.ModelSerializer):
    """A dated public update; it speaks for the organisation, so it names nobody."""

    implementation = serializers.IntegerField(source="implementation_id", read_only=True)
    proposal = ProposalRefSerializer(source="implementation.proposal", read_only=True)

    class Meta:
        model = ImplementationUpdate
        fields = ["id", "implementation", "proposal", "status", "progress", "text", "created_at"]


class ImplementationUpdateViewSet(PublicViewSet):
    api_description = _(
        "Progress updates on accepted and funded proposals, newest first: what was done, the step and "
        "progress.\n\n`implementation`, `proposal` or `organisation` narrow the list."
    )

    serializer_class = ImplementationUpdateSerializer
    filterset_class = ImplementationUpdateFilter
    queryset = (
        ImplementationUpdate.objects.filter(_public_proposals("implementation__proposal__"))
        .select_related("implementation__proposal")
        .only("id", "implementation_id", "status", "progress", "text", "created_at", "implementation__id",
              "implementation__proposal_id", "implementation__proposal__id", "implementation__proposal__title")
        .order_by("-created_at", "-pk")
    )


def register(router):
    router.register("calls", CallViewSet, basename="call")
    router.register("proposals", ProposalViewSet, basename="proposal")
    router.register("implementation-updates", ImplementationUpdateViewSet, basename="implementation-update")
