"""The results: the documented rule (budgets/services/results.py), its reproducibility, and publishing."""
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets import services
from budgets.models import Ballot, Entry, Phase, Pick, Process
from notifications.models import Activity
from proposals import services as proposal_services
from proposals.models import Implementation, Proposal, StatusChange
from tests.stakeholders.factories import UserFactory

from .factories import add_entry, make_process, move_to, process_staff, publish, vote

pytestmark = pytest.mark.django_db
S = Proposal.Status


def budget(organisation, costs, total="10000", **entry_kwargs):
    """A budget in voting with feasible proposals at ``costs``, submitted in that order."""
    process = make_process(organisation, Phase.REVIEW, total=Decimal(total))
    entries = [add_entry(process, cost=Decimal(cost), **entry_kwargs) for cost in costs]
    move_to(process, Phase.VOTING)
    return process, entries


def cast(process, ballots, status=Ballot.Status.CONFIRMED):
    """Writes ballots directly (no services, no kept counters): each a list of entries, in the given order."""
    now = timezone.now()
    users = UserFactory.create_batch(len(ballots), verified_email=False)
    rows = Ballot.objects.bulk_create([
        Ballot(process=process, user=user, status=status, budget=process.total_amount,
               total=sum((entry.final_cost for entry in picks), Decimal("0")),
               confirmed_at=now if status == Ballot.Status.CONFIRMED else None)
        for user, picks in zip(users, ballots)
    ])
    Pick.objects.bulk_create([Pick(ballot=ballot, entry=entry, cost=entry.final_cost)
                              for ballot, picks in zip(rows, ballots) for entry in picks])


def votes_for(process, counts):
    """``counts``: {entry: number of confirmed ballots with only that entry}."""
    cast(process, [[entry] for entry, number in counts.items() for _ in range(number)])


def funded_of(rows):
    return {pk for pk, _votes, funded, _rank in rows if funded}


# The rule ----------------------------------------------------------------------------------

def test_most_votes_first_then_the_cheaper_then_the_earlier(organisation):
    process, (a, b, c, d, e) = budget(organisation, ["5000", "3000", "3000", "2000", "4000"])
    votes_for(process, {a: 3, b: 2, c: 2, d: 2, e: 1})
    rows, total = services.results_compute(process)
    assert rows == [(a.pk, 3, True, 1), (d.pk, 2, True, 2), (b.pk, 2, True, 3), (c.pk, 2, False, 4),
                    (e.pk, 1, False, 5)]
    assert total == Decimal("10000")


def test_proposals_that_no_longer_fit_are_skipped_for_cheaper_ones(organisation):
    process, (a, b, c, d, e) = budget(organisation, ["6000", "5000", "3500", "1000", "500"])
    votes_for(process, {a: 9, b: 8, c: 7, d: 6, e: 5})
    rows, total = services.results_compute(process)
    # 6000 funded (4000 left); 5000 does not fit; 3500 does (500 left); 1000 does not; 500 does.
    assert [(pk, funded) for pk, _votes, funded, _rank in rows] == [
        (a.pk, True), (b.pk, False), (c.pk, True), (d.pk, False), (e.pk, True)]
    assert total == Decimal("10000")


def test_a_proposal_costing_exactly_what_is_left_is_funded(organisation):
    process, (a, b) = budget(organisation, ["7000", "3000"])
    votes_for(process, {a: 2, b: 1})
    assert funded_of(services.results_compute(process)[0]) == {a.pk, b.pk}


def test_draft_ballots_and_infeasible_proposals_do_not_count(organisation):
    process, (a, b) = budget(organisation, ["6000", "6000"])
    Process.objects.filter(pk=process.pk).update(phase=Phase.COLLECTING)
    infeasible = add_entry(process, feasible=False, reason="Kein Platz.")
    pending = add_entry(process, feasible=None)
    Process.objects.filter(pk=process.pk).update(phase=Phase.VOTING)
    votes_for(process, {a: 1, b: 2})
    cast(process, [[a]] * 5, status=Ballot.Status.DRAFT)
    rows, total = services.results_compute(process)
    assert rows == [(b.pk, 2, True, 1), (a.pk, 1, False, 2)] and total == Decimal("6000")
    assert infeasible.pk not in {row[0] for row in rows} and pending.pk not in {row[0] for row in rows}


