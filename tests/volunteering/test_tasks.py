"""The Celery tasks: eager in tests, scheduled by beat, enqueued after commit, and on a real worker."""
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection, transaction

from coproduction.celery import app
from coproduction.workers import celery_worker
from notifications.models import Activity
from volunteering import services, tasks
from volunteering.models import SignUp

from .factories import ShiftFactory, expire_offer, sign_up

S = SignUp.Status


def shift_with_expired_offer():
    shift = ShiftFactory(capacity=1)
    holder, first, second = sign_up(shift), sign_up(shift), sign_up(shift)
    services.shift_cancel_sign_up(sign_up=holder, actor=holder.user)
    return shift, expire_offer(first), second


def test_beat_runs_offers_every_minute_and_reminders_every_quarter_hour():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["volunteering.offers_expire"] == 60
    assert schedule["volunteering.reminders_due"] == 15 * 60
    assert {"volunteering.offers_expire", "volunteering.reminders_due"} <= set(app.tasks)


@pytest.mark.django_db
def test_offers_expire_task_moves_offers_on(eager):
    shift, first, second = shift_with_expired_offer()
    tasks.offers_expire.delay()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.EXPIRED, S.OFFERED)
    tasks.offers_expire.delay()  # again: nothing more happens
    assert SignUp.objects.get(pk=second.pk).status == S.OFFERED


@pytest.mark.django_db
def test_reminders_due_task_records_each_reminder_once(eager):
    record = sign_up(ShiftFactory(starts_in=12))
    tasks.reminders_due.delay()
    tasks.reminders_due.delay()
    assert Activity.objects.for_target(record).filter(verb="signup.reminder_due").count() == 1


@pytest.mark.django_db
def test_tasks_enqueued_in_a_transaction_run_only_after_commit(eager, django_capture_on_commit_callbacks):
    shift, first, second = shift_with_expired_offer()
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            tasks.offers_expire.delay_on_commit()
            assert SignUp.objects.get(pk=first.pk).status == S.OFFERED  # not yet
    assert len(callbacks) == 1 and SignUp.objects.get(pk=first.pk).status == S.OFFERED
    callbacks[0]()
    assert SignUp.objects.get(pk=first.pk).status == S.EXPIRED


@pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (Redis) for a real worker")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker shares the test database on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_offers_expire_runs_on_a_real_worker(tmp_path):
    """A worker process, started on the test database, consumes the task from Redis.

    It listens on a queue of its own, so workers of other test runs on the same Redis never take
    this task (and this worker never takes theirs).
    """
    shift, first, second = shift_with_expired_offer()
    queue = f"test-volunteering-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    with celery_worker(queue, log, env={"DJANGO_SETTINGS_MODULE": "tests.settings"}) as worker:
        tasks.offers_expire.apply_async(queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and SignUp.objects.get(pk=first.pk).status == S.OFFERED:
            assert worker.poll() is None, log.read_text()
            time.sleep(0.25)
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.status, second.status) == (S.EXPIRED, S.OFFERED), log.read_text()
        assert "volunteering.offers_expire" in log.read_text()
