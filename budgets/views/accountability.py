"""What became of accepted and funded proposals: progress updates by staff, evaluations, and overviews.

Updates and evaluations are posted from the proposal page (the box of
``{% proposal_budget proposal %}``). A refused post shows the proposal page again with the
reason, the input kept and the fields marked (400), or 403 for someone who may not post at all;
nothing is saved then. The overviews per process and per organisation take a fixed number of
queries whatever their size.
"""
from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from proposals.models import Proposal
from proposals.views import render_detail
from stakeholders.models import Organisation

from .. import services
from ..models import Entry, Implementation, Process
from ..services.accountability import TRACKED
from ..voting_forms import EvaluationForm, UpdateForm

PER_PAGE = 50
I = Implementation.Status


def _proposal_url(proposal_pk, anchor="progress"):
    return f"{reverse('proposals:detail', args=[proposal_pk])}#{anchor}"


def signed_in_post(view):
    """POST only; someone not signed in is sent to sign in and comes back to the proposal's progress."""
    @require_POST
    @wraps(view)
    def wrapper(request, proposal_pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(_proposal_url(proposal_pk))
        return view(request, proposal_pk, *args, **kwargs)
    return wrapper


def _visible_proposal(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("organisation").defer("search_vector"), pk=pk)
    if not rules.has_perm("proposals.view_proposal", request.user, proposal):
        raise Http404
    return proposal


def _again(request, proposal, *, status, error=None, **forms):
    """The proposal page again with the refused form (kept by the budget box) and the reason."""
    request.budget_forms = forms
    return render_detail(request, proposal.pk, status=status, error=error)


@signed_in_post
def update_post(request, proposal_pk):
    """Staff of the proposal's organisation report progress in public."""
    proposal = _visible_proposal(request, proposal_pk)
    if not rules.has_perm("budgets.post_update", request.user, proposal):
        return _again(request, proposal, status=403, error=_("Only staff of the organisation can report progress."))
    implementation = Implementation.objects.filter(proposal=proposal).first()
    if implementation is None and proposal.status not in TRACKED:
        return _again(request, proposal, status=400,
                      error=_("Progress is reported for accepted or funded proposals only."))
    form = UpdateForm(request.POST, implementation=implementation)
    error = _("The update was not published. Please check the form.")
    if form.is_valid():
        try:
            services.implementation_update_post(proposal=proposal, actor=request.user, **form.cleaned_data)
        except services.BudgetError as refusal:
            form.add_error(None, str(refusal))
            error = str(refusal)
        else:
            messages.success(request, _("Your update is published."))
            return redirect(_proposal_url(proposal.pk))
    return _again(request, proposal, status=400, error=error, update=form)


@signed_in_post
def evaluation_post(request, proposal_pk):
    """After completion, the people it was for say whether it helped."""
    proposal = _visible_proposal(request, proposal_pk)
    implementation = Implementation.objects.filter(proposal=proposal).first()
    if implementation is None or implementation.status != I.COMPLETED:
        return _again(request, proposal, status=400,
                      error=_("You can say whether it helped once it is completed."))
    implementation.proposal = proposal
    if not services.may_evaluate(request.user, implementation):
        return _again(request, proposal, status=403,
                      error=_("Only people who took part in it or were meant to benefit can evaluate it."))
    form = EvaluationForm(request.POST)
    error = _("Your evaluation was not sent. Please check the form.")
    if form.is_valid():
        try:
            services.evaluation_create(implementation=implementation, user=request.user, **form.cleaned_data)
        except services.BudgetError as refusal:
            form.add_error(None, str(refusal))
            error = str(refusal)
        else:
            messages.success(request, _("Thank you. Your evaluation is published without your name."))
            return redirect(_proposal_url(proposal.pk))
    return _again(request, proposal, status=400, error=error, evaluation=form)


# --- overviews --------------------------------------------------------------------------------

def _with_implementation(proposals):
    return proposals.select_related("implementation", "budget_entry__process").only(
        "id", "title", "status", "is_hidden", "organisation_id",
        "implementation__id", "implementation__proposal_id", "implementation__status",
        "implementation__progress", "implementation__updated_at", "implementation__update_count",
        "budget_entry__id", "budget_entry__proposal_id", "budget_entry__is_funded", "budget_entry__process_id",
        "budget_entry__process__id", "budget_entry__process__title", "budget_entry__process__slug",
    )


def _attach(rows):
    """Each proposal's implementation (``tracking``) and funding entry (``funding``) or None, from the rows
    already loaded."""
    for proposal in rows:
        proposal.tracking = getattr(proposal, "implementation", None)
        entry = getattr(proposal, "budget_entry", None)
        proposal.funding = entry if entry is not None and entry.is_funded else None
    return rows


def process_progress(request, slug):
    """Every funded proposal of a process with its implementation's status, progress and last update."""
    process = get_object_or_404(Process, slug=slug)
    entries = (Entry.objects.filter(process=process, is_funded=True)
               .select_related("proposal__implementation")
               .only("id", "process_id", "proposal_id", "final_cost", "vote_count", "result_rank", "is_funded",
                     "proposal__id", "proposal__title", "proposal__status", "proposal__is_hidden",
                     "proposal__implementation__id", "proposal__implementation__proposal_id",
                     "proposal__implementation__status", "proposal__implementation__progress",
                     "proposal__implementation__updated_at", "proposal__implementation__update_count")
               .order_by("result_rank", "pk"))
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page")) if process.results_published_at else None
    if page is not None:
        page.object_list = list(page.object_list)
        for entry in page.object_list:
            entry.proposal.tracking = getattr(entry.proposal, "implementation", None)
    return render(request, "budgets/progress.html", {"process": process, "page_obj": page})


def organisation_progress(request, org_slug):
    """All accepted, in-delivery, completed or funded proposals of an organisation and their progress."""
    organisation = get_object_or_404(Organisation.objects.only("id", "name", "slug"), slug=org_slug)
    proposals = (Proposal.objects.filter(organisation=organisation)
                 .filter(Q(status__in=TRACKED) | Q(budget_entry__is_funded=True))
                 .exclude(status=Proposal.Status.DRAFT)
                 .order_by(F("implementation__updated_at").desc(nulls_last=True), "-pk"))
    page = Paginator(_with_implementation(proposals), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _attach(list(page.object_list))
    return render(request, "budgets/organisation_progress.html", {"organisation": organisation, "page_obj": page})