def test_ballots_of_other_budgets_do_not_count(organisation):
    process, (a, b) = budget(organisation, ["6000", "6000"])
    other, (x,) = budget(organisation, ["100"])
    votes_for(process, {a: 1, b: 2})
    votes_for(other, {x: 7})
    assert [row[:2] for row in services.results_compute(process)[0]] == [(b.pk, 2), (a.pk, 1)]


def test_without_votes_nothing_is_funded_but_the_order_stays_documented(organisation):
    """Documented: equal votes (here none) rank the cheaper, then the earlier first; nobody's choice is funded."""
    process, (a, b, c) = budget(organisation, ["9000", "2000", "2000"])
    rows, total = services.results_compute(process)
    assert rows == [(b.pk, 0, False, 1), (c.pk, 0, False, 2), (a.pk, 0, False, 3)] and total == Decimal("0")


def test_same_ballots_give_the_same_result_whatever_the_order_they_came_in(organisation):
    costs = ["2500", "4000", "1500", "3000", "2500", "1000", "3500", "2000"]
    rng = random.Random(2027)
    ballots = [rng.sample(range(len(costs)), rng.randint(1, 3)) for _ in range(60)]
    ballots = [picks for picks in ballots if sum(Decimal(costs[i]) for i in picks) <= 10000]
    results = []
    for seed in (1, 2, 3):
        process, entries = budget(organisation, costs)
        shuffled = list(ballots)
        random.Random(seed).shuffle(shuffled)
        cast(process, [[entries[i] for i in picks] for picks in shuffled])
        first, second = services.results_compute(process), services.results_compute(process)
        assert first == second
        position = {entry.pk: index for index, entry in enumerate(entries)}
        results.append(([(position[pk], votes, funded, rank) for pk, votes, funded, rank in first[0]], first[1]))
    assert results[0] == results[1] == results[2]
    assert any(funded for _pk, _votes, funded, _rank in results[0][0])


def test_results_compute_writes_nothing(organisation):
    process, (a,) = budget(organisation, ["100"])
    votes_for(process, {a: 3})
    services.results_compute(process)
    a.refresh_from_db()
    process.refresh_from_db()
    assert (a.vote_count, a.is_funded, a.result_rank) == (0, False, None)
    assert process.results_published_at is None and process.funded_total == 0


@pytest.mark.parametrize("ballots, entries", [(4, 3), (40, 12)])
def test_results_compute_takes_the_same_queries_at_any_size(organisation, ballots, entries,
                                                            django_assert_num_queries):
    process, made = budget(organisation, ["100"] * entries)
    rng = random.Random(ballots)
    cast(process, [rng.sample(made, 3) for _ in range(ballots)])
    with django_assert_num_queries(2):
        rows, _total = services.results_compute(process)
    assert len(rows) == entries and sum(votes for _pk, votes, _f, _r in rows) == 3 * ballots


# Publishing --------------------------------------------------------------------------------

@pytest.fixture
def voted(organisation):
    """Three proposals of 6,000, 3,000 and 2,000 € in a 10,000 € budget; the third is under review."""
    process, (big, mid, small) = budget(organisation, ["6000", "3000", "2000"])
    proposal_services.proposal_set_status(proposal=small.proposal, actor=process_staff(process),
                                          to_status=S.UNDER_REVIEW, response="Wir prüfen mit.")
    voters = UserFactory.create_batch(5)
    for voter, picks in zip(voters, [[big, mid], [big], [big, small], [mid, small], [small]]):
        vote(process, voter, picks)
    services.ballot_set_picks(process=process, user=UserFactory(), entry_ids=[mid.pk])  # a draft: not counted
    return process, big, mid, small


