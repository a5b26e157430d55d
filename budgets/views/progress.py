"""How the funded proposals are being put into practice: overviews per budget and per organisation.

Each takes a fixed number of queries whatever its size. What became of one proposal is shown on
its own page (the proposals' progress panel).
"""
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, render

from proposals.models import Proposal
from proposals.services import TRACKED
from stakeholders.models import Organisation

from ..models import Entry, Process

PER_PAGE = 50


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
