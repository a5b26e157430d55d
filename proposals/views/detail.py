"""The proposal page: the proposal, its comments and pledges, and what the visitor may do there."""
from dataclasses import dataclass, field

from django.contrib import messages
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum, Window
from django.db.models.functions import Coalesce, DenseRank
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from coproduction.pages import related_of
from coproduction.permissions import allowed
from coproduction.planning import joins_as_written
from stakeholders.models import Organisation

from .. import rules, services
from ..forms import CommentForm, PledgeForm, ReplyForm, ReportForm
from ..models import Comment, Follow, Pledge, Proposal, Support


PLEDGES_SHOWN = 50
# Comments come oldest first, as a conversation reads, twenty threads (with their replies) a page.
COMMENTS_PER_PAGE = 20
COMMENT_PAGE_PARAM = "comments"
# What someone not signed in can start on the page; they come back to it after signing in (?do=…).
VISITOR_ACTIONS = ("support", "follow", "pledge", "comment")
ACTION_ANCHORS = {"support": "actions", "follow": "actions", "pledge": "pledge-form", "comment": "comment-form"}


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


def _thread_comments(proposal):
    # Not proposal.comments: that would hang the proposal on every comment, and a comment's kept
    # rendering would change with each support of the proposal.
    return Comment.objects.filter(proposal_id=proposal.pk).select_related("author").only(
        "id", "proposal_id", "parent_id", "text", "created_at", "edited_at", "is_hidden", "hidden_reason",
        "channel", "entered_by_id", "author_id", "author__display_name",
    )


def comment_page_of(comment):
    """The page of the proposal's comments on which ``comment``'s thread stands."""
    root_id = comment.parent_id or comment.pk
    root = Comment.objects.only("id", "created_at").get(pk=root_id)
    before = Comment.objects.filter(proposal_id=comment.proposal_id, parent=None).filter(
        Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)).count()
    return before // COMMENTS_PER_PAGE + 1


def comment_url(proposal, comment):
    """Where a comment is seen: its page of the proposal's comments, scrolled to it."""
    page = comment_page_of(comment)
    query = f"?{COMMENT_PAGE_PARAM}={page}" if page > 1 else ""
    return f"{proposal.get_absolute_url()}{query}#comment-{comment.pk}"


@dataclass
class Thread:
    """A conversation on the page: its first comment, the replies to it and, for who may reply, the reply form.

    They stand beside the comment instead of on it, so that a comment's kept rendering is keyed by the
    comment alone ({% fragment comment %} in _comment.html)."""

    comment: Comment
    replies: list = field(default_factory=list)
    reply_form: ReplyForm = None

    @property
    def pk(self):
        return self.comment.pk


def _threads_of(comments):
    threads = [Thread(comment) for comment in comments if comment.parent_id is None]
    by_id = {thread.pk: thread for thread in threads}
    for comment in comments:
        if comment.parent_id in by_id:  # replies answer the thread's first comment (comment_create)
            by_id[comment.parent_id].replies.append(comment)
    return threads


