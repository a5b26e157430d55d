"""The results of a vote, by one documented rule.

Votes are counted by the database over confirmed ballots. The proposals on the ballot (feasible,
not hidden, withdrawn or rejected; see EntryQuerySet.on_ballot) are then taken in order of most
votes; on equal votes the cheaper first (it leaves more for others); on equal cost the one
submitted first. Each proposal with at least one vote is funded if its final cost still fits in
what is left of the budget, otherwise it is skipped and the next one is tried, until the money
or the list runs out. A proposal nobody voted for is never funded. The same ballots therefore
always give the same funded set.
"""
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import activity_record
from proposals.models import Proposal
from proposals.services import implementations_open, proposal_record_decision
from stakeholders.models import Membership

from ..notify import Verb
from ..models import Ballot, Entry, Pick, Process


def results_compute(process):
    """[(entry id, votes, funded, rank)] in result order, and the funded total; nothing is written.

    Two queries, each one pass over its rows: the votes per proposal over the confirmed ballots of
    the process (PostgreSQL joins ballots and picks by hashing instead of looking up the ballot of
    every pick one by one), and the proposals on the ballot with their costs; they are ordered here.
    """
    votes = dict(Pick.objects.filter(ballot__process=process, ballot__status=Ballot.Status.CONFIRMED)
                 .order_by().values("entry").annotate(n=Count("pk")).values_list("entry", "n"))
    on_ballot = Entry.objects.filter(process=process).on_ballot().order_by().values_list("pk", "final_cost")
    ranked = sorted(((pk, votes.get(pk, 0), cost) for pk, cost in on_ballot),
                    key=lambda row: (-row[1], row[2], row[0]))
    left, funded_total, rows = process.total_amount, Decimal("0"), []
    for rank, (pk, count, cost) in enumerate(ranked, start=1):
        funded = count > 0 and cost <= left
        if funded:
            left -= cost
            funded_total += cost
        rows.append((pk, count, funded, rank))
    return rows, funded_total


@transaction.atomic
def results_publish(*, process, now=None, actor=None):
    """Writes the results onto the proposals, funds the winners and records it; once per process."""
    now = now or timezone.now()
    process = Process.objects.select_for_update().get(pk=process.pk)
    if process.results_published_at is not None:
        return process
    rows, funded_total = results_compute(process)
    entries = Entry.objects.in_bulk([pk for pk, *_rest in rows])
    for pk, count, funded, rank in rows:
        entries[pk].vote_count, entries[pk].is_funded, entries[pk].result_rank = count, funded, rank
    Entry.objects.bulk_update(entries.values(), ["vote_count", "is_funded", "result_rank"], batch_size=1000)
    Process.objects.filter(pk=process.pk).update(results_published_at=now, funded_total=funded_total)
    process.results_published_at, process.funded_total = now, funded_total
    funded = [pk for pk, _count, is_funded, _rank in rows if is_funded]
    activity_record(actor=actor, verb=Verb.RESULTS_PUBLISHED, target=process,
                    organisation=process.organisation, funded=len(funded), funded_total=str(funded_total),
                    ballots=process.ballot_count)
    proposals = Proposal.objects.filter(budget_entry__pk__in=funded).select_related("budget_entry").order_by("pk")
    implementations_open(proposals=proposals)
    for proposal in proposals.filter(status__in=[Proposal.Status.PUBLISHED, Proposal.Status.UNDER_REVIEW]):
        proposal_record_decision(
            proposal=proposal, to_status=Proposal.Status.ACCEPTED, actor=actor,
            response=_("Funded by the participatory budget “%(budget)s” with %(votes)s votes.")
            % {"budget": process.title, "votes": entries[proposal.budget_entry.pk].vote_count},
        )
    return process


def eligible_members(process):
    """How many people hold an approved membership in one of the organisations running it; one query."""
    return (Membership.objects.approved()
            .filter(Q(organisation_id=process.organisation_id) | Q(organisation__shared_budget_processes=process))
            .aggregate(people=Count("user_id", distinct=True))["people"])


def result_totals(process):
    """The figures of published results (page, downloads and API): money, ballots, how many proposals were feasible and funded."""
    counts = Entry.objects.filter(process=process, feasibility=Entry.Feasibility.FEASIBLE).aggregate(
        feasible=Count("pk"), funded=Count("pk", filter=Q(is_funded=True)))
    totals = {
        "results_published_at": process.results_published_at, "total_amount": process.total_amount,
        "funded_total": process.funded_total, "left_over": process.total_amount - process.funded_total,
        "ballot_count": process.ballot_count, "feasible_count": counts["feasible"], "funded_count": counts["funded"],
        "eligible_count": None, "turnout_percent": None,
    }
    if process.eligibility == Process.Eligibility.MEMBERS:
        members = eligible_members(process)
        totals["eligible_count"] = members
        totals["turnout_percent"] = min(100, round(100 * process.ballot_count / members, 1)) if members else None
    return totals
