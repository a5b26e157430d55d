"""The budget panel on a proposal's page: the participatory budget it takes part in, its review,
votes and funding (what became of a funded proposal is the proposals' own progress panel); and on
an organisation's page, the budgets it runs.

On the home page: a phase banner per budget in voting or collecting proposals, and "for you" the
votes a person may still cast; in My area, per budget, whether their ballot is cast (never its picks)."""
from allauth.account.models import EmailAddress
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When

from coproduction.pages import district_source, panel, signed_in
from proposals.models import Proposal
from stakeholders.models import Membership

from .models import Ballot, Entry, Phase, Process, ProcessFollow


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
    return {"organisation": organisation, "running": running, "past": past}


panel("organisation", "budgets", template="budgets/_organisation_budgets.html", context=organisation_budgets,
      order=200)


def budget_districts():
    """The districts budgets are limited to: people who live there say so when they sign up."""
    return [name for districts in Process.objects.exclude(districts="").values_list("districts", flat=True)
            for name in districts.split(",")]


district_source("budgets", budget_districts)


# --- the home page and My area --------------------------------------------------------------------

HOME_BANNERS = 3
FOR_YOU_SHOWN = 5
ME_SHOWN = 10
BANNER_FIELDS = ("id", "title", "slug", "phase", "review_starts", "results_starts", "total_amount",
                 "proposal_count", "ballot_count", "organisation__name")



def _with_end(processes):
    """Each process with ``ends``: when its current phase (voting or collecting) ends."""
    for process in processes:
        process.ends = process.results_starts if process.phase == Phase.VOTING else process.review_starts
    return processes


def running_budgets(request, obj, bound):
    """Budgets in voting (first) or collecting proposals, with the day the phase ends; hidden without one."""
    voting_first = Case(When(phase=Phase.VOTING, then=Value(0)), default=Value(1), output_field=IntegerField())
    processes = list(
        Process.objects.filter(phase__in=[Phase.VOTING, Phase.COLLECTING]).select_related("organisation")
        .only(*BANNER_FIELDS).alias(voting_first=voting_first).order_by("voting_first", "results_starts", "pk")
        [:HOME_BANNERS]
    )
    return {"processes": _with_end(processes)} if processes else None


def _mine(user):
    return Ballot.objects.filter(process=OuterRef("pk"), user=user)


def votes_to_cast(request, obj, bound):
    """Budgets in voting where the person may vote and has not confirmed a ballot yet, in one query.

    "May vote" as budgets.services.eligibility_refusal says it, except the district of a budget only
    its residents vote in, which the person states on the ballot. Hidden while no budget is in voting.
    """
    user = signed_in(request)
    if user is None:
        return None
    member_here = Membership.objects.approved().filter(user=user).filter(
        Q(organisation=OuterRef("organisation")) | Q(organisation__shared_budget_processes=OuterRef("pk")))
    rows = list(
        Process.objects.filter(phase=Phase.VOTING).select_related("organisation").only(*BANNER_FIELDS, "eligibility", "districts")
        .annotate(ballot_status=Subquery(_mine(user).values("status")[:1]), is_member=Exists(member_here),
                  verified=Exists(EmailAddress.objects.filter(user=user, verified=True)))
        .order_by("results_starts", "pk")[:FOR_YOU_SHOWN]
    )
    if not rows:
        return None
    eligible = [row for row in rows if row.eligibility != Process.Eligibility.MEMBERS or row.is_member]
    if not eligible:
        return None
    open_ = _with_end([row for row in eligible if row.ballot_status != Ballot.Status.CONFIRMED])
    return {"processes": open_, "verified": rows[0].verified, "all_voted": not open_}


def my_ballots(request, obj, bound):
    """Per budget in voting or with a ballot of the person: whether their ballot is cast, and when; never
    what is on it. The budgets they follow."""
    user = signed_in(request)
    if user is None:
        return None
    mine = _mine(user)
    processes = list(
        Process.objects.annotate(has_ballot=Exists(mine)).filter(Q(phase=Phase.VOTING) | Q(has_ballot=True))
        .only("id", "title", "slug", "phase", "results_starts", "review_starts")
        .annotate(ballot_status=Subquery(mine.values("status")[:1]),
                  confirmed_at=Subquery(mine.values("confirmed_at")[:1]))
        .order_by("-voting_starts", "-pk")[:ME_SHOWN]
    )
    follows = list(ProcessFollow.objects.filter(user=user).select_related("process")
                   .only("id", "process__id", "process__title", "process__slug", "process__phase")
                   .order_by("-created_at", "-pk")[:ME_SHOWN])
    return {"processes": _with_end(processes), "follows": follows}


panel("home", "budgets", template="budgets/_home_budgets.html", context=running_budgets, order=10)
panel("for-you", "votes", template="budgets/_for_you_votes.html", context=votes_to_cast, order=10)
panel("me", "ballots", template="budgets/_me_ballots.html", context=my_ballots, order=60)
