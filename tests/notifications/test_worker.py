"""The daily digest on a real Celery worker process, through Redis, on the test PostgreSQL database.

The worker is another process: it writes its emails to files in a folder of this test, listens
on a queue of its own (also for the batches the fan-out enqueues), and leaves nothing on Redis.
"""
import email
import email.policy
import re
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

from coproduction.workers import celery_worker
from notifications import delivery, tasks
from notifications.models import Delivery, Notification
from tests.workers import keys_left_by

SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between the messages the file backend writes
St = Delivery.Status


def _emails(folder):
    """Every message the worker finished writing, parsed."""
    found = []
    for path in sorted(folder.glob("*.log")):
        chunks = path.read_bytes().split(SEPARATOR)
        found += [email.message_from_bytes(chunk, policy=email.policy.default)  # the last one may be half written
                  for chunk in chunks[:-1]]
    return found


def _succeeded(log, task_id):
    return re.search(rf"\[{re.escape(task_id)}\] succeeded in", log.read_text()) is not None


def _batches(log):
    """How many digest batches the worker has finished."""
    return len(re.findall(r"Task notifications\.digest_batch\[[^]]+\] succeeded", log.read_text()))


def _wait(worker, log, done, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done():
        assert worker.poll() is None, log.read_text()
        time.sleep(0.25)
    assert done(), log.read_text()


@pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (Redis) for a real worker")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker shares the test database on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_daily_digest_arrives_once_through_a_real_worker(tmp_path, followers):
    _proposal, people = followers(5, comments=2, language="en")
    _proposal, (closed,) = followers(1)
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    Notification.objects.update(created_at=F("created_at") - timedelta(days=2))  # written before today's digest
    readers = {person.email for person in people}

    queue = f"test-notifications-{uuid.uuid4().hex[:12]}"
    outbox = tmp_path / "outbox"
    env = {"DJANGO_SETTINGS_MODULE": "tests.settings", "TEST_CELERY_EAGER": "0", "EMAIL_URL": f"filemail:///{outbox}",
           "NOTIFICATIONS_BATCH_SIZE": "2", "SITE_URL": "https://koproduktion.example"}
    log = tmp_path / "worker.log"
    with celery_worker(queue, log, env=env) as worker:
        # The beat's job: the worker fans out three batches of two through Redis and sends them.
        first = tasks.digests.apply_async(args=["daily"], queue=queue)
        _wait(worker, log, lambda: _succeeded(log, first.id) and _batches(log) == 3)
        assert len(_emails(outbox)) == 5
        assert statuses() == {St.SENT: 5, St.SKIPPED: 1}
        assert Delivery.objects.get(recipient=closed).status == St.SKIPPED

        # Again: the beat fires twice, and the same batch is handed out once more.
        period, cutoff = delivery.period_for(Delivery.Kind.DAILY)
        again = [tasks.digests.apply_async(args=["daily"], queue=queue),
                 tasks.digest_batch.apply_async(args=["daily", period, cutoff.isoformat(),
                                                      sorted(p.pk for p in people)[:2]], queue=queue)]
        _wait(worker, log, lambda: all(_succeeded(log, result.id) for result in again))
        assert _batches(log) == 4  # the second fan-out found nobody left to send to

        messages = _emails(outbox)
        assert Counter(str(message["To"]) for message in messages) == dict.fromkeys(readers, 1)
        for message in messages:
            assert message["Subject"] == "[Koproduktion] Your daily summary: 2 new"
            unsubscribe = message["List-Unsubscribe"].strip()  # folded: the address is longer than a line
            assert unsubscribe.startswith("<https://koproduktion.example/notifications/unsubscribe/")
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert message.get_content_type() == "multipart/alternative"
        assert len({str(message["Message-ID"]) for message in messages}) == 5
        assert statuses() == {St.SENT: 5, St.SKIPPED: 1}
        assert set(Delivery.objects.values_list("period", flat=True)) == {period}
        assert " ERROR" not in log.read_text()
    assert keys_left_by(queue) == []  # the stopped worker's queue and bindings are gone from the shared Redis


def statuses():
    return Counter(Delivery.objects.values_list("status", flat=True))
