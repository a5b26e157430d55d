"""The phases of a load run: plain load, then PostgreSQL restarted, Redis stopped and a Celery worker
killed while traffic runs or a digest goes out. Each phase prints its figures, checks the invariants and
ends with "invariants: 0 violations" or the list of them.

What each fault must leave:
- PostgreSQL restarted: requests during the outage get the short 503 page (no 500, no traceback), the
  site answers again within ``RECOVERY_LIMIT`` seconds of the database's return without anything being
  restarted, and everything the site confirmed is in the database.
- Redis stopped for ``REDIS_DOWN`` seconds: every page keeps answering (no 5xx), the emails due meanwhile
  go out once after it returns, by the sweep that beat runs every five minutes (sent here, as beat would,
  once those emails are a minute old, the sweep's margin), and nothing twice.
- A Celery worker killed with SIGKILL while a digest goes out, first its pool processes (the kernel's
  out-of-memory killer), then the whole worker with its pool (a lost machine), which another worker
  replaces: everybody still gets exactly one digest. The first is handed on at once (tasks are
  acknowledged late and rejected when their process is lost); the second's tasks come back once the
  broker's visibility timeout has passed, which the run shortens to ``VISIBILITY_TIMEOUT`` seconds. A task
  the worker had taken from Redis in the instant before it was killed, before Redis listed it as delivered,
  is lost with it (a window of the Redis transport); the sweep, sent here if anybody is still waiting
  ``SWEEP_AFTER_RESTORE`` seconds after that, digests those people, as beat's sweep would.
"""
import os
import signal
import time
from collections import Counter
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from notifications.models import Delivery, Notification

from . import figures, installation, invariants
from .world import digest_backlog

RECOVERY_LIMIT = 10
REDIS_DOWN = 30
SWEEP_MARGIN = 62  # the sweep takes single emails a minute old
VISIBILITY_TIMEOUT = 20
SWEEP_AFTER_RESTORE = 25  # the workers look for tasks of dead workers every ten seconds
EMAILS_SETTLE = 60


class Run:
    """What every phase shares: the installation, the traffic, the output and the violations found."""

    def __init__(self, *, installation, world, traffic, write, celery_app):
        self.installation, self.world, self.traffic = installation, world, traffic
        self.write, self.celery_app = write, celery_app
        self.violations = []

    def heading(self, text):
        self.write("")
        self.write(f"== {text} " + "=" * max(0, 96 - len(text)))

    def send_task(self, name, *args):
        self.celery_app.send_task(name, args=args)

    def settle_emails(self, seconds=EMAILS_SETTLE):
        """Waits until no email is due or being sent; (seconds waited, emails still due, still open)."""
        started = time.monotonic()
        while True:
            due, open_ = invariants.emails_waiting(older_than=timezone.now() - timedelta(seconds=2))
            if (due, open_) == (0, 0) or time.monotonic() - started > seconds:
                return time.monotonic() - started, due, open_
            time.sleep(0.5)

    def check(self, phase, extra=()):
        problems = [*extra, *self.traffic.failures,
                    *invariants.everything(self.traffic.confirmed, self.installation.emails)]
        self.traffic.failures.clear()
        for name, child in (("gunicorn", self.installation.web), ("the Celery worker", self.installation.worker)):
            if child is not None and not child.alive():
                problems.append(f"{name} is no longer running:\n{child.log_tail()}")
        if problems:
            self.write(f"invariants: {len(problems)} violations")
            for problem in problems:
                self.write(f"  - {problem}")
        else:
            self.write("invariants: 0 violations")
        self.violations += [(phase, problem) for problem in problems]
        return problems

    def traffic_figures(self, records, seconds):
        for line in figures.table(records, seconds):
            self.write(line)
        self.write(f"confirmed to the clients so far: {_counts(self.traffic.confirmed.counts())}")

    def email_figures(self):
        waited, due, open_ = self.settle_emails()
        sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
        self.write(f"emails sent so far: {sent}; waited {waited:.1f} s for the worker to finish; "
                   f"due without an email: {due}, being sent or to retry: {open_}")
        return [] if (due, open_) == (0, 0) else [
            f"{due} emails due and {open_} being sent are still waiting {EMAILS_SETTLE} s after the traffic"]


