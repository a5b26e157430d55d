"""Simultaneous ballots on real database connections (PostgreSQL; SQLite serialises writers).

Each thread of run_simultaneously has its own connection, as two browser tabs or two people
would. Whatever the interleaving: one ballot per person, its total the sum of its picks and
within the budget, a confirmed ballot never changes, and the kept counters equal the counts.
"""
import itertools
import random
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum

from budgets import services
from budgets.models import Ballot, Entry, Phase, Pick, Process
from tests.stakeholders.factories import UserFactory
from tests.stakeholders.test_concurrency import run_simultaneously

from .factories import add_entry, make_process, move_to, process_staff

pytestmark = pytest.mark.django_db(transaction=True)
POSTGRES_ONLY = pytest.mark.skipif(connection.vendor == "sqlite",
                                   reason="SQLite serialises writers; this proves PostgreSQL")
COSTS = ["4000", "3000", "3000", "2500", "2000", "1500"]


@pytest.fixture
def voting(organisation):
    """A 10,000 € budget in voting with six feasible proposals."""
    process = make_process(organisation, Phase.REVIEW, total=Decimal("10000"))
    entries = [add_entry(process, cost=Decimal(cost)) for cost in COSTS]
    move_to(process, Phase.VOTING)
    return process, entries


def within_budget_choices(entries, count, seed):
    """``count`` different choices, each within the budget, together far over it."""
    rng = random.Random(seed)
    choices = []
    while len(choices) < count:
        picked = rng.sample(entries, rng.randint(1, 4))
        if sum(entry.final_cost for entry in picked) <= 10000 and picked not in choices:
            choices.append(picked)
    return choices


def assert_ballot_consistent(ballot):
    picks = list(ballot.picks.values_list("entry_id", "cost"))
    assert ballot.total == sum((cost for _pk, cost in picks), Decimal("0"))
    assert ballot.total <= ballot.budget
    return {pk for pk, _cost in picks}


def assert_counters_match(process):
    counted = dict(Pick.objects.filter(ballot__process=process, ballot__status=Ballot.Status.CONFIRMED)
                   .values("entry").annotate(n=Count("pk")).values_list("entry", "n"))
    kept = dict(Entry.objects.filter(process=process).values_list("pk", "vote_count"))
    assert kept == {pk: counted.get(pk, 0) for pk in kept}
    process.refresh_from_db()
    assert process.ballot_count == Ballot.objects.filter(process=process, status=Ballot.Status.CONFIRMED).count()


@POSTGRES_ONLY
@pytest.mark.parametrize("round_", range(3))
def test_the_same_person_choosing_in_several_tabs_keeps_one_consistent_ballot(voting, round_):
    process, entries = voting
    person = UserFactory()
    choices = within_budget_choices(entries, 6, seed=round_)
    turns = iter(choices)
    lock = threading.Lock()

    def choose():
        with lock:
            picked = next(turns)
        return services.ballot_set_picks(process=process, user=person, entry_ids=[e.pk for e in picked])

    results, errors = run_simultaneously(len(choices), choose)
    assert errors == [] and len(results) == len(choices)
    ballot = Ballot.objects.get(process=process, user=person)  # exactly one row
    picked = assert_ballot_consistent(ballot)
    assert picked in [{e.pk for e in choice} for choice in choices]  # one tab's choice, whole
    assert Ballot.objects.filter(process=process).count() == 1


@POSTGRES_ONLY
def test_choices_over_the_budget_from_several_tabs_never_pass(voting):
    process, entries = voting
    person = UserFactory()
    big = [entries[0], entries[1], entries[3]]  # 9,500 €
    over = [entries[0], entries[1], entries[2], entries[3]]  # 12,500 €
    turns = itertools.cycle([big, over])
    lock = threading.Lock()

    def choose():
        with lock:
            picked = next(turns)
        return services.ballot_set_picks(process=process, user=person, entry_ids=[e.pk for e in picked])

    results, errors = run_simultaneously(8, choose)
    assert len(results) == 4 and len(errors) == 4
    assert all(isinstance(error, services.BudgetError) for error in errors)
    ballot = Ballot.objects.get(process=process, user=person)
    assert assert_ballot_consistent(ballot) == {e.pk for e in big} and ballot.total == Decimal("9500")


