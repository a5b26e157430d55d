"""The public pages of a participatory budget: the list, one process with its proposals, sending in a
proposal, following it, and its results (page, CSV and JSON). Every change goes through budgets.services;
the results pages read what results_publish stored and never count again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coproduction.errors import DomainError
from coproduction.exports import CSV_TYPE, JSON_TYPE, absolute_url_maker, csv_lines, download, json_document
from coproduction.web import signed_in_post
from stakeholders.models import Organisation

from .. import services
from ..forms import ProposeForm
from ..models import PHASE_ORDER, Ballot, Entry, Phase, Process, ProcessFollow
from ..services.results import result_totals

PROCESSES_PER_PAGE = 20
ENTRIES_PER_PAGE = 30
RESULTS_PER_PAGE = 100
AFTER_VOTING = PHASE_ORDER[PHASE_ORDER.index(Phase.VOTING):]

def _partners():
    return Prefetch("partner_organisations", queryset=Organisation.objects.only("id", "name", "slug").order_by("name"),
                    to_attr="partner_list")


def _process_or_404(slug):
    return get_object_or_404(Process.objects.select_related("organisation"), slug=slug)


def _page(request, queryset, per_page):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _process_page(slug):
    return reverse("budgets:detail", args=[slug])


# --- the list ---------------------------------------------------------------------------------

def process_list(request):
    processes = (Process.objects.running_first().select_related("organisation").prefetch_related(_partners())
                 .defer("description", "organisation__description", "organisation__purpose"))
    page = _page(request, processes, PROCESSES_PER_PAGE)
    return render(request, "budgets/process_list.html",
                  {"page_obj": page, "processes": page.object_list, "paginator": page.paginator})


# --- one process --------------------------------------------------------------------------------

def entries_of(process):
    """The process's proposals in the order the page shows them.

    Before voting: in the order they came in. From voting on: feasible ones first (those are on the
    ballot), then those still waiting for review, then the infeasible ones. Once the results are
    published: by their place in the results, the infeasible ones last.
    """
    entries = Entry.objects.filter(process=process).for_cards()
    if process.results_published_at is not None:
        return entries.order_by(F("result_rank").asc(nulls_last=True), "pk")
    if process.phase in AFTER_VOTING:
        feasible_first = Case(
            When(feasibility=Entry.Feasibility.FEASIBLE, then=Value(0)),
            When(feasibility=Entry.Feasibility.PENDING, then=Value(1)),
            default=Value(2), output_field=IntegerField(),
        )
        return entries.order_by(feasible_first, "pk")
    return entries.order_by("pk")


def _ballot_status(process, user):
    """The person's ballot status in a voting process ("draft", "confirmed") or None; one query."""
    if process.phase != Phase.VOTING or not user.is_authenticated:
        return None
    return Ballot.objects.filter(process=process, user=user).values_list("status", flat=True).first()


def process_detail(request, slug):
    process = get_object_or_404(Process.objects.select_related("organisation").prefetch_related(_partners()),
                                slug=slug)
    user = request.user
    page = _page(request, entries_of(process), ENTRIES_PER_PAGE)
    context = {
        "process": process,
        "organisations": [process.organisation, *process.partner_list],
        "page_obj": page,
        "entries": page.object_list,
        "paginator": page.paginator,
        "is_following": user.is_authenticated and ProcessFollow.objects.filter(process=process, user=user).exists(),
        "ballot_status": _ballot_status(process, user),
        "results_out": process.results_published_at is not None,
        "voting_started": process.phase in AFTER_VOTING,
    }
    return render(request, "budgets/process_detail.html", context)


# --- sending in a proposal ------------------------------------------------------------------------

@login_required
def propose(request, slug):
    process = _process_or_404(slug)
    if process.phase != Phase.COLLECTING:
        if request.method == "POST":
            messages.error(request, _("This budget is not collecting proposals now."))
        return render(request, "budgets/propose.html", {"process": process, "form": None},
                      status=400 if request.method == "POST" else 200)
    if request.method == "POST":
        form = ProposeForm(request.POST, process=process)
        if form.is_valid():
            try:
                entry = services.entry_submit(process=process, author=request.user, **form.submit_data())
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _(
                    "Thank you! Your proposal is part of “%(budget)s”. Staff will check it during the review; "
                    "you follow the budget and hear when voting starts."
                ) % {"budget": process.title})
                return redirect(entry.proposal)
        status = 400
    else:
        form = ProposeForm(process=process)
        status = 200
    return render(request, "budgets/propose.html", {"process": process, "form": form}, status=status)


