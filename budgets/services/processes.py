"""Phases, proposals entering a process, and their review."""
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduction.formatting import amount
from coproduction.modes import Delivery, Planning
from notifications.services import activity_record
from proposals.models import Proposal
from proposals.services import ProposalError, proposal_create, proposal_record_decision
from stakeholders.staff import require_staff

from ..models import PHASE_ORDER, PHASE_STARTS, Entry, Phase, Process, ProcessFollow
from ..notify import Verb
from .common import lock_process
from .errors import BudgetError


STAFF_ONLY = gettext_lazy("Only staff of the organisations running this budget can do this.")


def phases_advance(now=None):
    """Moves every process to the phase its dates say; correct however long no worker ran.

    A process only moves forward; one that skipped phases while nobody looked jumps straight to
    the due one (and publishes its results on the way if voting has ended).
    """
    now = now or timezone.now()
    moved = 0
    for process in Process.objects.exclude(phase=Phase.IMPLEMENTATION).order_by("pk"):
        if PHASE_ORDER.index(process.phase_due(now)) > PHASE_ORDER.index(process.phase):
            with transaction.atomic():
                process = lock_process(process)
                due = process.phase_due(now)
                if PHASE_ORDER.index(due) > PHASE_ORDER.index(process.phase):
                    _enter(process, due, actor=None, now=now)
                    moved += 1
    return moved


@transaction.atomic
def phase_move(*, process, actor, to_phase, now=None):
    """Staff move a process on by hand (never back); the dates follow, so the schedule agrees."""
    now = now or timezone.now()
    process = lock_process(process)
    require_staff(actor, process, STAFF_ONLY)
    if to_phase not in PHASE_ORDER or PHASE_ORDER.index(to_phase) <= PHASE_ORDER.index(process.phase):
        raise BudgetError(_("A budget can only move on to a later phase."))
    for phase in PHASE_ORDER[PHASE_ORDER.index(process.phase) + 1:PHASE_ORDER.index(to_phase) + 1]:
        field = PHASE_STARTS[phase]
        setattr(process, field, min(getattr(process, field), now))
    if process.voting_starts >= process.results_starts:  # the database wants voting to last a moment
        process.voting_starts = process.results_starts - timedelta(seconds=1)
        # ...and the phases before it must not start after it.
        process.review_starts = min(process.review_starts, process.voting_starts)
        process.collecting_starts = min(process.collecting_starts, process.review_starts)
    process.save(update_fields=list(PHASE_STARTS.values()))
    _enter(process, to_phase, actor=actor, now=now)
    return process


def _enter(process, to_phase, *, actor, now):
    from .results import results_publish

    from_phase = process.phase
    Process.objects.filter(pk=process.pk).update(phase=to_phase, phase_changed_at=now)
    process.phase, process.phase_changed_at = to_phase, now
    activity_record(actor=actor, verb=Verb.PHASE_CHANGED, target=process, organisation=process.organisation,
                    from_phase=from_phase, to_phase=to_phase)
    if PHASE_ORDER.index(to_phase) >= PHASE_ORDER.index(Phase.RESULTS) and process.results_published_at is None:
        results_publish(process=process, now=now, actor=actor)


@transaction.atomic
def entry_submit(*, process, author, title, summary, text, planning, delivery, estimated_cost, district=""):
    """A proposal written into the process while it collects proposals; a cost estimate is required."""
    process = lock_process(process)
    if process.phase != Phase.COLLECTING:
        raise BudgetError(_("This budget is not collecting proposals now."))
    if estimated_cost is None:
        raise BudgetError(_("Say roughly what it would cost."))
    estimated_cost = Decimal(estimated_cost)
    if estimated_cost <= 0:
        raise BudgetError(_("The cost must be more than 0 €."))
    if estimated_cost > process.total_amount:
        raise BudgetError(_("The cost cannot be more than the whole budget of %(total)s €.")
                          % {"total": amount(process.total_amount)})
    if planning not in Planning.values or delivery not in Delivery.values:
        raise BudgetError(_("Say who plans and who delivers it."))
    if process.district_list and district not in process.district_list:
        raise BudgetError(_("Choose one of the districts of this budget."))
    try:
        proposal = proposal_create(
            author=author, organisation=process.organisation, title=title, summary=summary, text=text,
            planning=planning, delivery=delivery, estimated_cost=estimated_cost, district=district, publish=True,
        )
    except ProposalError as error:
        raise BudgetError(str(error)) from None
    entry = Entry.objects.create(process=process, proposal=proposal)
    Process.objects.filter(pk=process.pk).update(proposal_count=F("proposal_count") + 1)
    ProcessFollow.objects.get_or_create(process=process, user=author)
    return entry


@transaction.atomic
def entry_review(*, entry, actor, feasible, reason="", final_cost=None, now=None):
    """Staff say whether a proposal can be done, with a public reason and the final cost if so.

    Possible until voting starts; a proposal found not feasible is rejected with that reason.
    """
    now = now or timezone.now()
    # The budget first, then the proposal (the order results_publish takes them): a review cannot
    # slip in while the budget moves on to voting.
    process = Process.objects.select_for_update(no_key=True).get(pk=entry.process_id)
    entry = Entry.objects.select_for_update(of=("self",)).select_related("proposal").get(pk=entry.pk)
    entry.process = process
    require_staff(actor, process, STAFF_ONLY)
    if process.phase not in (Phase.COLLECTING, Phase.REVIEW):
        raise BudgetError(_("Proposals can only be reviewed before voting starts."))
    reason = (reason or "").strip()
    if feasible:
        if entry.proposal.status not in (Proposal.Status.PUBLISHED, Proposal.Status.UNDER_REVIEW):
            # A rejected or withdrawn proposal cannot come back onto the ballot (nor be funded).
            raise BudgetError(_("This proposal was rejected or withdrawn; it can no longer be found feasible."))
        if final_cost is None or Decimal(final_cost) <= 0:
            raise BudgetError(_("Give the final cost of a feasible proposal."))
        if Decimal(final_cost) > process.total_amount:
            raise BudgetError(_("The cost cannot be more than the whole budget of %(total)s €.")
                              % {"total": amount(process.total_amount)})
        entry.feasibility, entry.final_cost = Entry.Feasibility.FEASIBLE, Decimal(final_cost)
    else:
        if not reason:
            raise BudgetError(_("Explain in public why it is not feasible."))
        entry.feasibility, entry.final_cost = Entry.Feasibility.INFEASIBLE, None
    entry.feasibility_reason, entry.reviewed_by, entry.reviewed_at = reason, actor, now
    entry.save(update_fields=["feasibility", "final_cost", "feasibility_reason", "reviewed_by", "reviewed_at"])
    if not feasible and entry.proposal.status in (Proposal.Status.PUBLISHED, Proposal.Status.UNDER_REVIEW):
        proposal_record_decision(proposal=entry.proposal, to_status=Proposal.Status.REJECTED, actor=actor,
                                 response=_("Not feasible for the budget “%(budget)s”: %(reason)s")
                                 % {"budget": process.title, "reason": reason})
    return entry


def process_follow(*, process, user):
    ProcessFollow.objects.get_or_create(process=process, user=user)


def process_unfollow(*, process, user):
    ProcessFollow.objects.filter(process=process, user=user).delete()
