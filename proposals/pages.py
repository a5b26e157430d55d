"""What proposals contribute to pages: the matrix's counts, an organisation's ideas, the
proposal page's progress panel, the home page (open calls, newest and most supported proposals, the
calls of one's organisations, proposals put into practice) and My area (one's proposals, supports,
follows and pledges).

The progress panel shows what became of an accepted or funded proposal: the implementation's
steps, progress and public updates, the update form for staff of the proposal's organisation and,
once completed, the evaluations. It only reads: the record is opened by the service that accepts
or funds the proposal. Its queries do not grow with the number of updates or evaluations.
"""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coproduction.pages import kept_figure, matrix_counter, panel, signed_in
from coproduction.permissions import allowed
from stakeholders.models import Membership

from . import services
from .accountability_forms import EvaluationForm, UpdateForm
from .models import (
    AnswerTime, Call, Evaluation, Follow, Implementation, ImplementationUpdate, Pledge, Proposal, Support, kept_mode_counts,
)

UPDATES_SHOWN = 50
COMMENTS_SHOWN = 50
I = Implementation.Status
STEPS = [I.PLANNED, I.IN_PROGRESS, I.COMPLETED]


# The shared status pill (``.status-<state>``) each proposal status wears.
STATUS_STATE = {
    Proposal.Status.DRAFT: "draft", Proposal.Status.PUBLISHED: "open", Proposal.Status.UNDER_REVIEW: "open",
    Proposal.Status.ACCEPTED: "accepted", Proposal.Status.IN_DELIVERY: "in-progress",
    Proposal.Status.COMPLETED: "completed", Proposal.Status.REJECTED: "rejected", Proposal.Status.WITHDRAWN: "closed",
}
HUB_CALLS = 5
HUB_PROPOSALS = 3


def organisation_ideas(request, organisation, bound):
    """The organisation's open calls for ideas, its newest and its most supported visible proposals:
    three queries, however many there are."""
    shown = (Proposal.objects.published().in_organisation(organisation).filter(is_hidden=False)
             .only("id", "title", "status", "support_count", "published_at"))
    newest = list(shown.order_by("-published_at", "-id")[:HUB_PROPOSALS])
    supported = list(shown.filter(support_count__gt=0).order_by("-support_count", "-id")[:HUB_PROPOSALS])
    for proposal in (*newest, *supported):
        proposal.state = STATUS_STATE.get(proposal.status, "open")
    return {
        "organisation": organisation,
        "open_calls": list(organisation.calls.open().order_by("deadline", "id")
                           .only("id", "organisation_id", "title", "deadline")[:HUB_CALLS]),
        "newest_proposals": newest,
        "supported_proposals": supported,
        "answer_time": answer_time(organisation),
    }


def _steps(implementation):
    """[(status, label, state)] with state done / current / todo; a stopped one ends where it stopped."""
    if implementation.status == I.STOPPED:
        reached = [I.PLANNED] + ([I.IN_PROGRESS] if implementation.started_at else [])
        return [(step, I(step).label, "done") for step in reached] + [(I.STOPPED, I.STOPPED.label, "current")]
    current = STEPS.index(implementation.status)
    states = ["done" if index < current else "current" if index == current else "todo"
              for index in range(len(STEPS))]
    if implementation.status == I.COMPLETED:
        states[-1] = "done"
    return [(step, I(step).label, state) for step, state in zip(STEPS, states)]


def _implementation_of(proposal):
    """The proposal's record; nothing is asked of the database when the page loaded it already."""
    if Proposal.implementation.is_cached(proposal):
        return getattr(proposal, "implementation", None)
    return Implementation.objects.filter(proposal=proposal).first()


def progress_context(request, proposal, bound):
    implementation = _implementation_of(proposal)
    if implementation is None:
        return None
    forms = bound or {}
    user = getattr(request, "user", None)
    implementation.proposal = proposal
    updates = list(
        ImplementationUpdate.objects.filter(implementation=implementation).select_related("author")
        .only("id", "implementation_id", "text", "status", "progress", "created_at", "author__display_name")
        [:UPDATES_SHOWN]
    ) if implementation.update_count else []
    can_post = bool(user and user.is_authenticated and allowed(user, "proposals.post_update_proposal", proposal))
    completed = implementation.status == I.COMPLETED
    result = {
        "proposal": proposal, "implementation": implementation, "user": user,
        "steps": _steps(implementation),
        "updates": updates,
        "updates_more": implementation.update_count > len(updates),
        "can_post": can_post,
        "update_form": forms.get("update") or (UpdateForm(implementation=implementation) if can_post else None),
        "completed": completed,
    }
    if implementation.evaluation_count:
        result["comments"] = list(
            Evaluation.objects.filter(implementation=implementation).exclude(comment="")
            .only("id", "implementation_id", "rating", "comment", "created_at")[:COMMENTS_SHOWN]
        )
    if completed and user is not None and user.is_authenticated:
        mine = Evaluation.objects.filter(implementation=implementation, user=user).only("id", "rating").first() \
            if implementation.evaluation_count else None
        result["my_evaluation"] = mine
        if mine is None and services.may_evaluate(user, implementation):
            result["evaluation_form"] = forms.get("evaluation") or EvaluationForm()
    return result


# After the panels of other apps about how the proposal was decided (a budget's vote, say).
panel("proposal", "progress", template="proposals/_implementation.html", context=progress_context, order=200,
      related=("implementation",), stylesheet="css/budgets.css")


matrix_counter("proposals", kept_mode_counts)
panel("organisation", "proposals", template="proposals/_organisation_ideas.html", context=organisation_ideas, order=100,
      related=("answer_time",))


