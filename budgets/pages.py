"""The budget panel on a proposal's page: the participatory budget it takes part in, its review,
votes and funding (what became of a funded proposal is the proposals' own progress panel); and on
an organisation's page, the budgets it runs."""
from django.db.models import Q

from coproduction.pages import district_source, panel
from proposals.models import Proposal

from .models import Entry, Phase, Process


def _fields(prefix, model, exclude=()):
    return [f"{prefix}__{field.name}" for field in model._meta.concrete_fields if field.name not in exclude]


# What the panel shows of a proposal's entry and process (none of the long texts).
RELATED_FIELDS = [*_fields("budget_entry", Entry), *_fields("budget_entry__process", Process, exclude=("description",))]


def _entry_of(proposal):
    """The proposal's entry with its process. Nothing is asked of the database when the page loaded
    them already (this panel's ``related``), else one query."""
    if Proposal.budget_entry.is_cached(proposal):
        entry = getattr(proposal, "budget_entry", None)
        if entry is None or Entry.process.is_cached(entry):
            return entry
    row = (Proposal.objects.filter(pk=proposal.pk).select_related("budget_entry__process")
           .only("id", *RELATED_FIELDS).first())
    return getattr(row, "budget_entry", None) if row is not None else None


def budget_context(request, proposal, bound):
    entry = _entry_of(proposal)
    if entry is None:
        return None
    process = entry.process
    return {"proposal": proposal, "entry": entry, "process": process,
            "results_out": process.results_published_at is not None}


panel("proposal", "budget", template="budgets/_proposal_budget.html", context=budget_context, order=100,
      related=("budget_entry__process",), stylesheet="css/budgets.css")


# The shared status pill (``.status-<state>``) of each phase.
PHASE_STATE = {
    Phase.ANNOUNCED: "draft", Phase.COLLECTING: "collecting", Phase.REVIEW: "open", Phase.VOTING: "voting",
    Phase.RESULTS: "closed", Phase.IMPLEMENTATION: "in-progress",
}
PAST_PHASES = [Phase.RESULTS, Phase.IMPLEMENTATION]
HUB_BUDGETS = 3


def organisation_budgets(request, organisation, bound):
    """The participatory budgets the organisation runs, alone or with partners: the running ones
    (voting first) and the latest past ones. Two queries; nothing shown when there are none."""
    partnered = Process.partner_organisations.through.objects.filter(organisation=organisation).values("process")
    runs = (Process.objects.filter(Q(organisation=organisation) | Q(pk__in=partnered))
            .only("id", "slug", "title", "phase", "total_amount", "proposal_count", "ballot_count", "voting_starts"))
    running = list(runs.exclude(phase__in=PAST_PHASES).running_first()[:HUB_BUDGETS])
    past = list(runs.filter(phase__in=PAST_PHASES).running_first()[:HUB_BUDGETS])
    if not running and not past:
        return None
    for process in (*running, *past):
        process.state = PHASE_STATE[process.phase]
    return {"organisation": organisation, "running": running, "past": past}


panel("organisation", "budgets", template="budgets/_organisation_budgets.html", context=organisation_budgets,
      order=200)


def budget_districts():
    """The districts budgets are limited to: people who live there say so when they sign up."""
    return [name for districts in Process.objects.exclude(districts="").values_list("districts", flat=True)
            for name in districts.split(",")]


district_source("budgets", budget_districts)