@POSTGRES_ONLY
def test_changing_and_confirming_at_once_never_changes_a_confirmed_ballot(voting):
    process, entries = voting
    voters = UserFactory.create_batch(6)
    for voter in voters:
        services.ballot_set_picks(process=process, user=voter, entry_ids=[entries[0].pk])
    jobs = iter([(voter, action) for voter in voters for action in ("change", "confirm")])
    lock = threading.Lock()

    def act():
        with lock:
            voter, action = next(jobs)
        if action == "confirm":
            return services.ballot_confirm(process=process, user=voter)
        return services.ballot_set_picks(process=process, user=voter, entry_ids=[entries[1].pk, entries[5].pk])

    results, errors = run_simultaneously(len(voters) * 2, act)
    assert all(str(error) == "Your vote is confirmed and can no longer be changed." for error in errors)
    assert len(results) + len(errors) == len(voters) * 2
    confirmed = {}
    for voter in voters:
        ballot = Ballot.objects.get(process=process, user=voter)
        assert ballot.is_confirmed
        confirmed[voter.pk] = assert_ballot_consistent(ballot)
        assert confirmed[voter.pk] in ({entries[0].pk}, {entries[1].pk, entries[5].pk})
    assert_counters_match(process)
    # From now on nothing changes them.
    for voter in voters:
        with pytest.raises(services.BudgetError):
            services.ballot_set_picks(process=process, user=voter, entry_ids=[entries[2].pk])
        assert assert_ballot_consistent(Ballot.objects.get(process=process, user=voter)) == confirmed[voter.pk]
    assert_counters_match(process)


@POSTGRES_ONLY
def test_many_voters_confirming_at_once_are_all_counted(voting):
    process, entries = voting
    voters = UserFactory.create_batch(20)
    for voter, picked in zip(voters, within_budget_choices(entries, 20, seed=7)):
        services.ballot_set_picks(process=process, user=voter, entry_ids=[e.pk for e in picked])
    turns = iter(voters)
    lock = threading.Lock()

    def confirm():
        with lock:
            voter = next(turns)
        return services.ballot_confirm(process=process, user=voter)

    results, errors = run_simultaneously(len(voters), confirm)
    assert errors == [] and len(results) == 20
    assert_counters_match(process)
    assert Process.objects.get(pk=process.pk).ballot_count == 20
    total_votes = Entry.objects.filter(process=process).aggregate(n=Sum("vote_count"))["n"]
    assert total_votes == Pick.objects.filter(ballot__process=process).count()


@POSTGRES_ONLY
def test_confirming_in_two_tabs_counts_once(voting):
    process, entries = voting
    person = UserFactory()
    services.ballot_set_picks(process=process, user=person, entry_ids=[entries[0].pk, entries[4].pk])
    results, errors = run_simultaneously(4, lambda: services.ballot_confirm(process=process, user=person))
    assert len(results) == 1 and len(errors) == 3
    assert_counters_match(process)
    assert Entry.objects.get(pk=entries[0].pk).vote_count == 1


@POSTGRES_ONLY
def test_no_vote_slips_in_while_voting_closes(voting):
    process, entries = voting
    voters = UserFactory.create_batch(12)
    for voter, picked in zip(voters, within_budget_choices(entries, 12, seed=3)):
        services.ballot_set_picks(process=process, user=voter, entry_ids=[e.pk for e in picked])
    staff = process_staff(process)
    jobs = iter([("close", None)] + [("confirm", voter) for voter in voters])
    lock = threading.Lock()

    def act():
        with lock:
            action, voter = next(jobs)
        if action == "close":
            return services.phase_move(process=process, actor=staff, to_phase=Phase.RESULTS)
        return services.ballot_confirm(process=process, user=voter)

    results, errors = run_simultaneously(len(voters) + 1, act)
    assert all(str(error) == "Voting is not open for this budget." for error in errors)
    process.refresh_from_db()
    assert process.phase == Phase.RESULTS
    # The published counts are exactly the ballots confirmed before voting closed, none after.
    assert_counters_match(process)
    assert process.ballot_count == len(results) - 1  # every confirmation that went through is in the results
    rows, _total = services.results_compute(process)
    assert {pk: votes for pk, votes, _f, _r in rows} == dict(
        Entry.objects.filter(process=process).values_list("pk", "vote_count"))


@POSTGRES_ONLY
def test_two_staff_moving_on_at_once_move_one_phase(voting):
    process, entries = voting
    staff = process_staff(process)
    results, errors = run_simultaneously(
        3, lambda: services.phase_move(process=process, actor=staff, to_phase=Phase.RESULTS))
    assert len(results) == 1 and len(errors) == 2
    assert all(str(error) == "A budget can only move on to a later phase." for error in errors)
    process.refresh_from_db()
    assert process.phase == Phase.RESULTS and process.results_published_at is not None
    assert Entry.objects.filter(process=process, result_rank__isnull=False).count() == len(COSTS)


def test_the_database_refuses_a_total_above_the_budget(voting):
    """Whatever a service might get wrong: the ballot_within_budget constraint holds (both databases)."""
    process, entries = voting
    person = UserFactory()
    ballot = services.ballot_set_picks(process=process, user=person, entry_ids=[entries[0].pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.filter(pk=ballot.pk).update(total=Decimal("10000.01"))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Ballot._meta.db_table} SET total = budget + 1 WHERE id = %s", [ballot.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.filter(pk=ballot.pk).update(total=Decimal("-1"))
    ballot.refresh_from_db()
    assert ballot.total == Decimal("4000")
    Ballot.objects.filter(pk=ballot.pk).update(total=Decimal("10000"))  # exactly the budget is fine