# --- following ------------------------------------------------------------------------------------

@signed_in_post(_process_page)
def follow(request, slug):
    process = _process_or_404(slug)
    services.process_follow(process=process, user=request.user)
    messages.success(request, _("You now follow this budget and will hear when its phase changes."))
    return redirect(process)


@signed_in_post(_process_page)
def unfollow(request, slug):
    process = _process_or_404(slug)
    services.process_unfollow(process=process, user=request.user)
    messages.success(request, _("You no longer follow this budget."))
    return redirect(process)


# --- results --------------------------------------------------------------------------------------

def results(request, slug):
    process = _process_or_404(slug)
    if process.results_published_at is None:
        return render(request, "budgets/results.html", {"process": process, "published": False})
    totals = result_totals(process)
    paginator = Paginator(Entry.objects.results_of(process), RESULTS_PER_PAGE)
    paginator.count = totals["feasible_count"]  # counted just now, with the funded ones
    page = paginator.get_page(request.GET.get("page"))
    context = {**totals, "process": process, "published": True, "page_obj": page, "rows": page.object_list,
               "paginator": page.paginator}
    return render(request, "budgets/results.html", context)


def _result_records(process, request):
    """The results rows for a download: place, proposal, votes, final cost, funded, district and link.

    Only totals per proposal leave: nothing about any voter or ballot, and no author.
    """
    url_of = absolute_url_maker(request, "proposals:detail")
    rows = Entry.objects.results_of(process).values_list(
        "result_rank", "proposal__title", "proposal__is_hidden", "vote_count", "final_cost", "is_funded",
        "proposal__district", "proposal_id")
    return [
        {"place": rank, "proposal_id": proposal_id, "title": None if is_hidden else title, "hidden": is_hidden,
         "votes": votes, "final_cost": f"{cost:.2f}", "funded": is_funded, "district": district,
         "url": url_of(proposal_id)}
        for rank, title, is_hidden, votes, cost, is_funded, district, proposal_id in rows
    ]


def _published_process_or_404(slug):
    """The downloads exist exactly when the results page shows results."""
    process = _process_or_404(slug)
    if process.results_published_at is None:
        raise Http404
    return process


@require_safe
def results_csv(request, slug):
    """The results table as a spreadsheet: the same rows, no personal data, UTF-8 with a BOM for Excel."""
    process = _published_process_or_404(slug)
    hidden, yes, no = _("Hidden proposal"), _("yes"), _("no")
    header = [_("Place"), _("Proposal"), _("Votes"), _("Final cost (€)"), _("Funded"), _("District"), _("Link")]
    lines = csv_lines(header, (
        [row["place"] or "", hidden if row["hidden"] else row["title"], row["votes"], row["final_cost"],
         yes if row["funded"] else no, row["district"], row["url"]]
        for row in _result_records(process, request)
    ))
    return download(lines, content_type=CSV_TYPE, filename=f"budget-{process.slug}-results.csv", stream=False)


@require_safe
def results_json(request, slug):
    """The same results as one JSON document, with the budget's totals and turnout as on the results page."""
    process = _published_process_or_404(slug)
    head = {
        "generated_at": timezone.now().isoformat(),
        "budget": {
            "slug": process.slug, "title": process.title, "url": request.build_absolute_uri(process.get_absolute_url()),
            "organisation": process.organisation.name, "total_amount": f"{process.total_amount:.2f}",
            "funded_total": f"{process.funded_total:.2f}", "ballot_count": process.ballot_count,
            "results_published_at": timezone.localtime(process.results_published_at).isoformat(),
        },
    }
    document = json_document(head, _result_records(process, request))
    return download(document, content_type=JSON_TYPE, filename=f"budget-{process.slug}-results.json", stream=False)
