"""Participatory budgets in the open data API: processes, their proposals, results and accountability.

Everything here is on the site for anyone to read: every budget from its announcement on, the
proposals in it with their review (hidden ones and drafts left out), the results once published
(the totals and places stored by budgets.services.results_publish, never counted again) and
what became of accepted and funded proposals, with the budget that funded each (their updates
are the proposals' API). Nothing about a voter, ballot, author, reviewer or the person who wrote
an evaluation leaves; evaluations appear only as a count and an average rating.
"""
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from coproduction.api.base import OrganisationRefSerializer, PageLinkField, PublicViewSet
from proposals.api import ProposalRefSerializer
from proposals.models import Implementation, Proposal
from stakeholders.models import Organisation

from .filters import EntryFilter, ImplementationFilter, ProcessFilter
from .models import MONEY, Entry, Process
from .services.results import result_totals

ORGANISATION_FIELDS = ["organisation__id", "organisation__slug", "organisation__name"]


def _public_proposals(prefix=""):
    """The proposals anyone may read in the API: published (not drafts) and not hidden by moderation."""
    return ~Q(**{f"{prefix}status": Proposal.Status.DRAFT}) & Q(**{f"{prefix}is_hidden": False})


# --- processes -----------------------------------------------------------------------------------

class ProcessSerializer(serializers.ModelSerializer):
    url = PageLinkField()
    organisation = OrganisationRefSerializer(read_only=True)
    partner_organisations = OrganisationRefSerializer(source="partner_list", many=True, read_only=True)
    districts = serializers.ListField(source="district_list", child=serializers.CharField(), read_only=True)
    funded_total = serializers.SerializerMethodField()

    class Meta:
        model = Process
        fields = ["id", "slug", "title", "description", "organisation", "partner_organisations", "phase",
                  "collecting_starts", "review_starts", "voting_starts", "results_starts", "implementation_starts",
                  "total_amount", "eligibility", "districts", "proposal_count", "ballot_count",
                  "results_published_at", "funded_total", "url"]

    @extend_schema_field({"type": "string", "format": "decimal", "nullable": True,
                          "description": _("What the funded proposals cost together; null until the results are out.")})
    def get_funded_total(self, process):
        return f"{process.funded_total:.2f}" if process.results_published_at is not None else None


class ResultRowSerializer(serializers.Serializer):
    """One feasible proposal in the results; a proposal hidden by moderation keeps its place but not its title."""

    place = serializers.IntegerField(source="result_rank", allow_null=True,
                                     help_text=_("Null for a proposal not on the ballot (withdrawn or rejected)."))
    proposal = serializers.SerializerMethodField()
    is_hidden = serializers.BooleanField(source="proposal.is_hidden")
    district = serializers.CharField(source="proposal.district")
    votes = serializers.IntegerField(source="vote_count")
    final_cost = serializers.DecimalField(**MONEY)
    funded = serializers.BooleanField(source="is_funded")

    @extend_schema_field({"type": "object", "properties": {
        "id": {"type": "integer"}, "title": {"type": "string", "nullable": True},
        "url": {"type": "string", "format": "uri"}}})
    def get_proposal(self, entry):
        proposal = entry.proposal
        data = ProposalRefSerializer(proposal, context=self.context).data
        if proposal.is_hidden:
            data["title"] = None
        return data


class ResultTotalsSerializer(serializers.Serializer):
    results_published_at = serializers.DateTimeField()
    total_amount = serializers.DecimalField(**MONEY, help_text=_("The whole budget (€)."))
    funded_total = serializers.DecimalField(**MONEY, help_text=_("Spent on funded proposals (€)."))
    left_over = serializers.DecimalField(**MONEY)
    ballot_count = serializers.IntegerField(help_text=_("Confirmed ballots counted."))
    feasible_count = serializers.IntegerField()
    funded_count = serializers.IntegerField()
    eligible_count = serializers.IntegerField(
        allow_null=True,
        help_text=_("People who could vote, where only members of the organisations could; else null."))
    turnout_percent = serializers.FloatField(allow_null=True)


class ResultsPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Feasible proposals in the results."))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    totals = ResultTotalsSerializer()
    results = ResultRowSerializer(many=True)


class ProcessViewSet(PublicViewSet):
    api_description = _(
        "Participatory budgets (Bürgerhaushalt): every budget from its announcement on, with its "
        "phase and dates.\n\nA budget runs through the phases announced, collecting proposals, "
        "review, voting, results and implementation. `organisation` lists the budgets an organisation "
        "runs, alone or with partners; `phase` those in one phase. Running budgets come first, as on "
        "the site."
    )

    serializer_class = ProcessSerializer
    filterset_class = ProcessFilter

    def get_queryset(self):
        partners = Prefetch("partner_organisations", to_attr="partner_list",
                            queryset=Organisation.objects.only("id", "slug", "name").order_by("name", "id"))
        processes = Process.objects.select_related("organisation").only(
            *[field.name for field in Process._meta.concrete_fields if field.name != "created_by"],
            *ORGANISATION_FIELDS)
        if self.action == "results":
            return processes
        return processes.running_first().prefetch_related(partners)

    @extend_schema(
        responses=ResultsPageSerializer, filters=False,
        parameters=[OpenApiParameter("page", int, description=_("A page number within the results.")),
                    OpenApiParameter("page_size", int, description=_("Rows per page, up to 100."))],
        description=_("The published results of a budget: its totals and the feasible proposals in the order "
                      "of the results, with their votes, final cost and whether they are funded. Counted only "
                      "from confirmed ballots by the rule shown on the results page; nothing about any voter. "
                      "404 until the results are published."),
    )
    @action(detail=True, filter_backends=[])
    def results(self, request, pk=None, format=None):  # noqa: A002 - the router passes ".json" as format
        process = self.get_object()
        if process.results_published_at is None:
            raise Http404
        page = self.paginate_queryset(Entry.objects.results_of(process))
        rows = ResultRowSerializer(page, many=True, context=self.get_serializer_context()).data
        paginator = self.paginator
        return Response({
            "count": paginator.page.paginator.count, "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "totals": ResultTotalsSerializer(result_totals(process)).data, "results": rows,
        })


# --- the proposals of a budget -------------------------------------------------------------------

class EntrySerializer(serializers.ModelSerializer):
    budget = serializers.IntegerField(source="process_id", read_only=True)
    proposal = ProposalRefSerializer(read_only=True)
    summary = serializers.CharField(source="proposal.summary", read_only=True)
    proposal_status = serializers.ChoiceField(source="proposal.status", choices=Proposal.Status.choices,
                                              read_only=True)
    district = serializers.CharField(source="proposal.district", read_only=True)
    estimated_cost = serializers.DecimalField(source="proposal.estimated_cost", **MONEY, allow_null=True,
                                              read_only=True)
    feasibility_reason = serializers.SerializerMethodField()
    votes = serializers.SerializerMethodField()
    funded = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = ["id", "budget", "proposal", "summary", "proposal_status", "district", "estimated_cost",
                  "feasibility", "feasibility_reason", "final_cost", "votes", "funded", "place"]

    def _results_out(self, entry):
        return entry.process.results_published_at is not None

    @extend_schema_field({"type": "string", "nullable": True,
                          "description": _("The public reason given with the review; null until it is reviewed.")})
    def get_feasibility_reason(self, entry):
        return entry.feasibility_reason if entry.feasibility != Entry.Feasibility.PENDING else None

    @extend_schema_field({"type": "integer", "nullable": True, "description": _("Null until the results are out.")})
    def get_votes(self, entry):
        return entry.vote_count if self._results_out(entry) and entry.feasibility == Entry.Feasibility.FEASIBLE \
            else None

    @extend_schema_field({"type": "boolean", "nullable": True, "description": _("Null until the results are out.")})
    def get_funded(self, entry):
        return entry.is_funded if self._results_out(entry) else None

    @extend_schema_field({"type": "integer", "nullable": True,
                          "description": _("The place in the results; null until they are out or if it was "
                                           "not on the ballot.")})
    def get_place(self, entry):
        return entry.result_rank if self._results_out(entry) else None


