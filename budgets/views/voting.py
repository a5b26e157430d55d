"""The ballot of a participatory budget: choosing proposals within the budget and confirming the vote.

One page, /budgets/<slug>/ballot/, in several states: before voting it says when voting starts,
during voting it shows the form (or why this person may not vote, or that their vote is
counted), after voting it shows what the person voted. Everything works without JavaScript;
static/js/budgets-ballot.js only adds the live total. The services decide and write; a refusal
is shown with the service's message, the person's choice kept, and nothing saved.
"""
import html
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduction.errors import DomainError
from coproduction.formatting import amount_formatter

from .. import services
from ..models import PHASE_ORDER, Ballot, Entry, Phase, Pick, Process
from ..voting_forms import BallotForm

TEMPLATE = "budgets/ballot.html"


class Option:
    """A feasible proposal on the ballot; plain values, as the page may list thousands."""

    __slots__ = ("pk", "cost", "proposal_id", "title", "saved", "checked")

    def __init__(self, pk, cost, proposal_id, title):
        self.pk, self.cost, self.proposal_id, self.title = pk, cost, proposal_id, title
        self.saved = self.checked = False


def _feasible_entries(process):
    """The feasible proposals of the process, by title; one query however many there are."""
    hidden = _("Hidden proposal")
    rows = (Entry.objects.filter(process=process).on_ballot()
            .order_by("proposal__title", "pk")
            .values_list("pk", "final_cost", "proposal_id", "proposal__title", "proposal__is_hidden"))
    return [Option(pk, cost, proposal_id, hidden if is_hidden else title)
            for pk, cost, proposal_id, title, is_hidden in rows]


def _proposal_url_pattern():
    marker = 918273645
    return reverse("proposals:detail", args=[marker]).replace(str(marker), "{}")


