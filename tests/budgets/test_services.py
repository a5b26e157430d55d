"""Every budgets service: what it does, and each refusal with its message (nothing saved then)."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from budgets import services
from budgets.models import PHASE_ORDER, PHASE_STARTS, Ballot, Entry, Phase, Pick, Process, ProcessFollow
from coproduction.errors import DomainError
from notifications.models import Activity
from proposals import services as proposal_services
from proposals.models import Evaluation, Follow, Implementation, ImplementationUpdate, Proposal, StatusChange
from tests.proposals.factories import PledgeFactory, ProposalFactory, SupportFactory
from tests.stakeholders.factories import MembershipFactory, UserFactory

from .factories import add_entry, make_process, move_to, process_staff, vote

pytestmark = pytest.mark.django_db
BudgetError = services.BudgetError
ProposalError = proposal_services.ProposalError
S = Proposal.Status
I = Implementation.Status


def refused(message):
    return pytest.raises(DomainError, match=f"^{re.escape(message)}$")  # BudgetError, or NotPermitted


def submit(process, author=None, **overrides):
    data = {"title": "Trinkbrunnen am Markt", "summary": "Wasser für alle.", "text": "Am Brunnenplatz.",
            "planning": "together", "delivery": "professionals", "estimated_cost": Decimal("2500")}
    data.update(overrides)
    return services.entry_submit(process=process, author=author or UserFactory(), **data)


def schedule_ok(process):
    """The order the database insists on (budget_phases_in_order)."""
    return (process.collecting_starts <= process.review_starts <= process.voting_starts < process.results_starts
            <= process.implementation_starts)


# Sending proposals in --------------------------------------------------------------------------

def test_entry_submit_publishes_a_proposal_in_the_process(organisation, person):
    process = make_process(organisation, districts="Nordstadt, Wesertor")
    entry = submit(process, author=person, district="Wesertor")
    proposal = entry.proposal
    assert (proposal.status, proposal.organisation, proposal.author) == (S.PUBLISHED, organisation, person)
    assert (proposal.estimated_cost, proposal.district) == (Decimal("2500"), "Wesertor")
    assert entry.feasibility == Entry.Feasibility.PENDING and entry.process == process
    process.refresh_from_db()
    assert process.proposal_count == 1
    assert ProcessFollow.objects.filter(process=process, user=person).exists()
    assert Follow.objects.filter(proposal=proposal, user=person).exists()
    submit(process, author=person, district="Nordstadt")  # a second one: still one follow
    assert ProcessFollow.objects.filter(process=process, user=person).count() == 1
    process.refresh_from_db()
    assert process.proposal_count == 2


@pytest.mark.parametrize("phase", [Phase.ANNOUNCED, Phase.REVIEW, Phase.VOTING, Phase.RESULTS, Phase.IMPLEMENTATION])
def test_entry_submit_outside_collecting_is_refused(organisation, phase):
    process = make_process(organisation, phase)
    with refused("This budget is not collecting proposals now."):
        submit(process)
    assert not Entry.objects.exists() and not Proposal.objects.exists()


@pytest.mark.parametrize("cost, message", [
    (None, "Say roughly what it would cost."),
    (Decimal("0"), "The cost must be more than 0 €."),
    (Decimal("-5"), "The cost must be more than 0 €."),
    (Decimal("10000.01"), "The cost cannot be more than the whole budget of 10,000.00 €."),
])
def test_entry_submit_needs_a_cost_within_the_budget(organisation, cost, message):
    process = make_process(organisation)
    with refused(message):
        submit(process, estimated_cost=cost)
    assert not Proposal.objects.exists()
    process.refresh_from_db()
    assert process.proposal_count == 0 and not ProcessFollow.objects.exists()


def test_entry_submit_costing_the_whole_budget_is_fine(organisation):
    assert submit(make_process(organisation), estimated_cost=Decimal("10000")).proposal.estimated_cost == 10000


@pytest.mark.parametrize("district", ["", "Südstadt"])
def test_entry_submit_needs_one_of_the_districts(organisation, district):
    process = make_process(organisation, districts="Nordstadt, Wesertor")
    with refused("Choose one of the districts of this budget."):
        submit(process, district=district)
    assert not Proposal.objects.exists()


def test_entry_submit_without_districts_takes_any(organisation):
    assert submit(make_process(organisation), district="Irgendwo").proposal.district == "Irgendwo"


def test_entry_submit_needs_planning_and_delivery(organisation):
    with refused("Say who plans and who delivers it."):
        submit(make_process(organisation), planning="somebody")
    assert not Proposal.objects.exists()


# Reviews -----------------------------------------------------------------------------------

@pytest.mark.parametrize("phase", [Phase.COLLECTING, Phase.REVIEW])
def test_entry_review_feasible(organisation, staff, phase):
    process = make_process(organisation, phase)
    entry = add_entry(process, feasible=None, cost=Decimal("3000"))
    reviewed = services.entry_review(entry=entry, actor=staff, feasible=True, final_cost=Decimal("3400"),
                                     reason="  Mit Wasseranschluss.  ")
    entry.refresh_from_db()
    assert (entry.feasibility, entry.final_cost, entry.feasibility_reason) == (
        Entry.Feasibility.FEASIBLE, Decimal("3400"), "Mit Wasseranschluss.")
    assert entry.reviewed_by == staff and entry.reviewed_at is not None and reviewed.pk == entry.pk
    assert entry.proposal.status == S.PUBLISHED


def test_entry_review_infeasible_rejects_the_proposal_in_public(organisation, staff):
    process = make_process(organisation, Phase.REVIEW, title="Haushalt Nord")
    entry = add_entry(process, feasible=None)
    services.entry_review(entry=entry, actor=staff, feasible=False, reason="Die Fläche gehört dem Land.",
                          final_cost=Decimal("99"))
    entry.refresh_from_db()
    assert entry.feasibility == Entry.Feasibility.INFEASIBLE and entry.final_cost is None
    change = StatusChange.objects.get(proposal=entry.proposal)
    assert (change.to_status, change.actor) == (S.REJECTED, staff)
    assert change.response == "Not feasible for the budget “Haushalt Nord”: Die Fläche gehört dem Land."


def test_entry_review_can_be_corrected_until_voting(organisation, staff):
    process = make_process(organisation, Phase.REVIEW)
    entry = add_entry(process, cost=Decimal("1000"))
    services.entry_review(entry=entry, actor=staff, feasible=True, final_cost=Decimal("1500"))
    entry.refresh_from_db()
    assert entry.final_cost == Decimal("1500")


def test_a_rejected_proposal_cannot_be_found_feasible_again(organisation, staff):
    process = make_process(organisation, Phase.REVIEW)
    entry = add_entry(process, feasible=False, reason="Kein Platz.")
    with refused("This proposal was rejected or withdrawn; it can no longer be found feasible."):
        services.entry_review(entry=entry, actor=staff, feasible=True, final_cost=Decimal("100"))
    entry.refresh_from_db()
    assert entry.feasibility == Entry.Feasibility.INFEASIBLE and entry.proposal.status == S.REJECTED


@pytest.mark.parametrize("phase", [Phase.ANNOUNCED, Phase.VOTING, Phase.RESULTS, Phase.IMPLEMENTATION])
def test_entry_review_outside_the_review_phases_is_refused(organisation, staff, phase):
    process = make_process(organisation, Phase.COLLECTING)
    entry = add_entry(process, feasible=None)
    Process.objects.filter(pk=process.pk).update(phase=phase)
    with refused("Proposals can only be reviewed before voting starts."):
        services.entry_review(entry=entry, actor=staff, feasible=False, reason="Zu spät.")
    entry.refresh_from_db()
    assert entry.feasibility == Entry.Feasibility.PENDING and entry.proposal.status == S.PUBLISHED


@pytest.mark.parametrize("who", ["other_staff", "person"])
def test_entry_review_by_others_is_refused(request, organisation, who):
    process = make_process(organisation, Phase.REVIEW)
    entry = add_entry(process, feasible=None)
    with refused("Only staff of the organisations running this budget can do this."):
        services.entry_review(entry=entry, actor=request.getfixturevalue(who), feasible=False, reason="Nein.")
    entry.refresh_from_db()
    assert entry.feasibility == Entry.Feasibility.PENDING


def test_entry_review_by_partner_staff_and_superusers(organisation, other_organisation, other_staff, superuser):
    process = make_process(organisation, Phase.REVIEW, partners=[other_organisation])
    first, second = add_entry(process, feasible=None), add_entry(process, feasible=None)
    services.entry_review(entry=first, actor=other_staff, feasible=True, final_cost=Decimal("10"))
    services.entry_review(entry=second, actor=superuser, feasible=True, final_cost=Decimal("10"))
    assert Entry.objects.filter(feasibility=Entry.Feasibility.FEASIBLE).count() == 2


@pytest.mark.parametrize("feasible, cost, reason, message", [
    (True, None, "", "Give the final cost of a feasible proposal."),
    (True, Decimal("0"), "", "Give the final cost of a feasible proposal."),
    (True, Decimal("-1"), "", "Give the final cost of a feasible proposal."),
    (True, Decimal("10000.01"), "", "The cost cannot be more than the whole budget of 10,000.00 €."),
    (False, None, "", "Explain in public why it is not feasible."),
    (False, None, "   ", "Explain in public why it is not feasible."),
])
def test_entry_review_needs_cost_or_reason(organisation, staff, feasible, cost, reason, message):
    process = make_process(organisation, Phase.REVIEW)
    entry = add_entry(process, feasible=None)
    with refused(message):
        services.entry_review(entry=entry, actor=staff, feasible=feasible, final_cost=cost, reason=reason)
    entry.refresh_from_db()
    assert entry.feasibility == Entry.Feasibility.PENDING and entry.reviewed_at is None
    assert not StatusChange.objects.exists()


# Phases ------------------------------------------------------------------------------------

def test_phase_move_forward_adjusts_the_dates(organisation, staff):
    process = make_process(organisation, Phase.ANNOUNCED)
    later = {field: getattr(process, field) for field in ("results_starts", "implementation_starts")}
    now = timezone.now()
    moved = services.phase_move(process=process, actor=staff, to_phase=Phase.VOTING, now=now)
    process.refresh_from_db()
    assert moved.phase == process.phase == Phase.VOTING and process.phase_changed_at == now
    assert process.collecting_starts == process.review_starts == process.voting_starts == now
    assert {field: getattr(process, field) for field in later} == later
    assert process.phase_due(now) == Phase.VOTING and schedule_ok(process)
    activity = Activity.objects.get(verb="budget.phase_changed")
    assert (activity.actor, activity.data["from_phase"], activity.data["to_phase"]) == (staff, "announced", "voting")


@pytest.mark.parametrize("to_phase", [Phase.RESULTS, Phase.IMPLEMENTATION])
def test_phase_move_over_future_dates_keeps_the_schedule_valid(organisation, staff, to_phase):
    """All five dates ahead: moving to results or beyond needs voting to begin before results."""
    process = make_process(organisation, Phase.ANNOUNCED)
    now = timezone.now()
    services.phase_move(process=process, actor=staff, to_phase=to_phase, now=now)
    process.refresh_from_db()
    assert process.phase == to_phase and schedule_ok(process)
    assert process.starts_of(to_phase) == now and process.phase_due(now) == to_phase
    assert process.results_published_at == now


def test_phase_move_keeps_dates_already_past(organisation, staff):
    process = make_process(organisation, Phase.REVIEW)
    review_started = timezone.now() - timedelta(days=2)
    Process.objects.filter(pk=process.pk).update(collecting_starts=review_started - timedelta(days=5),
                                                 review_starts=review_started)
    services.phase_move(process=process, actor=staff, to_phase=Phase.VOTING)
    process.refresh_from_db()
    assert process.review_starts == review_started and schedule_ok(process)


@pytest.mark.parametrize("to_phase", [Phase.REVIEW, Phase.COLLECTING, Phase.ANNOUNCED, "nonsense", ""])
def test_phase_move_never_goes_back(organisation, staff, to_phase):
    process = make_process(organisation, Phase.REVIEW)
    before = Process.objects.values().get(pk=process.pk)
    with refused("A budget can only move on to a later phase."):
        services.phase_move(process=process, actor=staff, to_phase=to_phase)
    assert Process.objects.values().get(pk=process.pk) == before


@pytest.mark.parametrize("who", ["other_staff", "person"])
def test_phase_move_only_by_its_staff(request, organisation, who):
    process = make_process(organisation, Phase.REVIEW)
    with refused("Only staff of the organisations running this budget can do this."):
        services.phase_move(process=process, actor=request.getfixturevalue(who), to_phase=Phase.VOTING)
    assert Process.objects.get(pk=process.pk).phase == Phase.REVIEW


def test_phase_move_to_results_publishes_them_once(organisation, staff):
    process = make_process(organisation, Phase.VOTING)
    services.phase_move(process=process, actor=staff, to_phase=Phase.RESULTS)
    services.phase_move(process=process, actor=staff, to_phase=Phase.IMPLEMENTATION)
    assert Activity.objects.filter(verb="budget.results_published").count() == 1


def test_phases_advance_follows_the_dates(organisation):
    now = timezone.now()
    due = make_process(organisation, Phase.ANNOUNCED, days=[-1, 2, 3, 4, 5])
    waiting = make_process(organisation, Phase.ANNOUNCED, days=[1, 2, 3, 4, 5])
    assert services.phases_advance(now) == 1
    due.refresh_from_db()
    waiting.refresh_from_db()
    assert (due.phase, waiting.phase) == (Phase.COLLECTING, Phase.ANNOUNCED)
    assert services.phases_advance(now) == 0


def test_phases_advance_never_moves_back(organisation, staff):
    process = make_process(organisation, Phase.ANNOUNCED, days=[10, 20, 30, 40, 50])
    Process.objects.filter(pk=process.pk).update(phase=Phase.REVIEW)  # ahead of its dates
    assert services.phases_advance() == 0
    assert Process.objects.get(pk=process.pk).phase == Phase.REVIEW


def test_follow_and_unfollow(organisation, person):
    process = make_process(organisation)
    services.process_follow(process=process, user=person)
    services.process_follow(process=process, user=person)
    assert ProcessFollow.objects.filter(process=process, user=person).count() == 1
    services.process_unfollow(process=process, user=person)
    services.process_unfollow(process=process, user=person)
    assert not ProcessFollow.objects.exists()


# Who may vote ------------------------------------------------------------------------------

def test_eligibility_everyone_verified(organisation, person):
    process = make_process(organisation, Phase.VOTING)
    assert services.eligibility_refusal(process, AnonymousUser()) == "Sign in to vote."
    assert services.eligibility_refusal(process, UserFactory(verified_email=False)) == (
        "Confirm your email address before you vote.")
    assert services.eligibility_refusal(process, person) is None


def test_eligibility_members(organisation, other_organisation, person):
    process = make_process(organisation, Phase.VOTING, eligibility="members", partners=[other_organisation])
    message = "Only members of the organisations running this budget may vote."
    assert services.eligibility_refusal(process, person) == message
    MembershipFactory(user=person, organisation=organisation, status="requested")
    assert services.eligibility_refusal(process, person) == message
    assert services.eligibility_refusal(process, MembershipFactory(organisation=organisation).user) is None
    assert services.eligibility_refusal(process, MembershipFactory(organisation=other_organisation,
                                                                   role="client").user) is None


def test_eligibility_residents(organisation, person):
    process = make_process(organisation, Phase.VOTING, eligibility="residents", districts="Nordstadt, Wesertor")
    message = "Only people who live in one of its districts may vote. Say which district you live in."
    assert services.eligibility_refusal(process, person) == message
    assert services.eligibility_refusal(process, person, "Südstadt") == message
    assert services.eligibility_refusal(process, person, "Wesertor") is None


# Ballots -----------------------------------------------------------------------------------

@pytest.fixture
def voting(organisation):
    """A budget of 10,000 € in voting with feasible proposals of 6,000, 3,000 and 1,500 €."""
    process = make_process(organisation, Phase.REVIEW)
    entries = [add_entry(process, cost=Decimal(cost)) for cost in ("6000", "3000", "1500")]
    move_to(process, Phase.VOTING)
    return process, entries


def test_ballot_set_picks_and_change_them(voting, person):
    process, (big, mid, small) = voting
    assert services.ballot_of(process, person) == (None, set())
    ballot = services.ballot_set_picks(process=process, user=person, entry_ids=[big.pk, str(mid.pk)])
    assert (ballot.status, ballot.total, ballot.budget, ballot.remaining) == (
        Ballot.Status.DRAFT, Decimal("9000"), Decimal("10000"), Decimal("1000"))
    assert services.ballot_of(process, person)[1] == {big.pk, mid.pk}
    services.ballot_set_picks(process=process, user=person, entry_ids=[mid.pk, small.pk])
    ballot, picked = services.ballot_of(process, person)
    assert picked == {mid.pk, small.pk} and ballot.total == Decimal("4500")
    assert {pick.entry_id: pick.cost for pick in ballot.picks.all()} == {mid.pk: Decimal("3000"),
                                                                         small.pk: Decimal("1500")}
    services.ballot_set_picks(process=process, user=person, entry_ids=[])
    ballot, picked = services.ballot_of(process, person)
    assert picked == set() and ballot.total == 0 and Ballot.objects.count() == 1
    process.refresh_from_db()
    assert process.ballot_count == 0 and Entry.objects.filter(vote_count__gt=0).count() == 0


def test_ballot_over_budget_saves_nothing(voting, person):
    process, (big, mid, small) = voting
    with refused("Your choice costs 10,500.00 €, more than the budget of 10,000.00 €. "
                 "Remove proposals worth at least 500.00 €."):
        services.ballot_set_picks(process=process, user=person, entry_ids=[big.pk, mid.pk, small.pk])
    assert not Ballot.objects.exists() and not Pick.objects.exists()
    services.ballot_set_picks(process=process, user=person, entry_ids=[small.pk])
    with pytest.raises(BudgetError):
        services.ballot_set_picks(process=process, user=person, entry_ids=[big.pk, mid.pk, small.pk])
    ballot, picked = services.ballot_of(process, person)
    assert picked == {small.pk} and ballot.total == Decimal("1500")


@pytest.mark.parametrize("phase", [Phase.ANNOUNCED, Phase.COLLECTING, Phase.REVIEW, Phase.RESULTS,
                                   Phase.IMPLEMENTATION])
def test_ballots_outside_voting_are_refused(voting, person, phase):
    process, (big, mid, small) = voting
    services.ballot_set_picks(process=process, user=person, entry_ids=[small.pk])
    Process.objects.filter(pk=process.pk).update(phase=phase)
    with refused("Voting is not open for this budget."):
        services.ballot_set_picks(process=process, user=person, entry_ids=[mid.pk])
    with refused("Voting is not open for this budget."):
        services.ballot_confirm(process=process, user=person)
    ballot, picked = services.ballot_of(process, person)
    assert picked == {small.pk} and ballot.status == Ballot.Status.DRAFT


@pytest.mark.parametrize("kind", ["infeasible", "pending", "other process", "unknown"])
def test_ballots_take_only_feasible_proposals_of_the_process(voting, person, organisation, kind):
    process, (big, mid, small) = voting
    if kind == "other process":
        other = make_process(organisation, Phase.REVIEW)
        stranger = add_entry(other, cost=Decimal("10"))
        move_to(other, Phase.VOTING)
    elif kind == "unknown":
        stranger = Entry(pk=987654)
    else:
        Process.objects.filter(pk=process.pk).update(phase=Phase.COLLECTING)
        stranger = add_entry(process, cost=Decimal("10"), feasible=None if kind == "pending" else False)
        Process.objects.filter(pk=process.pk).update(phase=Phase.VOTING)
    with refused("You can only choose feasible proposals of this budget."):
        services.ballot_set_picks(process=process, user=person, entry_ids=[small.pk, stranger.pk])
    assert not Ballot.objects.filter(user=person).exists() and not Pick.objects.exists()


def test_ballots_of_ineligible_people_are_refused(organisation, person):
    cases = [
        ("verified", "", UserFactory(verified_email=False), "Confirm your email address before you vote."),
        ("members", "", person, "Only members of the organisations running this budget may vote."),
        ("residents", "Nordstadt", person,
         "Only people who live in one of its districts may vote. Say which district you live in."),
    ]
    for eligibility, districts, user, message in cases:
        process = make_process(organisation, Phase.REVIEW, eligibility=eligibility, districts=districts)
        entry = add_entry(process, cost=Decimal("100"))
        move_to(process, Phase.VOTING)
        with refused(message):
            services.ballot_set_picks(process=process, user=user, entry_ids=[entry.pk], district="Südstadt")
        with refused(message):
            services.ballot_confirm(process=process, user=user)
    assert not Ballot.objects.exists()


def test_residents_vote_with_their_district(organisation, person):
    process = make_process(organisation, Phase.REVIEW, eligibility="residents", districts="Nordstadt, Wesertor")
    entry = add_entry(process, cost=Decimal("100"))
    move_to(process, Phase.VOTING)
    services.ballot_set_picks(process=process, user=person, entry_ids=[entry.pk], district="Wesertor")
    services.ballot_set_picks(process=process, user=person, entry_ids=[entry.pk])  # the district is remembered
    ballot = services.ballot_confirm(process=process, user=person)
    assert ballot.district == "Wesertor" and ballot.is_confirmed


def test_ballot_confirm_counts_the_vote(voting, person):
    process, (big, mid, small) = voting
    services.ballot_set_picks(process=process, user=person, entry_ids=[big.pk, small.pk])
    now = timezone.now()
    ballot = services.ballot_confirm(process=process, user=person, now=now)
    assert ballot.is_confirmed and ballot.confirmed_at == now
    process.refresh_from_db()
    assert process.ballot_count == 1
    assert dict(Entry.objects.values_list("pk", "vote_count")) == {big.pk: 1, mid.pk: 0, small.pk: 1}


def test_ballot_confirm_without_picks_is_refused(voting, person):
    process, (big, mid, small) = voting
    with refused("Choose at least one proposal before you confirm."):
        services.ballot_confirm(process=process, user=person)
    services.ballot_set_picks(process=process, user=person, entry_ids=[])
    with refused("Choose at least one proposal before you confirm."):
        services.ballot_confirm(process=process, user=person)
    assert Ballot.objects.get().status == Ballot.Status.DRAFT
    assert Process.objects.get(pk=process.pk).ballot_count == 0


def test_a_confirmed_ballot_cannot_change(voting, person):
    process, (big, mid, small) = voting
    vote(process, person, [mid])
    message = "Your vote is confirmed and can no longer be changed."
    with refused(message):
        services.ballot_confirm(process=process, user=person)
    with refused(message):
        services.ballot_set_picks(process=process, user=person, entry_ids=[big.pk])
    with refused(message):
        services.ballot_set_picks(process=process, user=person, entry_ids=[])
    ballot, picked = services.ballot_of(process, person)
    assert picked == {mid.pk} and ballot.total == Decimal("3000")
    process.refresh_from_db()
    assert process.ballot_count == 1 and Entry.objects.get(pk=mid.pk).vote_count == 1


def test_members_who_left_cannot_confirm(organisation, person):
    process = make_process(organisation, Phase.REVIEW, eligibility="members")
    entry = add_entry(process, cost=Decimal("100"))
    move_to(process, Phase.VOTING)
    membership = MembershipFactory(user=person, organisation=organisation)
    services.ballot_set_picks(process=process, user=person, entry_ids=[entry.pk])
    membership.delete()
    with refused("Only members of the organisations running this budget may vote."):
        services.ballot_confirm(process=process, user=person)
    assert Entry.objects.get(pk=entry.pk).vote_count == 0


def test_the_ballot_keeps_the_budget_it_was_opened_with(voting, person):
    process, (big, mid, small) = voting
    services.ballot_set_picks(process=process, user=person, entry_ids=[small.pk])
    Process.objects.filter(pk=process.pk).update(total_amount=Decimal("20000"))
    with pytest.raises(BudgetError, match="more than the budget of 10,000.00 €"):
        services.ballot_set_picks(process=process, user=person, entry_ids=[big.pk, mid.pk, small.pk])


# Accountability ----------------------------------------------------------------------------

@pytest.fixture
def accepted(organisation):
    proposal = ProposalFactory(organisation=organisation, status=S.ACCEPTED, title="Bank am Spielplatz")
    return proposal


def test_accepting_a_proposal_opens_its_implementation_record_once(organisation, staff):
    proposal = ProposalFactory(organisation=organisation, status=S.PUBLISHED)
    proposal_services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.UNDER_REVIEW,
                                          response="Wir prüfen.")
    assert not Implementation.objects.exists()
    proposal_services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.ACCEPTED, response="Machen wir.")
    implementation = Implementation.objects.get(proposal=proposal)
    assert implementation.status == I.PLANNED and implementation.progress == 0
    proposal_services.proposal_set_status(proposal=proposal, actor=staff, to_status=S.IN_DELIVERY, response="Los.")
    proposal_services.implementations_open(proposals=[proposal])
    assert list(Implementation.objects.all()) == [implementation]
    rejected = ProposalFactory(organisation=organisation, status=S.PUBLISHED)
    proposal_services.proposal_set_status(proposal=rejected, actor=staff, to_status=S.REJECTED, response="Nein.")
    assert Implementation.objects.count() == 1


def test_updates_move_status_progress_and_the_proposal(staff, accepted):
    started, finished = timezone.now(), timezone.now() + timedelta(days=30)
    update = proposal_services.implementation_update_post(proposal=accepted, actor=staff, text=" Bestellt. ",
                                                 status=I.IN_PROGRESS, progress="30", now=started)
    implementation = Implementation.objects.get()
    assert (update.text, update.status, update.progress, update.author) == ("Bestellt.", I.IN_PROGRESS, 30, staff)
    assert (implementation.status, implementation.progress, implementation.update_count) == (I.IN_PROGRESS, 30, 1)
    assert implementation.started_at == started and implementation.completed_at is None
    accepted.refresh_from_db()
    assert accepted.status == S.IN_DELIVERY
    assert StatusChange.objects.get(to_status=S.IN_DELIVERY).response == "Bestellt."
    proposal_services.implementation_update_post(proposal=accepted, actor=staff, text="Aufgestellt.", status=I.COMPLETED,
                                        progress=80, now=finished)
    implementation.refresh_from_db()
    accepted.refresh_from_db()
    assert (implementation.status, implementation.progress, implementation.update_count) == (I.COMPLETED, 100, 2)
    assert implementation.started_at == started and implementation.completed_at == finished
    assert accepted.status == S.COMPLETED
    activities = Activity.objects.filter(verb="implementation.updated").order_by("pk")
    assert [a.data["status_changed"] for a in activities] == [True, True]


def test_completing_straight_from_accepted(staff, accepted):
    proposal_services.implementation_update_post(proposal=accepted, actor=staff, text="Fertig.", status=I.COMPLETED,
                                        progress=100)
    accepted.refresh_from_db()
    assert accepted.status == S.COMPLETED
    assert Implementation.objects.get().started_at is None


@pytest.mark.parametrize("status", [I.PLANNED, I.STOPPED])
def test_updates_that_leave_the_proposal_where_it_is(staff, accepted, status):
    proposal_services.implementation_update_post(proposal=accepted, actor=staff, text="Stand.", status=status, progress=10)
    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED and not StatusChange.objects.exists()
    assert Activity.objects.get(verb="implementation.updated").data["status_changed"] is False


@pytest.mark.parametrize("changes, message", [
    ({"text": "  "}, "Write what happened."),
    ({"status": "vanished"}, "Choose one of the offered steps."),
    ({"progress": "viel"}, "Progress is a whole number from 0 to 100."),
    ({"progress": None}, "Progress is a whole number from 0 to 100."),
    ({"progress": -1}, "Progress is a whole number from 0 to 100."),
    ({"progress": 101}, "Progress is a whole number from 0 to 100."),
])
def test_bad_updates_are_refused(staff, accepted, changes, message):
    data = {"text": "Weiter.", "status": I.IN_PROGRESS, "progress": 50, **changes}
    with refused(message):
        proposal_services.implementation_update_post(proposal=accepted, actor=staff, **data)
    assert not ImplementationUpdate.objects.exists()
    assert not Implementation.objects.exists()  # the whole post is undone, the record made for it too
    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED


@pytest.mark.parametrize("who", ["other_staff", "person"])
def test_updates_only_by_the_organisations_staff(request, accepted, who):
    with refused("Only staff of the organisation can report progress."):
        proposal_services.implementation_update_post(proposal=accepted, actor=request.getfixturevalue(who), text="X",
                                            status=I.IN_PROGRESS, progress=5)
    assert not Implementation.objects.exists()


def test_updates_only_for_accepted_or_funded_proposals(staff, organisation):
    with refused("Progress is reported for accepted or funded proposals only."):
        proposal_services.implementation_update_post(proposal=ProposalFactory(organisation=organisation), actor=staff,
                                            text="X", status=I.IN_PROGRESS, progress=5)
    assert not Implementation.objects.exists()


@pytest.mark.parametrize("ended", [I.COMPLETED, I.STOPPED])
def test_an_ended_implementation_keeps_its_status(staff, accepted, ended):
    proposal_services.implementation_update_post(proposal=accepted, actor=staff, text="Ende.", status=ended, progress=100)
    with refused("This implementation has ended; its status can no longer change."):
        proposal_services.implementation_update_post(proposal=accepted, actor=staff, text="Doch.", status=I.IN_PROGRESS,
                                            progress=50)
    proposal_services.implementation_update_post(proposal=accepted, actor=staff, text="Nachtrag.", status=ended,
                                        progress=100)
    assert Implementation.objects.get().update_count == 2


# Evaluations -------------------------------------------------------------------------------

@pytest.fixture
def completed(staff, accepted):
    proposal_services.implementation_update_post(proposal=accepted, actor=staff, text="Fertig.", status=I.COMPLETED,
                                        progress=100)
    return Implementation.objects.get()


def test_who_may_evaluate(organisation, completed, accepted):
    supporter = SupportFactory(proposal=accepted).user
    pledger = PledgeFactory(proposal=accepted).user
    follower = UserFactory()
    proposal_services.proposal_follow(proposal=accepted, user=follower)
    client = MembershipFactory(organisation=organisation, role="client").user
    for user in (accepted.author, supporter, pledger, follower, client):
        assert proposal_services.may_evaluate(user, completed), user
    volunteer = MembershipFactory(organisation=organisation, role="volunteer").user
    pending_client = MembershipFactory(organisation=organisation, role="client", status="requested").user
    for user in (AnonymousUser(), UserFactory(), volunteer, pending_client):
        assert not proposal_services.may_evaluate(user, completed)


def test_voters_of_its_budget_may_evaluate_but_not_draft_holders(organisation):
    process = make_process(organisation, Phase.REVIEW)
    entry = add_entry(process, cost=Decimal("100"))
    other = add_entry(process, cost=Decimal("100"))
    move_to(process, Phase.VOTING)
    voter, drafter, elsewhere = UserFactory(), UserFactory(), UserFactory()
    vote(process, voter, [entry])
    services.ballot_set_picks(process=process, user=drafter, entry_ids=[entry.pk])
    vote(process, elsewhere, [other])
    move_to(process, Phase.IMPLEMENTATION)
    staff = process_staff(process)
    proposal_services.implementation_update_post(proposal=entry.proposal, actor=staff, text="Fertig.", status=I.COMPLETED,
                                        progress=100)
    implementation = Implementation.objects.get(proposal=entry.proposal)
    assert proposal_services.may_evaluate(voter, implementation)
    assert not proposal_services.may_evaluate(drafter, implementation)
    assert proposal_services.may_evaluate(elsewhere, implementation)  # voted in its budget: a participant


def test_evaluation_create_and_average(completed, accepted):
    first = proposal_services.evaluation_create(implementation=completed, user=accepted.author, rating="4",
                                       comment=" Hilft sehr. ")
    assert (first.rating, first.comment) == (4, "Hilft sehr.")
    proposal_services.evaluation_create(implementation=completed, user=SupportFactory(proposal=accepted).user, rating=5)
    completed.refresh_from_db()
    assert (completed.evaluation_count, completed.rating_sum, completed.average_rating) == (2, 9, 4.5)


def test_evaluation_only_after_completion(staff, accepted):
    proposal_services.implementation_update_post(proposal=accepted, actor=staff, text="Läuft.", status=I.IN_PROGRESS,
                                        progress=50)
    implementation = Implementation.objects.get()
    assert not proposal_services.may_evaluate(accepted.author, implementation)
    with refused("You can say whether it helped once it is completed."):
        proposal_services.evaluation_create(implementation=implementation, user=accepted.author, rating=3)
    assert not Evaluation.objects.exists()


def test_evaluation_by_strangers_is_refused(completed):
    with refused("Only people who took part in it or were meant to benefit can evaluate it."):
        proposal_services.evaluation_create(implementation=completed, user=UserFactory(), rating=3)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("rating, comment, message", [
    ("viel", "", "Choose from 1 to 5."),
    (None, "", "Choose from 1 to 5."),
    (0, "", "Choose from 1 to 5."),
    (6, "", "Choose from 1 to 5."),
    (3, "x" * 1001, "Keep the comment to 1,000 characters."),
])
def test_bad_evaluations_are_refused(completed, accepted, rating, comment, message):
    with refused(message):
        proposal_services.evaluation_create(implementation=completed, user=accepted.author, rating=rating, comment=comment)
    completed.refresh_from_db()
    assert not Evaluation.objects.exists() and completed.evaluation_count == 0


def test_one_evaluation_per_person(completed, accepted):
    proposal_services.evaluation_create(implementation=completed, user=accepted.author, rating=2)
    with refused("You have already said whether it helped."):
        proposal_services.evaluation_create(implementation=completed, user=accepted.author, rating=5)
    completed.refresh_from_db()
    assert (completed.evaluation_count, completed.rating_sum) == (1, 2)


# Permissions -------------------------------------------------------------------------------

def test_rules_match_the_services(organisation, other_organisation, staff, other_staff, person, superuser, accepted):
    process = make_process(organisation, partners=[other_organisation])
    own_only = make_process(organisation)
    assert staff.has_perm("budgets.manage_process", process) and other_staff.has_perm("budgets.manage_process",
                                                                                      process)
    assert not other_staff.has_perm("budgets.manage_process", own_only)
    assert not person.has_perm("budgets.manage_process", process)
    assert superuser.has_perm("budgets.manage_process", own_only)
    assert staff.has_perm("proposals.post_update_proposal", accepted)
    assert superuser.has_perm("proposals.post_update_proposal", accepted)
    assert not other_staff.has_perm("proposals.post_update_proposal", accepted)
    assert not person.has_perm("proposals.post_update_proposal", accepted)


def test_phase_dates_constant_matches_the_order():
    assert list(PHASE_STARTS) == PHASE_ORDER[1:]
