"""The proposal page: the proposal, its comments and pledges, and what the visitor may do there."""
from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from coproduction.pages import related_of
from coproduction.permissions import allowed
from stakeholders.models import Organisation

from .. import services
from ..forms import CommentForm, PledgeForm, ReplyForm, ReportForm
from ..models import Comment, Follow, Pledge, Proposal, Support


PLEDGES_SHOWN = 50


def comment_threads(comments):
    """Top-level comments in order, each with ``thread_replies``; a reply to a reply joins its thread."""
    by_id = {comment.pk: comment for comment in comments}
    threads = []
    for comment in comments:
        comment.thread_replies = []
    for comment in comments:
        root, depth = comment, 0
        while root.parent_id in by_id and depth < 10:
            root, depth = by_id[root.parent_id], depth + 1
        if root is comment:
            threads.append(comment)
        else:
            root.thread_replies.append(comment)
    return threads


def pledge_totals(proposal):
    """Per kind: how many pledges, and the hours (time) or euros (money) they add up to. One query."""
    rows = {
        row["kind"]: row
        for row in Pledge.objects.filter(proposal=proposal).order_by().values("kind")
        .annotate(count=Count("id"), hours=Sum("hours"), amount=Sum("amount"))
    }
    return [
        {"kind": kind, "label": label, "count": rows[kind]["count"], "hours": rows[kind]["hours"],
         "amount": rows[kind]["amount"]}
        for kind, label in Pledge.Kind.choices if kind in rows
    ]


def reply_auto_id(thread_pk):
    return f"id_reply{thread_pk}_%s"


def _page_queryset(user):
    partners = Prefetch("partner_organisations", queryset=Organisation.objects.only("id", "name", "slug"))
    queryset = (
        Proposal.objects.defer("search_vector")
        .select_related("organisation", "call", "category", "author", "implementation", "image",
                        *related_of("proposal"))
        .prefetch_related(partners)
    )
    if user.is_authenticated:
        queryset = queryset.annotate(
            is_supported=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user)),
            is_followed=Exists(Follow.objects.filter(proposal=OuterRef("pk"), user=user)),
        )
    return queryset


def _visible_proposal(request, pk, queryset=None):
    """The proposal if this person may see it; drafts are 404 for everyone but their author."""
    proposal = get_object_or_404(queryset if queryset is not None else Proposal.objects.select_related("organisation"),
                                 pk=pk)
    if not allowed(request.user, "proposals.view_proposal", proposal):
        raise Http404
    return proposal


def _detail_context(request, proposal, *, comment_form=None, reply_form=None, reply_to=None, pledge_form=None,
                    report_form=None):
    user = request.user
    comments = list(
        proposal.comments.select_related("author").only(
            "id", "proposal_id", "parent_id", "text", "created_at", "edited_at", "is_hidden", "hidden_reason",
            "channel", "entered_by_id", "author_id", "author__display_name",
        )
    )
    threads = comment_threads(comments)
    can = {verb: allowed(user, f"proposals.{verb}_proposal", proposal)
           for verb in ("change", "support", "follow", "comment", "pledge", "report")}
    if can["comment"]:
        for thread in threads:
            thread.reply_form = reply_form if reply_to == thread.pk else ReplyForm(
                auto_id=reply_auto_id(thread.pk), initial={"parent": thread.pk}
            )
    author_moves = services.author_moves(proposal, user)
    return {
        "proposal": proposal,
        "cell": proposal.cell,
        "threads": threads,
        "can": can,
        "can_publish": Proposal.Status.PUBLISHED in author_moves,
        "can_withdraw": Proposal.Status.WITHDRAWN in author_moves,
        "status_changes": proposal.status_changes.select_related("actor").only(
            "id", "proposal_id", "from_status", "to_status", "response", "created_at", "actor__display_name"
        ),
        "pledge_totals": pledge_totals(proposal),
        "pledges": proposal.pledges.select_related("user").only(
            "id", "proposal_id", "kind", "hours", "note", "channel", "created_at", "user__display_name"
        ).order_by("-created_at", "-pk")[:PLEDGES_SHOWN],
        "pledges_shown": PLEDGES_SHOWN,
        "edit_since": timezone.now() - timedelta(minutes=Comment.EDIT_WINDOW_MINUTES),
        "comment_form": comment_form or CommentForm(),
        "pledge_form": pledge_form or PledgeForm(),
        "report_form": report_form or ReportForm(auto_id="id_report_%s"),
    }


def proposal_detail(request, pk):
    proposal = _visible_proposal(request, pk, _page_queryset(request.user))
    return render(request, "proposals/proposal_detail.html", _detail_context(request, proposal))


def render_detail(request, pk, *, status, error=None, bound_panels=None, **forms):
    """The proposal page again, after a refused action: 400 for bad input, 403 for a missing right.

    ``bound_panels`` gives the panels of the page their refused forms back, by panel name.
    """
    if error:
        messages.error(request, error)
    proposal = _visible_proposal(request, pk, _page_queryset(request.user))
    context = _detail_context(request, proposal, **forms)
    context["bound_panels"] = bound_panels or {}
    return render(request, "proposals/proposal_detail.html", context, status=status)
