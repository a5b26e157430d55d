"""The digest benchmark command works, at a tiny scale on the test database (its figures come from the command)."""
import io
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from notifications import delivery
from proposals.management.commands.bench_notifications import DOMAIN, ORGANISATION_SLUG
from notifications.models import Activity, Channel, Delivery, Notification
from proposals.models import Proposal
from stakeholders.models import Organisation, User
from tests.stakeholders.factories import UserFactory
from tests.workers import keys_left_by


def bench(*args):
    out = io.StringIO()
    call_command("bench_notifications", *args, stdout=out)
    return out.getvalue()


def row(output, label):
    """The cells of the report's row that starts with ``label``."""
    line = next(line for line in output.splitlines() if line.startswith(label))
    return line[len(label):].split()


def assert_everyone_got_one(output, people):
    assert row(output, "digests sent (Delivery rows)") == [str(people), str(people), "ok"]
    assert row(output, "messages written to files") == [str(people), str(people), "ok"]
    assert row(output, "people with exactly one message") == [str(people), str(people), "ok"]
    assert row(output, "reads per batch (few / many items)")[-1] == "ok"
    assert row(output, "writes - emails per batch")[-1] == "ok"


def assert_scratch_data_gone():
    assert not User.objects.filter(email__endswith=DOMAIN).exists()
    assert not Organisation.objects.filter(slug__startswith=ORGANISATION_SLUG).exists()
    assert not Proposal.objects.exists() and not Activity.objects.exists()
    assert not Notification.objects.exists() and not Delivery.objects.exists()


@pytest.mark.django_db
def test_in_process_run_sends_everyone_exactly_one_digest_and_cleans_up():
    output = bench("--people", "30", "--per-person", "3", "--batch-size", "10", "--in-process")

    assert "people: 30 with 3 waiting daily notifications each (90)" in output
    # one batch at each content: equal reads, writes = three + one UPDATE per email
    assert row(output, "people with 1 items")[:4] == row(output, "people with 3 items")[:4]
    reads, writes, emails, fixed = map(int, row(output, "people with 3 items")[:4])
    assert (emails, writes - emails, fixed) == (10, 3, 3)
    assert 0 < reads <= 8
    assert_everyone_got_one(output, 30)
    assert "daily digest of 30 people x 3 items: in this process, eager tasks" in output
    assert_scratch_data_gone()


@pytest.mark.django_db
def test_keep_leaves_data_and_emails_and_the_next_run_starts_afresh():
    output = bench("--people", "12", "--per-person", "2", "--batch-size", "5", "--in-process", "--keep")
    outbox = Path(re.search(r"and the emails in (\S+)", output).group(1))
    try:
        assert User.objects.filter(email__endswith=DOMAIN).count() == 12 + 3 * 5 + 1  # run, probes, staff
        assert len(list((outbox / "run").glob("*.log"))) >= 1
        assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 12 + 3 * 5
    finally:
        shutil.rmtree(outbox, ignore_errors=True)

    assert_everyone_got_one(bench("--people", "12", "--per-person", "2", "--batch-size", "5", "--in-process"), 12)
    assert_scratch_data_gone()


@pytest.mark.django_db
def test_refuses_while_other_people_wait_for_the_daily_digest():
    someone = UserFactory()
    _period, cutoff = delivery.period_for(Delivery.Kind.DAILY)
    activity = Activity.objects.create(verb="proposal.status_changed", target=someone)
    Notification.objects.create(recipient=someone, activity=activity, category="proposals", channel=Channel.DAILY)
    Notification.objects.update(created_at=cutoff - timedelta(hours=1))

    with pytest.raises(CommandError, match="1 people in this database wait for the daily digest"):
        bench("--people", "5", "--in-process")
    assert Notification.objects.count() == 1 and not User.objects.filter(email__endswith=DOMAIN).exists()


@pytest.mark.django_db
def test_worker_mode_refuses_sqlite_and_a_missing_broker(monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(connection, "vendor", "sqlite")
        with pytest.raises(CommandError, match="needs PostgreSQL.*or pass --in-process"):
            bench("--people", "5")
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with override_settings(CELERY_BROKER_URL=""), pytest.raises(CommandError, match="needs a broker"):
        bench("--people", "5")
    assert not User.objects.filter(email__endswith=DOMAIN).exists()


@pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (Redis) for real workers")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the workers share the test database on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_worker_mode_sends_through_the_broker_and_leaves_nothing_on_redis():
    output = bench("--people", "20", "--per-person", "3", "--batch-size", "5", "--workers", "2")

    assert_everyone_got_one(output, 20)
    queue = re.search(r"prefork pool of 2 processes, private Redis queue (\S+)", output).group(1)
    assert keys_left_by(queue) == []
    assert_scratch_data_gone()