def _counts(counter):
    return ", ".join(f"{key}: {value}" for key, value in counter.items())


def load(run, seconds):
    run.heading(f"load: {run.traffic.clients} clients ({run.traffic.members} signed in) for {seconds} s")
    records = run.traffic.run(seconds, phase="load")
    run.traffic_figures(records, seconds)
    failed = sum(1 for r in records if figures.is_error(r.status))
    extra = [f"{failed} requests failed without any fault"] if failed else []
    run.check("load", [*extra, *run.email_figures()])


def postgres(run, seconds=45, fault_at=10):
    run.heading(f"PostgreSQL restarted {fault_at} s into {seconds} s of load")
    moments = {}

    def restart(started):
        time.sleep(max(0, started + fault_at - time.monotonic()))
        moments["fault"] = time.monotonic()
        installation.postgres_restart()
        installation.wait_for("PostgreSQL answering after the restart", installation.postgres_ready, 60, 0.1)
        moments["back"] = time.monotonic()
        connection.close()  # this process's own connection did not survive the restart either

    records = run.traffic.run(seconds, phase="postgres", during=restart)
    run.traffic_figures(records, seconds)
    outage = figures.outage(records, fault_started=moments["fault"], service_back=moments["back"])
    for line in figures.outage_lines(outage, service="PostgreSQL", down_for=moments["back"] - moments["fault"]):
        run.write(line)
    extra = []
    if outage["server_errors_500"]:
        extra.append(f"{outage['server_errors_500']} answers were 500 instead of 503")
    if outage["long_503_pages"]:
        extra.append(f"{outage['long_503_pages']} 503 answers were not the short page with Retry-After")
    others = sum(1 for r in records if figures.is_error(r.status) and r.status not in (503, 0))
    if others:
        extra.append(f"{others} failed answers other than 503 or none")
    if outage["first_success_after"] is None or outage["recovered_after"] > RECOVERY_LIMIT:
        extra.append(f"the site did not answer normally within {RECOVERY_LIMIT} s of PostgreSQL's return")
    run.check("postgres", [*extra, *run.email_figures()])


def redis(run, seconds=70, fault_at=10, down=REDIS_DOWN):
    run.heading(f"Redis stopped for {down} s, {fault_at} s into {seconds} s of load")
    moments = {}

    def stop_and_start(started):
        time.sleep(max(0, started + fault_at - time.monotonic()))
        moments["fault"], moments["fault_at"] = time.monotonic(), timezone.now()
        run.installation.redis.stop()
        time.sleep(max(0, moments["fault"] + down - time.monotonic()))
        run.installation.redis.start()
        moments["back"], moments["back_at"] = time.monotonic(), timezone.now()

    try:
        records = run.traffic.run(seconds, phase="redis", during=stop_and_start)
    finally:
        run.installation.redis.ensure_running()
    run.traffic_figures(records, seconds)
    outage = figures.outage(records, fault_started=moments["fault"], service_back=moments["back"])
    for line in figures.outage_lines(outage, service="Redis", down_for=moments["back"] - moments["fault"]):
        run.write(line)
    extra = []
    failed = sum(1 for r in records if figures.is_error(r.status))
    if failed:
        extra.append(f"{failed} requests failed while Redis was away or coming back")
    due_meanwhile = Notification.objects.filter(channel="immediate", created_at__gte=moments["fault_at"],
                                                created_at__lt=moments["back_at"])
    waiting_before_sweep = due_meanwhile.filter(delivery__isnull=True).count()
    time.sleep(max(0, moments["back"] + SWEEP_MARGIN - time.monotonic()))
    run.send_task("notifications.sweep")
    run.write(f"emails due while Redis was away: {due_meanwhile.count()}, of them without an email when the "
              f"traffic ended: {waiting_before_sweep}; the sweep sent {SWEEP_MARGIN} s after Redis returned")
    extra += run.email_figures()
    unsent = due_meanwhile.exclude(delivery__status=Delivery.Status.SENT).count()
    if unsent:
        extra.append(f"{unsent} emails due while Redis was away did not go out after it returned")
    run.check("redis", extra)