class EntryViewSet(PublicViewSet):
    api_description = _(
        "The proposals sent into participatory budgets, with their cost estimate and the public "
        "review.\n\nStaff review each proposal: feasible (with its final cost) or not (with the "
        "reason). Votes, funding and place appear once the budget's results are published. `budget` "
        "narrows the list to one budget; proposals hidden by moderation are left out."
    )

    serializer_class = EntrySerializer
    filterset_class = EntryFilter
    queryset = (
        Entry.objects.filter(_public_proposals("proposal__")).select_related("proposal", "process")
        .only("id", "process_id", "proposal_id", "feasibility", "feasibility_reason", "final_cost", "vote_count",
              "is_funded", "result_rank", "process__id", "process__results_published_at", "proposal__id",
              "proposal__title", "proposal__summary", "proposal__status", "proposal__district",
              "proposal__estimated_cost")
        .order_by("process_id", "pk")
    )


# --- accountability ------------------------------------------------------------------------------

@extend_schema_field(OpenApiTypes.URI)
class ProgressLinkField(serializers.Field):
    """The progress section of the proposal's page, where the updates are shown."""

    def __init__(self, **kwargs):
        super().__init__(source="proposal", read_only=True, **kwargs)

    def to_representation(self, proposal):
        path = f"{proposal.get_absolute_url()}#progress"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ImplementationSerializer(serializers.ModelSerializer):
    proposal = ProposalRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(source="proposal.organisation", read_only=True)
    budget = serializers.SerializerMethodField()
    last_update_at = serializers.SerializerMethodField()
    average_rating = serializers.FloatField(read_only=True, allow_null=True,
                                            help_text=_("From 1 to 5; null without evaluations."))
    url = ProgressLinkField()

    class Meta:
        model = Implementation
        fields = ["id", "proposal", "organisation", "budget", "status", "progress", "started_at", "completed_at",
                  "last_update_at", "update_count", "evaluation_count", "average_rating", "url"]

    @extend_schema_field({"type": "integer", "nullable": True,
                          "description": _("The participatory budget that funded it, if one did.")})
    def get_budget(self, implementation):
        entry = getattr(implementation.proposal, "budget_entry", None)
        return entry.process_id if entry is not None and entry.is_funded else None

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_last_update_at(self, implementation):
        if not implementation.update_count:
            return None
        return serializers.DateTimeField().to_representation(implementation.updated_at)


class ImplementationViewSet(PublicViewSet):
    api_description = _(
        "What became of accepted and funded proposals: the step reached, progress in percent and "
        "evaluations.\n\nStaff of the organisation report progress in dated public updates (see "
        "`implementation-updates`). Once completed, the people it was for say whether it helped: only "
        "how many did and the average rating are published, never who."
    )

    serializer_class = ImplementationSerializer
    filterset_class = ImplementationFilter
    queryset = (
        Implementation.objects.filter(_public_proposals("proposal__"))
        .select_related("proposal__organisation", "proposal__budget_entry")
        .only("id", "proposal_id", "status", "progress", "started_at", "completed_at", "updated_at", "update_count",
              "evaluation_count", "rating_sum", "proposal__id", "proposal__title", "proposal__organisation_id",
              *[f"proposal__{field}" for field in ORGANISATION_FIELDS], "proposal__budget_entry__id",
              "proposal__budget_entry__proposal_id", "proposal__budget_entry__process_id",
              "proposal__budget_entry__is_funded")
        .order_by("-updated_at", "-pk")
    )


def register(router):
    router.register("budgets", ProcessViewSet, basename="budget")
    router.register("budget-entries", EntryViewSet, basename="budget-entry")
    router.register("implementations", ImplementationViewSet, basename="implementation")
