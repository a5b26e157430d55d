"""Template helpers of participatory budgets: amounts in euros, and the budget box on a proposal page.

``{% proposal_budget proposal %}`` shows, on the proposal page, the budget the proposal takes part
in and what became of it: review, votes, funding, the implementation's steps, progress and
public updates, the update form for staff of its organisation and, once completed, the
evaluations. Its queries do not grow with the number of updates or evaluations.
"""
import rules
from django import template
from django.utils.html import format_html

from proposals.models import Proposal

from .. import services
from ..money import format_euros
from ..models import Entry, Evaluation, Implementation, ImplementationUpdate, Process
from ..services.accountability import TRACKED
from ..voting_forms import EvaluationForm, UpdateForm

register = template.Library()

UPDATES_SHOWN = 50
COMMENTS_SHOWN = 50
I = Implementation.Status


@register.filter
def euros(amount):
    """1234.5 → “1.234,50 €” (German) or “1,234.50 €” (English); no break before the sign."""
    if amount in (None, ""):
        return ""
    return format_html("{}", format_euros(amount))


def _fields(prefix, model, exclude=()):
    return [f"{prefix}__{field.name}" for field in model._meta.concrete_fields if field.name not in exclude]


# What the box shows of a proposal's entry, process and implementation (none of the long texts).
RELATED_FIELDS = [
    *_fields("budget_entry", Entry),
    *_fields("budget_entry__process", Process, exclude=("description",)),
    *_fields("implementation", Implementation),
]


def _budget_and_implementation(proposal):
    """The proposal's entry (with its process) and implementation. Nothing is asked of the database
    when the page loaded them already (select_related("budget_entry__process", "implementation")),
    else one query."""
    if Proposal.budget_entry.is_cached(proposal) and Proposal.implementation.is_cached(proposal):
        entry = getattr(proposal, "budget_entry", None)
        if entry is None or Entry.process.is_cached(entry):
            return entry, getattr(proposal, "implementation", None)
    row = (Proposal.objects.filter(pk=proposal.pk).select_related("budget_entry__process", "implementation")
           .only("id", *RELATED_FIELDS).first())
    if row is None:
        return None, None
    return getattr(row, "budget_entry", None), getattr(row, "implementation", None)


STEPS = [I.PLANNED, I.IN_PROGRESS, I.COMPLETED]


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


@register.inclusion_tag("budgets/_implementation.html", takes_context=True)
def proposal_budget(context, proposal):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    forms = getattr(request, "budget_forms", {}) if request is not None else {}
    entry, implementation = _budget_and_implementation(proposal)
    if implementation is None and proposal.status in TRACKED:
        implementation = services.implementation_for(proposal)
    result = {"proposal": proposal, "entry": entry, "implementation": implementation, "user": user}
    if entry is not None:
        result["process"] = entry.process
        result["results_out"] = entry.process.results_published_at is not None
    if implementation is None:
        return result
    implementation.proposal = proposal
    updates = list(
        ImplementationUpdate.objects.filter(implementation=implementation).select_related("author")
        .only("id", "implementation_id", "text", "status", "progress", "created_at", "author__display_name")
        [:UPDATES_SHOWN]
    ) if implementation.update_count else []
    can_post = bool(user and user.is_authenticated and rules.has_perm("budgets.post_update", user, proposal))
    completed = implementation.status == I.COMPLETED
    result.update({
        "steps": _steps(implementation),
        "updates": updates,
        "updates_more": implementation.update_count > len(updates),
        "can_post": can_post,
        "update_form": forms.get("update") or (UpdateForm(implementation=implementation) if can_post else None),
        "completed": completed,
    })
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
