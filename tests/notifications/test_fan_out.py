"""Broadcasts (everyone taking part in a participatory budget): derived after the commit, set-based, once."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from budgets import services as budget_services
from budgets.models import Phase
from notifications import services, tasks
from notifications.models import Activity, Notification, Preference
from tests.budgets.factories import add_entry, make_process, move_to, process_staff, vote
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(organisation):
    """A budget in voting with three voters; the staff member who moves it on also voted."""
    process = make_process(organisation, Phase.REVIEW)
    entry = add_entry(process, cost=Decimal("100"))
    move_to(process, Phase.VOTING)
    voters = UserFactory.create_batch(3)
    for voter in voters:
        vote(process, voter, [entry])
    staff = process_staff(process)
    vote(process, staff, [entry])
    return process, entry.proposal.author, voters, staff


def move_on(process, staff, django_capture_on_commit_callbacks, execute=True):
    with django_capture_on_commit_callbacks(execute=execute) as callbacks:
        budget_services.phase_move(process=process, actor=staff, to_phase=Phase.RESULTS)
    return Activity.objects.filter(verb="budget.phase_changed").latest("pk"), callbacks


def test_nothing_is_derived_inside_the_transaction(budget, django_capture_on_commit_callbacks):
    process, author, voters, staff = budget
    activity, callbacks = move_on(process, staff, django_capture_on_commit_callbacks, execute=False)
    assert activity.fan_out_pending and not Notification.objects.filter(activity=activity).exists()
    assert callbacks  # the fan-out task is handed over after the commit


def test_after_the_commit_everyone_taking_part_is_told_once_except_who_moved_it(
        budget, django_capture_on_commit_callbacks):
    process, author, voters, staff = budget
    Preference.objects.create(user=voters[0], category="budgets", channel="weekly")
    inactive = voters[2]
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    activity, _callbacks = move_on(process, staff, django_capture_on_commit_callbacks)
    told = dict(Notification.objects.filter(activity=activity).values_list("recipient_id", "channel"))
    assert told == {author.pk: "daily", voters[0].pk: "weekly", voters[1].pk: "daily"}
    activity.refresh_from_db()
    assert not activity.fan_out_pending
    voters[1].refresh_from_db()
    assert voters[1].unread_notifications == Notification.objects.filter(recipient=voters[1]).unread().count()
    assert services.fan_out(activity.pk) == 0  # a repeated task adds nothing
    assert Notification.objects.filter(activity=activity).count() == 3


def test_a_broadcast_the_broker_never_got_is_derived_by_the_sweep(budget, django_capture_on_commit_callbacks):
    process, author, voters, staff = budget
    activity, _callbacks = move_on(process, staff, django_capture_on_commit_callbacks, execute=False)
    assert services.fan_out_overdue() == []  # its own task still has a minute
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert services.fan_out_overdue() == [activity.pk]
    tasks.sweep()
    assert Notification.objects.filter(activity=activity).count() == 4
    assert services.fan_out_overdue() == []


def test_the_fan_out_reads_and_writes_a_constant_number_of_times(organisation, django_capture_on_commit_callbacks):
    counts = []
    for people in (3, 30):
        process = make_process(organisation, Phase.REVIEW)
        entry = add_entry(process, cost=Decimal("100"))
        move_to(process, Phase.VOTING)
        for voter in UserFactory.create_batch(people):
            vote(process, voter, [entry])
        staff = process_staff(process)
        activity, _callbacks = move_on(process, staff, django_capture_on_commit_callbacks, execute=False)
        with CaptureQueriesContext(connection) as queries:
            services.fan_out(activity.pk)
        counts.append(len(queries))
    assert counts[0] == counts[1]
