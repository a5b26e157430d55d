"""Benchmark of the daily digest: 10,000 people with 20 waiting notifications each, sent by Celery workers.

It lives with the proposals because their comments and status changes are what the digest tells
of; the notifications app itself knows no feature.

1. Removes the scratch data an earlier run left (--keep), then refuses to go on if anybody else in
   this database waits for the current daily digest: the run would email them.
2. Seeds scratch data in bulk: people with addresses @notify-bench.invalid, five organisations
   "[nbench] …", proposals with comments and one status change each, one Activity per event
   (comment.created, proposal.status_changed; title, address and data as activity_record stores
   them) shared by about 100 people, and per person N daily Notifications, all from before the
   cutoff of the current daily period.
3. Queries per batch: sends one batch of NOTIFICATIONS_BATCH_SIZE people in-process under
   CaptureQueriesContext, once for people with few items and once for people with N, and prints
   reads and writes separately: reads must be equal, writes are three plus one UPDATE per email.
4. The run: starts `celery -A coproduction worker --pool prefork --concurrency W` on a private Redis
   queue, with EMAIL_URL pointing at a temporary folder (Django's file backend writes every
   message), hands notifications.digests("daily") to the broker, waits until every person's
   Delivery is finished and prints the wall time from the hand-over to the last email sent,
   emails per second, and whether every person got exactly one email (Delivery rows and messages
   in the files).
5. Deletes the scratch data, the emails and the queue's Redis keys (--keep keeps data and emails).

Run it on a database of its own, with production settings, PostgreSQL and Redis:

    createdb -h 127.0.0.1 -U postgres kp_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench SECRET_KEY=bench \
        STATIC_ROOT=/tmp/kp-bench-static CELERY_BROKER_URL=redis://127.0.0.1:6379/0
    python manage.py migrate && python manage.py collectstatic --noinput
    python manage.py bench_notifications            # --profile: where one batch spends its time

--in-process sends everything in this process with eager tasks instead (any database, no broker):
for the tests, and to compare one process with the workers.
"""
import cProfile
import io
import os
import pstats
import re
import resource
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from coproduction.benchmark import analyze
from coproduction.celery import app
from coproduction.workers import celery_worker
from notifications import delivery, tasks
from notifications.models import Activity, Channel, Delivery, Notification
from notifications.registry import rule_for
from proposals.models import Comment, Proposal, StatusChange
from proposals.notify import Category
from stakeholders.models import Organisation, User

DOMAIN = "@notify-bench.invalid"
ORGANISATION_SLUG = "nbench-"
PREFIX = "[nbench]"
ORGANISATIONS = 5
FAN_OUT = 100  # people told about each activity
EVENTS_PER_PROPOSAL = 10  # one status change and nine comments
ACTIVITY_SPAN = timedelta(hours=22)  # the activities of the day before the cutoff
GOAL_PEOPLE, GOAL_SECONDS = 10_000, 60
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
MESSAGE_ID = re.compile(rb"^Message-ID: <daily\.[^.>]+\.(\d+)\.(\d+)@", re.MULTILINE)
D, St = Delivery.Kind.DAILY.value, Delivery.Status
WORDS = ["Fahrradwerkstatt", "Nachbarschaftscafé", "Hausaufgabenhilfe", "Spielplatz", "Gemeinschaftsgarten",
         "Seniorentreff", "Sprachcafé", "Mittagstisch", "Jugendraum", "Repaircafé", "Kiezfest", "Nähstube"]