# Fewer answers than this say little about how an organisation answers; the page shows no figure then.
ANSWER_TIME_MIN_ANSWERS = 3


def answer_time(organisation):
    """The kept answer-time figure as a sentence (AnswerTime, loaded with the organisation): no query of
    its own; None below ANSWER_TIME_MIN_ANSWERS."""
    try:
        kept = organisation.answer_time
    except AnswerTime.DoesNotExist:
        return None
    if kept.median_days is None or kept.answer_count < ANSWER_TIME_MIN_ANSWERS:
        return None
    days = round(kept.median_days)
    if days < 1:
        text = ngettext("Answers proposals within a day on average (%(count)s proposal in the last 12 months)",
                        "Answers proposals within a day on average (%(count)s proposals in the last 12 months)",
                        kept.answer_count) % {"count": kept.answer_count}
    else:
        text = ngettext("Answers proposals after %(days)s day on average", "Answers proposals after %(days)s days "
                        "on average", days) % {"days": days}
        text += " " + ngettext("(%(count)s proposal in the last 12 months)",
                               "(%(count)s proposals in the last 12 months)", kept.answer_count) % {
                                   "count": kept.answer_count}
    return text


# --- the home page and My area --------------------------------------------------------------------

HOME_CALLS = 4
HOME_PROPOSALS = 4
ME_SHOWN = 10
P = Proposal.Status
CARD_FIELDS = ("id", "title", "summary", "status", "support_count", "comment_count", "published_at",
               "organisation__name")


def _pills(proposals):
    for proposal in proposals:
        proposal.pill = proposal.status_state
    return proposals



def _open_calls():
    return Call.objects.open().select_related("organisation").only(
        "id", "title", "deadline", "organisation__name").order_by("deadline", "pk")


def _my_organisations(user):
    return Membership.objects.approved().filter(user=user).values("organisation")


def home_calls(request, obj, bound):
    """Open calls for ideas, the soonest deadline first; hidden while no call is open. Someone signed in
    finds their own organisations' calls "for you" (my_calls), so they are not listed twice."""
    user = signed_in(request)
    calls = _open_calls() if user is None else _open_calls().exclude(organisation__in=_my_organisations(user))
    calls = list(calls[:HOME_CALLS])
    return {"calls": calls, "heading": _("Open calls for ideas"), "prefix": "calls"} if calls else None


def home_proposals(request, obj, bound):
    """The newest and the most supported visible proposals, with the way to propose one."""
    public = Proposal.objects.published().filter(is_hidden=False).select_related("organisation").only(*CARD_FIELDS)
    newest = _pills(list(public.order_by("-published_at", "-id")[:HOME_PROPOSALS]))
    supported = _pills(list(public.filter(support_count__gt=0).order_by("-support_count", "-id")[:HOME_PROPOSALS]))
    return {"newest": newest, "supported": supported}


def my_calls(request, obj, bound):
    """Open calls of the organisations where the person holds an approved role; hidden without one."""
    user = signed_in(request)
    if user is None:
        return None
    calls = list(_open_calls().filter(organisation__in=_my_organisations(user))[:HOME_CALLS])
    if not calls:
        return None
    return {"calls": calls, "heading": _("Your organisations ask"), "prefix": "my-calls"}


def realised_figure(request, obj, bound):
    """Proposals put into practice: completed ones, counted with one query (no counter is kept)."""
    number = kept_figure("proposals-realised", lambda: Proposal.objects.filter(status=P.COMPLETED).count())
    return {"number": number, "label": _("proposals put into practice")}


def _first(queryset):
    rows = list(queryset[:ME_SHOWN + 1])
    return rows[:ME_SHOWN], len(rows) > ME_SHOWN


def me_proposals(request, obj, bound):
    """The person's own proposals, drafts included, and the proposals they support, follow or pledged to."""
    user = signed_in(request)
    if user is None:
        return None
    fields = ("id", "title", "status", "created_at", "support_count")
    mine, more_mine = _first(Proposal.objects.filter(author=user).only(*fields).order_by("-created_at", "-pk"))
    visible = Proposal.objects.visible_to(user)
    supported, more_supported = _first(
        Support.objects.filter(user=user, proposal__in=visible).select_related("proposal")
        .only("id", "created_at", *[f"proposal__{name}" for name in fields]).order_by("-created_at", "-pk"))
    followed, more_followed = _first(
        # One's own proposals are followed from the start; they are listed above.
        Follow.objects.filter(user=user, proposal__in=visible).exclude(proposal__author=user).select_related("proposal")
        .only("id", "created_at", *[f"proposal__{name}" for name in fields]).order_by("-created_at", "-pk"))
    pledges, more_pledges = _first(
        Pledge.objects.filter(user=user, proposal__in=visible).select_related("proposal")
        .only("id", "kind", "hours", "amount", "note", "created_at", *[f"proposal__{name}" for name in fields])
        .order_by("-created_at", "-pk"))
    _pills(mine)
    _pills([row.proposal for row in [*supported, *followed, *pledges]])
    return {
        "mine": mine, "more_mine": more_mine, "supported": supported, "more_supported": more_supported,
        "followed": followed, "more_followed": more_followed, "pledges": pledges, "more_pledges": more_pledges,
    }


panel("home", "calls", template="proposals/_home_calls.html", context=home_calls, order=20)
panel("home", "proposals", template="proposals/_home_proposals.html", context=home_proposals, order=30)
panel("for-you", "calls", template="proposals/_home_calls.html", context=my_calls, order=50)
panel("home-figures", "realised", template="coproduction/_stat.html", context=realised_figure, order=30)
panel("me", "proposals", template="proposals/_me_proposals.html", context=me_proposals, order=20)
