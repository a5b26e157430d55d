"""What participatory budgets hold about a person: their part of the data download, and what erasure does.

The contract of stakeholders.privacy and stakeholders.erasure (see coproduction.contracts).
"""
from django.db.models import Count, Q

from proposals.models import Proposal
from stakeholders.privacy import plain, plain_row

from . import services
from .models import Ballot, Phase, Pick, ProcessFollow

EXPORTED = {
    "budgets.Ballot.user": "budget_ballots",
    "budgets.ProcessFollow.user": "budget_follows",
}

LEFT_OUT = {
    "budgets.Process.created_by": "staff work for an organisation; the budget is public",
    "budgets.Entry.reviewed_by": "staff review of someone else's budget proposal",
}

ERASURE = {
    "budgets.Ballot.user": "unlink: a confirmed ballot stays counted (votes, turnout and results do not "
                           "change) but belongs to nobody; a ballot not yet confirmed was never counted and "
                           "is deleted",
    "budgets.ProcessFollow.user": "delete: only the person's wish to hear about a budget",
    "budgets.Process.created_by": "unlink: staff work for an organisation; the budget is public and stays",
    "budgets.Entry.reviewed_by": "unlink: the public review of someone else's budget proposal stays",
}

def export(user):
    """The person's budget proposals, ballots with their picks, and follows."""
    data = {}
    data["budget_entries"] = [
        {"process": p.budget_entry.process.title,
         "proposal": p.title,
         **plain_row(p.budget_entry, ["feasibility", "feasibility_reason", "final_cost", "vote_count", "is_funded",
                                      "created_at"])}
        for p in Proposal.objects.filter(author=user, budget_entry__isnull=False)
        .select_related("budget_entry__process").order_by("created_at")
    ]
    ballots = list(Ballot.objects.filter(user=user).select_related("process").order_by("created_at"))
    picks = {}
    for pick in Pick.objects.filter(ballot__in=ballots).select_related("entry__proposal").order_by("pk"):
        picks.setdefault(pick.ballot_id, []).append({"proposal": pick.entry.proposal.title, "cost": plain(pick.cost)})
    data["budget_ballots"] = [
        {"process": b.process.title, **plain_row(b, ["status", "budget", "total", "district", "created_at",
                                                      "updated_at", "confirmed_at"]),
         "picks": picks.get(b.pk, [])}
        for b in ballots
    ]
    data["budget_follows"] = [
        {"process": f.process.title, "created_at": plain(f.created_at)}
        for f in ProcessFollow.objects.filter(user=user).select_related("process").order_by("created_at")
    ]
    return data


def erase(*, user, now):
    """Unconfirmed ballots go, confirmed ones stay counted; budget proposals stay with their budget."""
    services.person_ballots_discard(user=user)
    services.person_budget_proposals_release(user=user)


def erasure_summary(*, user, now, summary):
    """The budget proposals that stay without the person's name, and the votes not yet confirmed."""
    budget_proposals = Proposal.objects.filter(author=user, budget_entry__isnull=False).aggregate(
        all=Count("pk"), published=Count("pk", filter=~Q(status=Proposal.Status.DRAFT)))
    summary["kept"]["budget_proposals"] = budget_proposals["all"]
    # Budget proposals have a line of their own, so proposals' line does not count them again.
    summary["kept"]["proposals"] -= budget_proposals["published"]
    summary["open_ballots"] = list(
        Ballot.objects.filter(user=user, status=Ballot.Status.DRAFT, process__phase=Phase.VOTING)
        .values_list("process__title", flat=True).order_by("process__title")
    )