def _option_rows(options, *, form):
    """The list items of the ballot, as HTML. Written here rather than in a template loop, so a
    ballot of 2,000 proposals renders in a few milliseconds; every title is escaped."""
    url, read, amount = _proposal_url_pattern(), html.escape(_("Read")), amount_formatter()
    items = []
    append = items.append
    for option in options:
        title, href = html.escape(option.title), url.format(option.proposal_id)
        cost = f"{amount(option.cost)}\u00a0€"
        if not form:
            append(f'<li><a href="{href}">{title}</a> <span class="ballot-cost">{cost}</span></li>')
            continue
        pk = option.pk
        flags = (' data-saved="true"' if option.saved else "") + (" checked" if option.checked else "")
        append(
            f'<li class="ballot-option"><input type="checkbox" name="entries" value="{pk}" id="entry-{pk}" '
            f'data-cost="{option.cost:f}"{flags}> <label for="entry-{pk}">{title} <span class="ballot-cost">'
            f'{cost}</span></label> <a class="ballot-read" href="{href}">{read}<span class="visually-hidden">: '
            f'{title}</span></a></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 – built from escaped parts only


def _ballot_with_picks(process, user):
    """The person's ballot and its picks (with their proposals), or (None, []); two queries at most."""
    if not user.is_authenticated:
        return None, []
    ballot = Ballot.objects.filter(process=process, user=user).first()
    if ballot is None:
        return None, []
    picks = list(
        Pick.objects.filter(ballot=ballot).select_related("entry__proposal")
        .only("id", "ballot_id", "cost", "entry__id", "entry__proposal__id", "entry__proposal__title",
              "entry__proposal__is_hidden")
        .order_by("entry__proposal__title", "pk")
    )
    return ballot, picks


def _refusal(process, user):
    """Why this person may not vote at all, or None. Residents say their district on the form itself,
    so here any district of the process stands in for it; only the other conditions are checked."""
    stand_in = ""
    if process.eligibility == Process.Eligibility.RESIDENTS and process.district_list:
        stand_in = process.district_list[0]
    return services.eligibility_refusal(process, user, stand_in)


def _state(process, user, ballot):
    index, voting = PHASE_ORDER.index(process.phase), PHASE_ORDER.index(Phase.VOTING)
    if index < voting:
        return "before"
    if index > voting:
        return "after"
    if not user.is_authenticated:
        return "anonymous"
    if ballot is not None and ballot.is_confirmed:
        return "counted"
    return "form"


def _context(request, process, *, form=None, error=None, error_field="picks"):
    """Everything the page shows. ``form`` is the refused submission, whose choice is shown again."""
    user = request.user
    ballot, picks = _ballot_with_picks(process, user)
    state = _state(process, user, ballot)
    refusal = _refusal(process, user) if state == "form" else None
    if refusal:
        state = "refused"
    saved = {pick.entry_id for pick in picks}
    entries = _feasible_entries(process) if state in ("form", "anonymous") else []
    checked = form.submitted_ids() if form is not None else saved
    chosen_total = Decimal("0")
    for entry in entries:
        entry.saved, entry.checked = entry.pk in saved, entry.pk in checked
        if entry.checked:
            chosen_total += entry.cost
    budget = ballot.budget if ballot is not None else process.total_amount
    # The district said on the ballot, else the one the person gave when signing up or in their profile.
    district = form.data.get("district", "") if form is not None else (
        (ballot.district if ballot else "") or getattr(request.user, "district", ""))
    confirmed = ballot is not None and ballot.is_confirmed
    show_picks = bool(picks) and (confirmed or state in ("form", "refused"))
    if confirmed:
        picks_heading = _("What you voted")
    elif state == "refused":
        picks_heading = _("Your saved choice (not counted)")
    else:
        picks_heading = _("Your saved choice")
    return {
        "process": process,
        "state": state,
        "refusal": refusal,
        "ballot": ballot,
        "picks": picks,
        "picks_total": sum((pick.cost for pick in picks), Decimal("0")),
        "entries": entries,
        "option_rows": _option_rows(entries, form=state == "form") if entries else "",
        "budget": budget,
        "chosen_total": chosen_total,
        "remaining": budget - chosen_total,
        "over_budget": chosen_total > budget,
        "over_amount": max(chosen_total - budget, Decimal("0")),
        "show_picks": show_picks,
        "picks_heading": picks_heading,
        "picks_level": 3 if state == "form" else 2,
        "unsaved": form is not None and checked != saved,
        "needs_district": process.eligibility == Process.Eligibility.RESIDENTS,
        "districts": process.district_list,
        "district": district,
        "error": error,
        "error_field": error_field,
        "voting_starts": process.voting_starts,
        "results_url": reverse("budgets:results", args=[process.slug]),
    }


def _render(request, process, *, status=200, **kwargs):
    return render(request, TEMPLATE, _context(request, process, **kwargs), status=status)


def _error_field(user, process, district):
    """The field a refusal belongs to: the district if it is missing or unknown where residents vote
    (an empty one stands for the district already on the ballot, as in the service)."""
    if process.eligibility != Process.Eligibility.RESIDENTS:
        return "picks"
    if not district:
        district = Ballot.objects.filter(process=process, user=user).values_list("district", flat=True).first() or ""
    return "picks" if district in process.district_list else "district"


@require_http_methods(["GET", "HEAD", "POST"])
def ballot(request, slug):
    process = get_object_or_404(Process, slug=slug)
    if request.method != "POST":
        return _render(request, process)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("budgets:ballot", args=[slug]))
    form = BallotForm(request.POST)
    if not form.is_valid():
        errors = form.non_field_errors() or [error for errors in form.errors.values() for error in errors]
        return _render(request, process, status=400, form=form, error=errors[0])
    district = form.cleaned_data["district"].strip()
    try:
        services.ballot_set_picks(process=process, user=request.user, entry_ids=form.entry_ids, district=district)
    except DomainError as refusal:
        return _render(request, process, status=400, form=form, error=refusal.message,
                       error_field=_error_field(request.user, process, district))
    if form.entry_ids:
        messages.success(request, _("Your choice is saved. It counts once you confirm your vote below."))
    else:
        messages.success(request, _("Your choice is saved: no proposal is chosen."))
    return redirect(f"{reverse('budgets:ballot', args=[slug])}#ballot-summary")


@require_POST
def ballot_confirm(request, slug):
    process = get_object_or_404(Process, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("budgets:ballot", args=[slug]))
    try:
        services.ballot_confirm(process=process, user=request.user)
    except DomainError as refusal:
        return _render(request, process, status=400, error=refusal.message, error_field="confirm")
    messages.success(request, _("Your vote is counted. Thank you for taking part."))
    return redirect("budgets:ballot", slug)
