"""Ballots: who may vote, picking proposals within the budget, confirming.

A person's ballot row is locked for every change, so two tabs submitting at once are served one
after the other; the database refuses a total above the budget whatever happens.
"""
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduction.formatting import amount
from stakeholders.models import Membership

from ..models import Ballot, Entry, Phase, Pick, Process
from .errors import BudgetError

E = Process.Eligibility


def eligibility_refusal(process, user, district=""):
    """Why ``user`` may not vote in ``process`` (translated), or None if they may."""
    if not user.is_authenticated:
        return _("Sign in to vote.")
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return _("Confirm your email address before you vote.")
    if process.eligibility == E.MEMBERS and not Membership.objects.approved().filter(
            user=user, organisation_id__in=process.organisation_ids()).exists():
        return _("Only members of the organisations running this budget may vote.")
    if process.eligibility == E.RESIDENTS and district not in process.district_list:
        return _("Only people who live in one of its districts may vote. Say which district you live in.")
    return None


def ballot_of(process, user):
    """The person's ballot with its picks' entry ids, or (None, set())."""
    if not user.is_authenticated:
        return None, set()
    ballot = Ballot.objects.filter(process=process, user=user).first()
    picked = set(ballot.picks.values_list("entry_id", flat=True)) if ballot else set()
    return ballot, picked


def _locked_ballot(process, user, district):
    """The person's ballot, created on first use and locked; two first uses at once make one row."""
    try:
        with transaction.atomic():
            Ballot.objects.get_or_create(process=process, user=user,
                                         defaults={"budget": process.total_amount, "district": district})
    except IntegrityError:
        pass  # the other tab created it a moment ago
    return Ballot.objects.select_for_update().get(process=process, user=user)


def _check_open(process, user, district):
    if process.phase != Phase.VOTING:
        raise BudgetError(_("Voting is not open for this budget."))
    refusal = eligibility_refusal(process, user, district)
    if refusal:
        raise BudgetError(refusal)


@transaction.atomic
def ballot_set_picks(*, process, user, entry_ids, district=""):
    """Replaces the picks on the person's ballot; refused as a whole if they cost more than the budget."""
    process = Process.objects.get(pk=process.pk)
    existing = Ballot.objects.filter(process=process, user=user).values_list("district", flat=True).first()
    district = district or existing or ""
    _check_open(process, user, district)
    ballot = _locked_ballot(process, user, district)
    if ballot.is_confirmed:
        raise BudgetError(_("Your vote is confirmed and can no longer be changed."))
    wanted = {int(pk) for pk in entry_ids}
    entries = list(Entry.objects.filter(process=process, pk__in=wanted).on_ballot().values_list("pk", "final_cost"))
    if len(entries) != len(wanted):
        raise BudgetError(_("You can only choose feasible proposals of this budget."))
    total = sum((cost for _pk, cost in entries), Decimal("0"))
    if total > ballot.budget:
        raise BudgetError(
            _("Your choice costs %(total)s €, more than the budget of %(budget)s €. "
              "Remove proposals worth at least %(over)s €.")
            % {"total": amount(total), "budget": amount(ballot.budget), "over": amount(total - ballot.budget)}
        )
    ballot.picks.exclude(entry_id__in=wanted).delete()
    Pick.objects.bulk_create([Pick(ballot=ballot, entry_id=pk, cost=cost) for pk, cost in entries],
                             ignore_conflicts=True)
    ballot.total, ballot.district = total, district
    ballot.save(update_fields=["total", "district", "updated_at"])
    return ballot


@transaction.atomic
def ballot_confirm(*, process, user, now=None):
    """Casts the vote: the picks count from now on and can no longer be changed."""
    # Confirmations queue on the process row (its ballot_count is updated anyway): so they never
    # deadlock over the entries' vote counts, and none slips in after voting ended (phase_move
    # holds this row while it publishes the results).
    process = Process.objects.select_for_update(no_key=True).get(pk=process.pk)
    ballot = Ballot.objects.select_for_update().filter(process=process, user=user).first()
    _check_open(process, user, ballot.district if ballot else "")
    if ballot is None or not ballot.picks.exists():
        raise BudgetError(_("Choose at least one proposal before you confirm."))
    if ballot.is_confirmed:
        raise BudgetError(_("Your vote is confirmed and can no longer be changed."))
    ballot.status, ballot.confirmed_at = Ballot.Status.CONFIRMED, now or timezone.now()
    ballot.save(update_fields=["status", "confirmed_at", "updated_at"])
    Entry.objects.filter(pk__in=ballot.picks.values("entry_id")).update(vote_count=F("vote_count") + 1)
    Process.objects.filter(pk=process.pk).update(ballot_count=F("ballot_count") + 1)
    return ballot