class ThreadPage:
    """One page of a proposal's conversations: which page, whether others come before or after it."""

    def __init__(self, number, thread_count, per_page):
        self.number = number
        self.paginator = Paginator(range(thread_count), per_page)  # counts nothing: a range has its length
        self.start_index = (number - 1) * per_page + 1 if thread_count else 0
        self.end_index = min(number * per_page, thread_count)

    def has_other_pages(self):
        return self.paginator.num_pages > 1

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.paginator.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def comment_page(request, proposal, *, thread_pk=None):
    """One page of threads, each with its replies, in one query however many comments there are:
    each row carries the number of its thread and the number of threads, and only the page's come back."""
    if proposal.comment_count <= COMMENTS_PER_PAGE:
        # Most proposals: every thread fits on the first page, read in order without numbering them. A kept
        # count that lags behind shows a few comments more on the page, never fewer.
        threads = _threads_of(list(_thread_comments(proposal).order_by("created_at", "pk")))
        return ThreadPage(1, len(threads), max(len(threads), COMMENTS_PER_PAGE)), threads
    if thread_pk is not None:
        number = comment_page_of(Comment(pk=thread_pk, proposal_id=proposal.pk))
    else:
        raw = request.GET.get(COMMENT_PAGE_PARAM, "1")
        number = int(raw) if raw.isdigit() and 0 < int(raw) < 100000 else 1
    rows = _numbered_comments(proposal, number)
    if not rows and number > 1:  # past the last page: the last page
        total = _numbered_comments(proposal, 1)[:1]
        threads = total[0].thread_total if total else 0
        number = max(1, -(-threads // COMMENTS_PER_PAGE))
        rows = _numbered_comments(proposal, number)
    thread_total = rows[0].thread_total if rows else 0
    return ThreadPage(number, thread_total, COMMENTS_PER_PAGE), _threads_of(rows)


def _numbered_comments(proposal, number):
    thread_time = Coalesce("parent__created_at", "created_at")
    thread_id = Coalesce("parent_id", "id")
    first = (number - 1) * COMMENTS_PER_PAGE
    return list(
        _thread_comments(proposal)
        .annotate(
            thread_number=Window(DenseRank(), order_by=[thread_time.asc(), thread_id.asc()]),
            thread_total=Window(Count("id", filter=Q(parent__isnull=True))),
        )
        .filter(thread_number__gt=first, thread_number__lte=first + COMMENTS_PER_PAGE)
        .order_by("thread_number", "created_at", "pk")
    )


def visitor_links(proposal):
    """For someone not signed in: each action the proposal is open for, as a way to sign in and come back to it."""
    could = {
        "support": rules.is_supportable(None, proposal),
        "pledge": rules.is_supportable(None, proposal),
        "follow": rules.is_published(None, proposal),
        "comment": rules.is_open_for_comments(None, proposal),
    }
    login = reverse("account_login")
    return {
        verb: f"{login}?{urlencode({'next': f'{proposal.get_absolute_url()}?do={verb}#{ACTION_ANCHORS[verb]}'})}"
        for verb in VISITOR_ACTIONS if could[verb]
    }


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
    with joins_as_written():
        proposal = get_object_or_404(
            queryset if queryset is not None else Proposal.objects.select_related("organisation"), pk=pk)
    if not allowed(request.user, "proposals.view_proposal", proposal):
        raise Http404
    return proposal


def _mark_editable(threads, user):
    """Marks each comment on the page that this person may still edit (Comment.editable_by). The mark is
    part of the comment, so its kept rendering follows it."""
    now = timezone.now()
    for thread in threads:
        for comment in (thread.comment, *thread.replies):
            comment.editable = comment.editable_by(user, now)


def _detail_context(request, proposal, *, comment_form=None, reply_form=None, reply_to=None, pledge_form=None,
                    report_form=None):
    user = request.user
    page, threads = comment_page(request, proposal, thread_pk=reply_to)
    can = {verb: allowed(user, f"proposals.{verb}_proposal", proposal)
           for verb in ("change", "support", "follow", "comment", "pledge", "report")}
    if can["comment"]:
        for thread in threads:
            thread.reply_form = reply_form if reply_to == thread.pk else ReplyForm(
                auto_id=reply_auto_id(thread.pk), initial={"parent": thread.pk}
            )
    _mark_editable(threads, user)
    author_moves = services.author_moves(proposal, user)
    return {
        "proposal": proposal,
        "cell": proposal.cell,
        "threads": threads,
        "comment_page": page,
        "comment_page_param": COMMENT_PAGE_PARAM,
        "comment_page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "visitor_links": {} if user.is_authenticated else visitor_links(proposal),
        "returned_for": request.GET.get("do") if user.is_authenticated and request.GET.get("do") in VISITOR_ACTIONS
        else None,
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
