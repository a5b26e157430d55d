"""What proposals contribute to pages: the matrix's counts, an organisation's ideas, and the
proposal page's progress panel.

The progress panel shows what became of an accepted or funded proposal: the implementation's
steps, progress and public updates, the update form for staff of the proposal's organisation and,
once completed, the evaluations. It only reads: the record is opened by the service that accepts
or funds the proposal. Its queries do not grow with the number of updates or evaluations.
"""
from coproduction.pages import matrix_counter, panel
from coproduction.permissions import allowed

from . import services
from .accountability_forms import EvaluationForm, UpdateForm
from .models import Evaluation, Implementation, ImplementationUpdate, Proposal, kept_mode_counts

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
panel("organisation", "proposals", template="proposals/_organisation_ideas.html", context=organisation_ideas, order=100)
