"""What proposals holds about a person: its part of the data download, and what erasure does with it.

The contract of stakeholders.privacy and stakeholders.erasure (see coproduction.contracts).
"""
from django.db.models import Count, Q

from stakeholders.privacy import organisation_name, plain, plain_row

from . import services
from .models import Comment, Evaluation, Follow, ImplementationUpdate, Pledge, Proposal, Report, Support

EXPORTED = {
    "proposals.Proposal.author": "proposals",
    "proposals.Proposal.entered_by": "entered_on_behalf_of_others",
    "proposals.Comment.author": "comments",
    "proposals.Comment.entered_by": "entered_on_behalf_of_others",
    "proposals.Support.user": "supports",
    "proposals.Support.entered_by": "entered_on_behalf_of_others",
    "proposals.Follow.user": "follows",
    "proposals.Pledge.user": "pledges",
    "proposals.Pledge.entered_by": "entered_on_behalf_of_others",
    "proposals.Report.reporter": "reports",
    # Named as they were when only participatory budgets tracked what became of a proposal.
    "proposals.Evaluation.user": "budget_evaluations",
    "proposals.ImplementationUpdate.author": "budget_implementation_updates",
}

LEFT_OUT = {
    "proposals.Call.created_by": "staff work for an organisation; the call itself is public",
    "proposals.StatusChange.actor": "staff work; status changes are public in the proposal's history "
                                    "and logged in the activities",
    "proposals.Report.decided_by": "staff moderation of someone else's report",
}

ERASURE = {
    "proposals.Proposal.author": "keep as deleted user: others support, discuss and decide on published "
                                 "proposals; drafts, seen only by their author, are deleted",
    "proposals.Proposal.entered_by": "unlink: staff entered it for a participant; it stays theirs, marked as "
                                     "entered by staff",
    "proposals.Support.user": "delete: a support can be withdrawn at any time; erasure withdraws it and the "
                              "proposal's support count goes down by one",
    "proposals.Support.entered_by": "unlink: staff entered it for a participant with their consent; it stays",
    "proposals.Follow.user": "delete: only the person's wish to hear about a proposal",
    "proposals.Comment.author": "keep as deleted user: replies and the discussion rely on it",
    "proposals.Comment.entered_by": "unlink: staff entered it for a participant; it stays theirs",
    "proposals.Pledge.user": "delete: an offer of the person's own time, skills, contacts, room or money that "
                             "nobody can take up any more; the pledge count goes down with it",
    "proposals.Pledge.entered_by": "unlink: staff entered it for a participant; it stays theirs",
    "proposals.Call.created_by": "unlink: staff work for an organisation; the call is public and stays",
    "proposals.StatusChange.actor": "unlink: the public history and the organisation's official responses stay",
    "proposals.Report.reporter": "unlink: a report stays in the moderation queue until staff decide on it; "
                                 "who reported it is no longer known",
    "proposals.Report.decided_by": "unlink: the moderation decision stays",
    "proposals.Evaluation.user": "unlink: evaluations are shown without names; the rating stays in the average",
    "proposals.ImplementationUpdate.author": "keep as deleted user: a public progress report of an organisation",
}


def public_contributions(user):
    """Published proposals and visible comments on them carry the author's name for everyone."""
    shown = Proposal.objects.published().filter(is_hidden=False)
    return [shown.filter(author=user), Comment.objects.filter(author=user, is_hidden=False, proposal__in=shown)]


def export(user):
    """The person's proposals, comments, supports, follows, pledges, reports, what they entered for others,
    and their evaluations and progress updates of proposals."""
    data = {}
    data["proposals"] = [
        {"organisation": organisation_name(p), "channel": p.channel,
         **plain_row(p, ["id", "title", "summary", "text", "district", "estimated_cost", "planning", "delivery",
                         "status", "is_hidden", "hidden_reason", "created_at", "published_at"])}
        for p in Proposal.objects.filter(author=user).select_related("organisation").order_by("created_at")
    ]
    data["comments"] = [
        {"proposal": c.proposal.title, "channel": c.channel,
         **plain_row(c, ["text", "created_at", "edited_at", "is_hidden", "hidden_reason"])}
        for c in Comment.objects.filter(author=user).select_related("proposal").order_by("created_at")
    ]
    data["supports"] = [
        {"proposal": s.proposal.title, "channel": s.channel, "created_at": plain(s.created_at)}
        for s in Support.objects.filter(user=user).select_related("proposal").order_by("created_at")
    ]
    data["follows"] = [
        {"proposal": f.proposal.title, "created_at": plain(f.created_at)}
        for f in Follow.objects.filter(user=user).select_related("proposal").order_by("created_at")
    ]
    data["pledges"] = [
        {"proposal": p.proposal.title, "channel": p.channel,
         **plain_row(p, ["kind", "hours", "amount", "note", "created_at"])}
        for p in Pledge.objects.filter(user=user).select_related("proposal").order_by("created_at")
    ]
    # What staff entered for others by phone, on paper or at a drop-in: only that it happened, not whose it is.
    entered = []
    for model, kind in ((Proposal, "proposal"), (Comment, "comment"), (Support, "support"), (Pledge, "pledge")):
        own = {"author": user} if model in (Proposal, Comment) else {"user": user}
        entered += [{"kind": kind, "channel": entry.channel, "created_at": plain(entry.created_at)}
                    for entry in model.objects.filter(entered_by=user).exclude(**own).order_by("created_at")]
    data["entered_on_behalf_of_others"] = entered
    data["reports"] = [
        # What was reported, by its public proposal; never the text of someone else's comment.
        {"about": "comment" if r.comment_id else "proposal",
         "proposal": r.proposal.title, **plain_row(r, ["reason", "status", "created_at", "decided_at"])}
        for r in Report.objects.filter(reporter=user).select_related("proposal").order_by("created_at")
    ]
    data.update(_accountability(user))
    return data


def _accountability(user):
    return {
        "budget_evaluations": [
            {"proposal": e.implementation.proposal.title, **plain_row(e, ["rating", "comment", "created_at"])}
            for e in Evaluation.objects.filter(user=user).select_related("implementation__proposal")
            .order_by("created_at")
        ],
        "budget_implementation_updates": [
            {"proposal": u.implementation.proposal.title,
             **plain_row(u, ["text", "status", "progress", "created_at"])}
            for u in ImplementationUpdate.objects.filter(author=user).select_related("implementation__proposal")
            .order_by("created_at")
        ],
    }



def erase(*, user, now):
    """Supports and pledges are withdrawn with the counters kept on their proposals; the pictures of the
    person's own proposals and their private drafts go."""
    services.person_contributions_withdraw(user=user)
    services.person_pictures_discard(user=user)
    services.person_drafts_delete(user=user)


def erasure_summary(*, user, now, summary):
    """The proposals and comments that stay without the person's name, and the drafts that go."""
    proposals = Proposal.objects.filter(author=user).aggregate(
        kept=Count("pk", filter=~Q(status=Proposal.Status.DRAFT)),
        drafts=Count("pk", filter=Q(status=Proposal.Status.DRAFT)),
    )
    summary["kept"]["proposals"] = proposals["kept"]
    summary["kept"]["comments"] = Comment.objects.filter(author=user).count()
    summary["drafts"] = proposals["drafts"]
