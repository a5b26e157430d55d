"""A delivery task that meets a database restarting under it tries again in a moment with the same task id,
so it takes back what it had claimed and sends it at once, instead of leaving it to the sweep after
CLAIM_TIMEOUT (a quarter of an hour); nothing is sent twice."""
from collections import Counter
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from notifications import delivery, tasks
from notifications.delivery import sending
from notifications.models import Delivery, Notification, Preference
from proposals.services import comment_create
from tests.stakeholders.factories import UserFactory

K, St = Delivery.Kind, Delivery.Status


def database_goes_away_once(monkeypatch, where):
    """The first call of ``sending.<where>`` fails as a restarting PostgreSQL makes it fail; later ones work."""
    original = getattr(sending, where)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return original(*args, **kwargs)

    monkeypatch.setattr(sending, where, flaky)
    return calls


@pytest.mark.django_db
def test_a_digest_batch_meeting_a_database_restart_sends_everything_once(followers, mailoutbox, monkeypatch):
    _proposal, people = followers(4)
    period, cutoff, ids = delivery.digest_recipients(K.DAILY, now=timezone.now() + timedelta(days=2))
    calls = database_goes_away_once(monkeypatch, "_finish")  # while marking the first email sent
    # throw=False: the retry runs in-process, as the worker runs it (the tests' settings re-raise by default).
    result = tasks.digest_batch.apply(args=[K.DAILY, period, cutoff.isoformat(), ids], task_id="batch-1", throw=False)
    assert result.get() == 4
    assert len(calls) > 4  # the first run failed on its first email, the retry did them all
    assert Counter(m.to[0] for m in mailoutbox) == {person.email: 1 for person in people}
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {St.SENT: 4}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}  # claimed, then taken back


@pytest.mark.django_db
def test_a_single_email_meeting_a_database_restart_goes_out_once(followers, mailoutbox, monkeypatch):
    proposal, people = followers(1, comments=0)
    Preference.objects.create(user=people[0], category="proposals", channel="immediate")
    with monkeypatch.context() as patched:
        patched.setattr(tasks.send_immediate, "delay", lambda *args: None)  # sent below, as the worker would
        comment_create(proposal=proposal, author=UserFactory(), text="Wann geht es los?")
    waiting = list(Notification.objects.filter(channel="immediate").values_list("pk", flat=True))
    database_goes_away_once(monkeypatch, "claim_immediate")  # before anything was claimed
    assert tasks.send_immediate.apply(args=[waiting], task_id="single-1", throw=False).get() == 1
    assert [m.to[0] for m in mailoutbox] == [people[0].email]
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {St.SENT: 1}


def test_the_delivery_tasks_retry_on_database_errors_only():
    for task in (tasks.send_immediate, tasks.digest_batch, tasks.fan_out, tasks.digests, tasks.sweep):
        assert OperationalError in task.autoretry_for, task.name
        assert ValueError not in task.autoretry_for
