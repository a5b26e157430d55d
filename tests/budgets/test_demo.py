"""The demo budgets: one in every phase, consistent with their dates and counters; a second run changes nothing."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from budgets.models import PHASE_ORDER, Ballot, Entry, Pick, Process
from proposals.models import Evaluation, Implementation, ImplementationUpdate

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=StringIO())


def snapshot():
    models = [Process, Entry, Ballot, Pick, Implementation, ImplementationUpdate, Evaluation]
    return ({model.__name__: model.objects.count() for model in models},
            list(Process.objects.order_by("pk").values_list("slug", "phase", "ballot_count", "funded_total")))


@pytest.fixture
def demo(db):
    seed()


def test_one_process_in_every_phase_matching_its_dates(demo):
    processes = list(Process.objects.all())
    assert sorted(p.phase for p in processes) == sorted(PHASE_ORDER)
    for process in processes:
        assert process.phase_due() == process.phase, process.slug


def test_counters_agree_with_the_rows(demo):
    for process in Process.objects.annotate(
            confirmed=Count("ballots", filter=Q(ballots__status=Ballot.Status.CONFIRMED), distinct=True),
            entries_n=Count("entries", distinct=True)):
        assert (process.ballot_count, process.proposal_count) == (process.confirmed, process.entries_n)
    for ballot in Ballot.objects.annotate(n=Count("picks")):
        assert ballot.total == sum(pick.cost for pick in ballot.picks.all()) <= ballot.budget


def test_voting_has_confirmed_and_draft_ballots_and_later_phases_have_results(demo):
    voting = Process.objects.get(phase="voting")
    assert set(voting.ballots.values_list("status", flat=True)) == {"draft", "confirmed"}
    for process in Process.objects.filter(phase__in=["results", "implementation"]):
        assert process.results_published_at is not None
        funded = process.entries.filter(is_funded=True)
        assert funded.exists() and process.funded_total == sum(e.final_cost for e in funded) <= process.total_amount
        assert all(e.proposal.status in ("accepted", "in_delivery", "completed") for e in funded)
    results = Process.objects.get(phase="results")
    assert results.entries.filter(feasibility="feasible", is_funded=False).exists()  # one no longer fitted


def test_implementation_has_updates_and_evaluations(demo):
    assert ImplementationUpdate.objects.exists()
    finished = Process.objects.get(phase="implementation")
    completed = Implementation.objects.filter(status="completed", proposal__budget_entry__process=finished)
    assert completed.exists() and all(implementation.progress == 100 for implementation in completed)
    assert sum(i.evaluation_count for i in Implementation.objects.all()) == Evaluation.objects.count() >= 3
    assert not Evaluation.objects.exclude(implementation__status="completed").exists()


def test_seeding_twice_changes_nothing(demo):
    first = snapshot()
    seed()
    assert snapshot() == first