def test_the_kept_vote_counts_agree_with_the_count(voted):
    process, *entries = voted
    rows, _total = services.results_compute(process)
    assert {pk: votes for pk, votes, _f, _r in rows} == dict(Entry.objects.values_list("pk", "vote_count"))
    assert process.ballot_count == 5


def test_results_publish_writes_the_results_and_funds_the_winners(voted):
    process, big, mid, small = voted
    now = timezone.now()
    Process.objects.filter(pk=process.pk).update(phase=Phase.RESULTS)
    services.results_publish(process=process, now=now)
    process.refresh_from_db()
    assert process.results_published_at == now and process.funded_total == Decimal("8000")
    # big 3 votes, small 3 votes but cheaper → small first; big fits (6000 + 2000); mid 2 votes does not.
    result = {e.pk: (e.vote_count, e.is_funded, e.result_rank) for e in Entry.objects.all()}
    assert result == {small.pk: (3, True, 1), big.pk: (3, True, 2), mid.pk: (2, False, 3)}
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses[big.proposal_id] == statuses[small.proposal_id] == S.ACCEPTED
    assert statuses[mid.proposal_id] == S.PUBLISHED
    change = StatusChange.objects.get(proposal=big.proposal, to_status=S.ACCEPTED)
    assert change.response == f"Funded by the participatory budget “{process.title}” with 3 votes."
    assert set(Implementation.objects.values_list("proposal_id", flat=True)) == {big.proposal_id,
                                                                                 small.proposal_id}
    activity = Activity.objects.get(verb="budget.results_published")
    assert (activity.data["funded"], activity.data["funded_total"], activity.data["ballots"]) == (2, "8000.00", 5)


def test_results_are_published_once(voted):
    process, big, mid, small = voted
    publish(process)
    first = Process.objects.get(pk=process.pk).results_published_at
    counts = (StatusChange.objects.count(), Implementation.objects.count(), Activity.objects.count())
    services.results_publish(process=process)
    move_to(process, Phase.IMPLEMENTATION)
    services.phases_advance()
    process.refresh_from_db()
    assert process.results_published_at == first
    assert (StatusChange.objects.count(), Implementation.objects.count()) == counts[:2]
    assert Activity.objects.filter(verb="budget.results_published").count() == 1


def test_publishing_keeps_a_decision_staff_already_took(voted):
    process, big, mid, small = voted
    staff = process_staff(process)
    proposal_services.proposal_set_status(proposal=big.proposal, actor=staff, to_status=S.ACCEPTED,
                                          response="Machen wir sowieso.")
    publish(process)
    assert StatusChange.objects.filter(proposal=big.proposal, to_status=S.ACCEPTED).count() == 1
    assert Implementation.objects.filter(proposal=big.proposal).exists()


def test_a_proposal_nobody_voted_for_is_not_funded_even_when_money_is_left(organisation):
    process, (voted, unvoted) = budget(organisation, ["2000", "1000"])
    cast(process, [[voted]])
    rows, total = services.results_compute(process)
    assert rows == [(voted.pk, 1, True, 1), (unvoted.pk, 0, False, 2)] and total == Decimal("2000")


def test_withdrawn_and_hidden_proposals_leave_the_ballot_and_the_results(organisation, person):
    process, (kept, withdrawn, hidden) = budget(organisation, ["1000", "1000", "1000"])
    cast(process, [[kept, withdrawn, hidden]] * 3)
    proposal_services.proposal_set_status(proposal=withdrawn.proposal, actor=withdrawn.proposal.author,
                                          to_status=Proposal.Status.WITHDRAWN)
    Proposal.objects.filter(pk=hidden.proposal_id).update(is_hidden=True)
    rows, total = services.results_compute(process)
    assert rows == [(kept.pk, 3, True, 1)] and total == Decimal("1000")
    assert list(Entry.objects.filter(process=process).on_ballot()) == [kept]
    with pytest.raises(services.BudgetError, match="only choose feasible proposals"):
        services.ballot_set_picks(process=process, user=person, entry_ids=[withdrawn.pk])