def celery(run, per_person=3):
    run.heading(f"Celery worker killed with SIGKILL during a digest ({run.installation.worker_concurrency} pool "
                f"processes, {run.installation.env['NOTIFICATIONS_BATCH_SIZE']} people per batch)")
    people = [p.pk for p in run.world.people]
    extra = []
    for kind, whole in (("daily", False), ("weekly", True)):
        extra += _digest_under_kill(run, kind, people, per_person, whole=whole)
    run.check("celery", extra)


def _digest_under_kill(run, kind, people, per_person, *, whole):
    what = "the whole worker (a new one started)" if whole else "its pool processes"
    period, cutoff = digest_backlog(kind, people, per_person=per_person)
    mine = Delivery.objects.filter(kind=kind, period=period)
    started = time.monotonic()
    run.send_task("notifications.digests", kind)
    try:
        installation.wait_for(f"the {kind} digest under way", lambda: mine.filter(status=Delivery.Status.SENT).count()
                              >= len(people) // 4 and mine.filter(status=Delivery.Status.SENDING).exists(), 60, 0.01)
    except installation.RunError as error:
        return [f"{kind} digest: {error}"]
    sent_at_kill = mine.filter(status=Delivery.Status.SENT).count()
    claimed_at_kill = mine.filter(status=Delivery.Status.SENDING).count()
    killed = time.monotonic()
    if whole:
        run.installation.worker.kill()
        run.installation.start_worker()
    else:
        for pid in run.installation.worker.children():
            os.kill(pid, signal.SIGKILL)

    def all_sent():
        return mine.filter(status=Delivery.Status.SENT).count() >= len(people) and not mine.exclude(
            status=Delivery.Status.SENT).exists()

    swept = ""
    if not _within(all_sent, (VISIBILITY_TIMEOUT + SWEEP_AFTER_RESTORE) if whole else 60) and whole:
        # A message the dead worker had just taken from the queue, before the broker listed it as delivered,
        # is gone from Redis: the sweep that beat sends every five minutes gives those people their digest.
        lost = len(set(people) - set(mine.values_list("recipient_id", flat=True)))
        run.send_task("notifications.sweep")
        swept = (f"; the sweep sent {time.monotonic() - killed:.0f} s after the kill, with {lost} people lost "
                 "by the broker")
        _within(all_sent, 60)
    finished = time.monotonic()
    problems = _one_digest_each(kind, period, cutoff, people, run.installation.emails)
    run.write(f"{kind} digest, {what} killed: {len(people)} people due; at the kill {sent_at_kill} sent and "
              f"{claimed_at_kill} being sent; all sent {finished - killed:.1f} s after the kill "
              f"({finished - started:.1f} s in all){swept}; wrong: {len(problems)}")
    return problems


def _within(check, seconds):
    try:
        installation.wait_for("", check, seconds, 0.2)
    except installation.RunError:
        return False
    return True


def _one_digest_each(kind, period, cutoff, people, folder):
    """Each person has one sent digest row of the period, carrying all their waiting items, and one email."""
    problems = []
    rows = {}
    for pk, recipient, status in Delivery.objects.filter(kind=kind, period=period).values_list(
            "pk", "recipient_id", "status"):
        rows.setdefault(recipient, []).append((pk, status))
    missing = [p for p in people if [s for _pk, s in rows.get(p, [])] != [Delivery.Status.SENT]]
    if missing:
        states = Counter(status for p in missing for _pk, status in rows.get(p, [("", "no row")]))
        problems.append(f"{kind} digest: {len(missing)} people without exactly one sent digest "
                        f"({', '.join(f'{s}: {n}' for s, n in states.items())}): {missing[:5]}")
    emails = {}
    for message_id, _to in invariants.sent_emails(folder):
        if message_id and message_id.startswith(f"<{kind}.{period}."):
            key = int(message_id.strip("<>").split("@")[0].split(".")[-2])
            emails[key] = emails.get(key, 0) + 1
    wrong = [p for p in people if emails.get(p) != 1]
    if wrong:
        problems.append(f"{kind} digest: {len(wrong)} people did not get exactly one email: "
                        + ", ".join(f"#{p}: {emails.get(p, 0)}" for p in wrong[:5]))
    unattached = Notification.objects.filter(recipient_id__in=people, channel=kind, delivery__isnull=True,
                                             created_at__lt=cutoff).count()
    if unattached:
        problems.append(f"{kind} digest: {unattached} waiting items were in no digest")
    return problems