COMMENTS = [
    "Gute Idee! Ich wohne direkt nebenan und könnte samstags zwei Stunden mithelfen, wenn jemand den Schlüssel hat.",
    "Wir haben so etwas im Vorderen Westen schon ausprobiert. Wichtig war, dass es feste Zeiten gibt und "
    "jemand ansprechbar ist, sonst schläft es nach ein paar Wochen wieder ein.",
    "Wer kümmert sich um die Versicherung? Das sollte geklärt sein, bevor wir anfangen.",
    "Ich finde, wir sollten die Jugendlichen von Anfang an fragen, was sie brauchen, statt für sie zu planen.",
    "Kann man das auch barrierefrei machen? Meine Mutter sitzt im Rollstuhl und würde gern dabei sein.",
]
RESPONSES = [
    "Wir haben den Vorschlag im Team besprochen und setzen ihn gemeinsam mit dem Stadtteilbüro um. "
    "Die ersten Termine stehen im Kalender.",
    "Danke für die vielen Rückmeldungen. Die Finanzierung ist für dieses Jahr gesichert.",
]


class Command(BaseCommand):
    help = (
        "Seed N people (default 10,000) with about 20 waiting daily notifications each as scratch data "
        "(people @notify-bench.invalid, organisations nbench-*), print the queries of one digest batch at two "
        "batch contents, then send the whole daily digest with `celery -A coproduction worker --pool prefork` "
        "processes on a private Redis queue (emails written by the file backend to a temporary folder) and print "
        "the wall time, emails per second and whether everyone got exactly one. Needs PostgreSQL and "
        "CELERY_BROKER_URL (Redis); use a database of its own: it refuses to run while anybody else waits for "
        "the current daily digest. The scratch data and emails are deleted afterwards unless --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=GOAL_PEOPLE)
        parser.add_argument("--per-person", type=int, default=20, dest="per_person",
                            help="waiting daily notifications per person (default 20)")
        parser.add_argument("--batch-size", type=int, default=None, dest="batch_size",
                            help="people per digest batch (default: NOTIFICATIONS_BATCH_SIZE)")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                            help="worker processes: --concurrency of the prefork pool (default: CPU cores)")
        parser.add_argument("--timeout", type=int, default=900, help="seconds to wait for the run (default 900)")
        parser.add_argument("--in-process", action="store_true", dest="in_process",
                            help="send in this process with eager tasks, no broker or worker (any database)")
        parser.add_argument("--profile", action="store_true",
                            help="also print a cProfile of one batch sent in-process")
        parser.add_argument("--keep", action="store_true",
                            help="keep the scratch data and the emails written; the next run deletes the data first")

    def handle(self, *args, people, per_person, batch_size, workers, timeout, in_process, profile, keep, **options):
        batch_size = batch_size or settings.NOTIFICATIONS_BATCH_SIZE
        if people < 1 or per_person < 1 or batch_size < 1 or workers < 1:
            raise CommandError("--people, --per-person, --batch-size and --workers must be at least 1.")
        if not in_process:
            self._check_worker_mode()
        self._drop()
        period, cutoff, waiting = delivery.digest_recipients(D)
        if waiting:
            raise CommandError(
                f"{len(waiting)} people in this database wait for the daily digest of {period}: the benchmark would "
                "email them. Run it on a database of its own (DATABASE_URL=.../kp_bench, migrated)."
            )
        low = max(1, per_person // 4)
        groups = {"run": (people, per_person), "warm-up": (batch_size, low), "low": (batch_size, low),
                  "high": (batch_size, per_person)}
        if profile:
            groups["profile"] = (batch_size, per_person)
        outbox = Path(tempfile.mkdtemp(prefix="kp-bench-mail-"))
        try:
            started = time.perf_counter()
            with transaction.atomic():
                ids, events = self._seed(groups, cutoff)
            analyze(User, Proposal, Comment, Activity, Notification, Delivery)
            self.stdout.write(
                f"database: {connection.vendor}, people: {people} with {per_person} waiting daily notifications each "
                f"({people * per_person}), from {events['activities']} activities on {events['proposals']} proposals "
                f"(about {FAN_OUT} people per activity); batch size {batch_size}; daily period {period} "
                f"(cutoff {timezone.localtime(cutoff):%H:%M})\nmachine: {os.cpu_count()} cores, load average "
                f"{os.getloadavg()[0]:.2f} before seeding (other processes compete for the cores)\n"
                f"seeded in {time.perf_counter() - started:.0f} s\n\n"
            )
            with override_settings(EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=str(outbox / "batches"),
                                   NOTIFICATIONS_BATCH_SIZE=batch_size):
                figures = self._queries_per_batch(ids, groups, period, cutoff)
                if profile:
                    profiled = self._profile(ids["profile"], period, cutoff)
            if in_process:
                with override_settings(EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=str(outbox / "run"),
                                       NOTIFICATIONS_BATCH_SIZE=batch_size):
                    run = self._run_in_process(ids["run"], timeout)
                how = "in this process, eager tasks"
            else:
                queue = f"bench-notifications-{uuid.uuid4().hex[:12]}"
                run = self._run_workers(ids["run"], outbox / "run", batch_size, workers, timeout, queue)
                how = f"celery worker, prefork pool of {workers} processes, private Redis queue {queue}"
            self._report(people, per_person, batch_size, how, figures, run, outbox / "run", ids["run"])
            if profile:
                self.stdout.write(f"\nprofile of one batch of {batch_size} people with {per_person} items, "
                                  f"in-process, by cumulative time\n{profiled}")
        finally:
            if keep:
                self.stdout.write(f"\nkept the scratch data (people {DOMAIN}) and the emails in {outbox}")
            else:
                shutil.rmtree(outbox, ignore_errors=True)
                self._drop()

    # --- preconditions -----------------------------------------------------------------------

    def _check_worker_mode(self):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The run with worker processes needs PostgreSQL, which the workers share "
                f"(this is {connection.vendor}): set DATABASE_URL to a PostgreSQL database of its own, "
                "or pass --in-process."
            )
        if not settings.CELERY_BROKER_URL:
            raise CommandError("The run with worker processes needs a broker: set CELERY_BROKER_URL "
                               "(e.g. redis://127.0.0.1:6379/0), or pass --in-process.")
        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1)
        except Exception as error:  # noqa: BLE001 - any way of not reaching the broker
            raise CommandError(f"Cannot reach the broker at {settings.CELERY_BROKER_URL}: {error}") from error

    # --- scratch data ------------------------------------------------------------------------

    def _drop(self):
        people = User.objects.filter(email__endswith=DOMAIN)
        with transaction.atomic():
            Notification.objects.filter(recipient__in=people).delete()
            Delivery.objects.filter(recipient__in=people).delete()
            Activity.objects.filter(organisation__slug__startswith=ORGANISATION_SLUG).delete()
            Organisation.objects.filter(slug__startswith=ORGANISATION_SLUG).delete()
            people.delete()

    def _seed(self, groups, cutoff):
        """({group: [person ids]}, sizes): people, proposals, comments, activities and notifications."""
        longest = max(items for _count, items in groups.values())
        run_people, run_items = groups["run"]
        activities = max(2 * longest, -(-run_people * run_items // FAN_OUT))
        activities = -(-activities // EVENTS_PER_PROPOSAL) * EVENTS_PER_PROPOSAL
        proposals = activities // EVENTS_PER_PROPOSAL

        def at(index):  # when activity ``index`` happened: spread over the day before the cutoff
            return cutoff - timedelta(minutes=1) - ACTIVITY_SPAN * (activities - 1 - index) / activities

        organisations = Organisation.objects.bulk_create([
            Organisation(slug=f"{ORGANISATION_SLUG}{i}", name=f"{PREFIX} Stadtteilzentrum {i + 1}", purpose="Messung",
                         city="Kassel")
            for i in range(min(ORGANISATIONS, proposals))
        ])
        ids = {}
        for letter, (group, (count, items)) in zip("pwlhf", groups.items()):
            created = User.objects.bulk_create(
                [User(email=f"{letter}{i}{DOMAIN}", display_name=f"Nachbarin {letter}{i}", password="!",
                      language="en" if i % 10 == 9 else "de", unread_notifications=items) for i in range(count)],
                batch_size=5000,
            )
            ids[group] = [user.pk for user in created]
        staff = User.objects.create(email=f"koordination{DOMAIN}", display_name="Koordination Stadtteilzentrum",
                                    password="!")
        authors = ids["run"]
        with _given_times(Proposal, Comment, StatusChange, Activity, Notification):
            made = Proposal.objects.bulk_create([
                Proposal(organisation=organisations[i % len(organisations)], author_id=authors[i * 37 % len(authors)],
                         title=f"{PREFIX} {WORDS[i % len(WORDS)]} {i + 1}",
                         summary=f"Ein {WORDS[i % len(WORDS)]} für alle im Viertel.", text="Wir schlagen vor …",
                         planning="together", delivery="community", status=Proposal.Status.ACCEPTED,
                         created_at=cutoff - timedelta(days=30), published_at=cutoff - timedelta(days=30),
                         last_activity_at=at((i + 1) * EVENTS_PER_PROPOSAL - 1))
                for i in range(proposals)
            ])
            comments = Comment.objects.bulk_create([
                Comment(proposal=proposal, author_id=authors[(i * 131 + c * 17) % len(authors)],
                        text=COMMENTS[(i + c) % len(COMMENTS)], created_at=at(i * EVENTS_PER_PROPOSAL + c))
                for i, proposal in enumerate(made) for c in range(1, EVENTS_PER_PROPOSAL)
            ], batch_size=5000)
            StatusChange.objects.bulk_create([
                StatusChange(proposal=proposal, from_status=Proposal.Status.UNDER_REVIEW,
                             to_status=Proposal.Status.ACCEPTED, actor=staff, response=RESPONSES[i % len(RESPONSES)],
                             created_at=at(i * EVENTS_PER_PROPOSAL))
                for i, proposal in enumerate(made)
            ])
            events = Activity.objects.bulk_create(_activities(made, comments, staff, at), batch_size=5000)
            for salt, (group, (count, items)) in enumerate(groups.items()):
                for start in range(0, count, 2000):
                    Notification.objects.bulk_create([
                        Notification(recipient_id=person, activity_id=event.pk, organisation_id=event.organisation_id,
                                     category=Category.PROPOSALS, channel=Channel.DAILY, created_at=event.created_at)
                        for n, person in enumerate(ids[group][start:start + 2000], start=start)
                        for event in (events[(n * 7919 + salt + j) % len(events)] for j in range(items))
                    ], batch_size=5000)
        return ids, {"activities": len(events), "proposals": proposals}

    # --- queries per batch -------------------------------------------------------------------

    def _queries_per_batch(self, ids, groups, period, cutoff):
        """[(label, reads, writes, emails, seconds)] of one batch each, after an untimed warm-up batch."""
        delivery.send_digest_batch(D, period, cutoff, ids["warm-up"])  # content types, templates, translations
        figures = []
        for group in ("low", "high"):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                sent = delivery.send_digest_batch(D, period, cutoff, ids[group])
                seconds = time.perf_counter() - started
            reads, writes = _reads_and_writes(captured.captured_queries)
            figures.append((f"people with {groups[group][1]} items", reads, writes, sent, seconds))
        return figures

    def _profile(self, people, period, cutoff):
        profiler = cProfile.Profile()
        profiler.enable()
        delivery.send_digest_batch(D, period, cutoff, people)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(20)
        return out.getvalue()

    # --- the run -----------------------------------------------------------------------------

    def _run_in_process(self, people, timeout):
        before = app.conf.task_always_eager, app.conf.task_eager_propagates
        app.conf.task_always_eager = app.conf.task_eager_propagates = True
        cpu = time.process_time()
        try:
            handed = timezone.now()
            tasks.digests.delay(D)
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = before
        return {**self._wait(people, handed, timeout, worker=None, log=None), "cpu": time.process_time() - cpu}

    def _run_workers(self, people, outbox, batch_size, workers, timeout, queue):
        env = {
            # Four slashes: django-environ drops the first one of the path.
            "EMAIL_URL": f"filemail:///{outbox}", "NOTIFICATIONS_BATCH_SIZE": str(batch_size),
            "TEST_CELERY_EAGER": "0",  # when started from the tests
        }
        log = outbox.parent / "worker.log"
        cpu = _children_cpu()
        with celery_worker(queue, log, env=env, concurrency=workers, stop_timeout=120) as worker:
            deadline = time.monotonic() + 60
            while " ready." not in log.read_text():
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise CommandError(f"The worker did not start:\n{_tail(log)}")
                time.sleep(0.1)
            handed = timezone.now()
            tasks.digests.apply_async(args=(D,), queue=queue)
            run = self._wait(people, handed, timeout, worker, log)
        # all processes of the worker, start-up and shutdown included (they have ended and been waited for)
        return {**run, "cpu": _children_cpu() - cpu}

    def _wait(self, people, handed, timeout, worker, log):
        """(seconds from hand-over to the last email sent, to the first, {status: rows}) once all are finished."""
        lowest, highest = min(people), max(people)
        rows = Delivery.objects.filter(kind=D).order_by()
        # the people of one bulk insert have consecutive ids on a database of its own
        rows = rows.filter(recipient_id__gte=lowest, recipient_id__lte=highest) \
            if highest - lowest + 1 == len(people) else rows.filter(recipient_id__in=people)
        deadline = time.monotonic() + timeout
        while rows.exclude(status__in=[St.PENDING, St.SENDING]).count() < len(people):
            if worker is not None and worker.poll() is not None:
                raise CommandError(f"The worker stopped:\n{_tail(log)}")
            if time.monotonic() > deadline:
                raise CommandError(f"Not every digest was sent within {timeout} s:\n{_tail(log) if log else ''}")
            time.sleep(0.2)
        times = rows.filter(status=St.SENT).aggregate(first=Min("sent_at"), last=Max("sent_at"))
        statuses = dict(rows.values("status").annotate(n=Count("pk")).values_list("status", "n"))
        last, first = ((times[k] - handed).total_seconds() if times[k] else 0.0 for k in ("last", "first"))
        return {"seconds": last, "first": first, "statuses": statuses, "handed": handed}

    # --- the report --------------------------------------------------------------------------

    def _report(self, people, per_person, batch_size, how, figures, run, outbox, ids):
        self.stdout.write(f"queries per batch of {batch_size} people (one batch in-process, emails to files)")
        self.stdout.write(f"{'batch content':<26}{'reads':>7}{'writes':>8}{'emails':>8}{'writes-emails':>15}"
                          f"{'seconds':>9}{'emails/s':>10}")
        for label, reads, writes, sent, seconds in figures:
            self.stdout.write(f"{label:<26}{reads:>7}{writes:>8}{sent:>8}{writes - sent:>15}{seconds:>9.2f}"
                              f"{sent / seconds:>10.0f}")
        self.stdout.write("writes: one INSERT of the batch's Delivery rows, one UPDATE to claim them, one to attach "
                          "the items, then one UPDATE per email sent")
        reads = [f[1] for f in figures]
        fixed = [f[2] - f[3] for f in figures]
        expected = {person: 0 for person in ids}
        written = 0
        for path in outbox.glob("*.log") if outbox.exists() else ():
            for match in MESSAGE_ID.finditer(path.read_bytes()):
                written += 1
                person = int(match.group(1))
                if person in expected:
                    expected[person] += 1
        once = sum(1 for n in expected.values() if n == 1)
        sent = run["statuses"].get(St.SENT, 0)
        rate = sent / run["seconds"] if run["seconds"] else 0.0
        goal_seconds = GOAL_SECONDS * people / GOAL_PEOPLE
        goal_rate = GOAL_PEOPLE / GOAL_SECONDS
        others = ", ".join(f"{n} {status}" for status, n in sorted(run["statuses"].items()) if status != St.SENT)
        rows = [
            ("wall time, hand-over to last email", f"{run['seconds']:.1f} s", f"<= {goal_seconds:.0f} s",
             run["seconds"] <= goal_seconds),
            ("emails per second", f"{rate:.0f}", f">= {goal_rate:.0f}", rate >= goal_rate),
            ("first email after", f"{run['first']:.1f} s", "", None),
            ("CPU time of the sending processes", f"{run['cpu']:.1f} s", "", None),
            ("CPU time per email", f"{run['cpu'] / max(sent, 1) * 1000:.1f} ms", "", None),
            ("reads per batch (few / many items)", " / ".join(map(str, reads)), "equal", len(set(reads)) == 1),
            ("writes - emails per batch", " / ".join(map(str, fixed)), "equal", len(set(fixed)) == 1),
            ("digests sent (Delivery rows)", f"{sent}" + (f" ({others})" if others else ""), f"{people}",
             sent == people and not others),
            ("messages written to files", f"{written}", f"{people}", written == people),
            ("people with exactly one message", f"{once}", f"{people}", once == people),
        ]
        self.stdout.write(f"\ndaily digest of {people} people x {per_person} items: {how}")
        self.stdout.write(f"{'figure':<38}{'measured':>14}{'goal':>12}")
        for label, measured, goal, ok in rows:
            verdict = "" if ok is None else ("ok" if ok else "MISSED")
            self.stdout.write(f"{label:<38}{measured:>14}{goal:>12}  {verdict}".rstrip())
        if not (sent == people and written == people and once == people):
            raise CommandError("Not every person got exactly one digest.")


def _activities(proposals, comments, staff, at):
    """One Activity per event, with the title, address and data activity_record would store."""
    proposal_type = ContentType.objects.get_for_model(Proposal)
    comment_type = ContentType.objects.get_for_model(Comment)
    status_rule, comment_rule = rule_for("proposal.status_changed"), rule_for("comment.created")
    per_proposal = EVENTS_PER_PROPOSAL - 1
    events = []
    for i, proposal in enumerate(proposals):
        title, url, *_more = status_rule.describe(proposal)
        events.append(Activity(
            actor=staff, verb="proposal.status_changed", organisation_id=proposal.organisation_id,
            target_type=proposal_type, target_id=proposal.pk, title=title[:200], url=url[:500],
            data={"from_status": Proposal.Status.UNDER_REVIEW.value, "to_status": Proposal.Status.ACCEPTED.value,
                  "response": RESPONSES[i % len(RESPONSES)]},
            created_at=at(i * EVENTS_PER_PROPOSAL),
        ))
        for c, comment in enumerate(comments[i * per_proposal:(i + 1) * per_proposal], start=1):
            title, url, *more = comment_rule.describe(comment)
            events.append(Activity(
                actor_id=comment.author_id, verb="comment.created", organisation_id=proposal.organisation_id,
                target_type=comment_type, target_id=comment.pk, title=title[:200], url=url[:500],
                data={**(more[0] if more else {}), "proposal": proposal.pk}, created_at=at(i * EVENTS_PER_PROPOSAL + c),
            ))
    return events


@contextmanager
def _given_times(*models):
    """Lets bulk_create store the created_at given (auto_now_add would overwrite it with now)."""
    fields = [model._meta.get_field("created_at") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reads_and_writes(queries):
    reads = writes = 0
    for query in queries:
        word = query["sql"].lstrip().split(None, 1)[0].upper()
        reads += word in ("SELECT", "WITH")
        writes += word in ("INSERT", "UPDATE", "DELETE")
    return reads, writes


def _tail(log, lines=40):
    return "\n".join(Path(log).read_text(errors="replace").splitlines()[-lines:])
