"""The phases task: scheduled by beat, correct after a long pause, eager in tests."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from budgets import services, tasks
from budgets.models import Entry, Phase, Process
from coproduction.celery import app
from notifications.models import Activity
from proposals.models import Implementation
from tests.stakeholders.factories import UserFactory

from .factories import add_entry, make_process, move_to, vote


def test_beat_advances_the_phases_every_five_minutes():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["budgets.phases_advance"] == 5 * 60
    assert "budgets.phases_advance" in app.tasks


def in_voting_with_votes(organisation):
    """A budget in voting with two proposals and three confirmed ballots."""
    process = make_process(organisation, Phase.REVIEW, total=Decimal("5000"))
    popular, other = add_entry(process, cost=Decimal("3000")), add_entry(process, cost=Decimal("3000"))
    move_to(process, Phase.VOTING)
    for picks in ([popular], [popular], [other]):
        vote(process, UserFactory(), picks)
    return process, popular, other


def schedule(process, **days):
    """Sets phase starts to ``days`` from now (the others unchanged), keeping their order valid."""
    now = timezone.now()
    Process.objects.filter(pk=process.pk).update(**{f"{name}_starts": now + timedelta(days=d)
                                                    for name, d in days.items()})


@pytest.mark.django_db
def test_after_a_long_pause_the_due_phase_is_reached_and_results_published_once(organisation):
    process, popular, other = in_voting_with_votes(organisation)
    # Nobody ran the task while results and implementation came due.
    schedule(process, collecting=-60, review=-50, voting=-40, results=-20, implementation=-2)
    assert services.phases_advance() == 1
    process.refresh_from_db()
    assert process.phase == Phase.IMPLEMENTATION and process.results_published_at is not None
    moves = Activity.objects.filter(verb="budget.phase_changed", target_id=process.pk, actor=None)
    assert [(a.data["from_phase"], a.data["to_phase"]) for a in moves] == [("voting", "implementation")]
    assert Activity.objects.filter(verb="budget.results_published", target_id=process.pk).count() == 1
    assert Entry.objects.get(pk=popular.pk).is_funded and not Entry.objects.get(pk=other.pk).is_funded
    assert Implementation.objects.filter(proposal=popular.proposal).exists()
    # A second run, and one much later, change nothing more.
    recorded = Activity.objects.count()
    assert services.phases_advance() == 0
    assert services.phases_advance(timezone.now() + timedelta(days=400)) == 0
    assert Activity.objects.count() == recorded


@pytest.mark.django_db
def test_phases_advance_leaves_budgets_whose_next_phase_is_not_due(organisation):
    waiting = make_process(organisation, Phase.ANNOUNCED)
    collecting = make_process(organisation, Phase.COLLECTING)
    assert services.phases_advance() == 0
    assert Process.objects.get(pk=waiting.pk).phase == Phase.ANNOUNCED
    assert Process.objects.get(pk=collecting.pk).phase == Phase.COLLECTING


@pytest.mark.django_db
def test_the_task_moves_processes_when_called(organisation, eager):
    process, popular, other = in_voting_with_votes(organisation)
    schedule(process, collecting=-4, review=-3, voting=-2, results=-1, implementation=10)
    tasks.phases_advance.delay()
    process.refresh_from_db()
    assert process.phase == Phase.RESULTS and process.results_published_at is not None
    published = process.results_published_at
    tasks.phases_advance.delay()  # again: nothing more happens
    assert Process.objects.get(pk=process.pk).results_published_at == published
    assert Activity.objects.filter(verb="budget.results_published").count() == 1


@pytest.mark.django_db
def test_the_task_wraps_the_service(organisation, eager):
    make_process(organisation, Phase.ANNOUNCED, days=[-1, 1, 2, 3, 4])
    assert tasks.phases_advance() == 1  # called directly, as beat's worker does
    assert Process.objects.get().phase == Phase.COLLECTING
