"""Benchmark of the volunteering pages and of sign-ups racing for one busy shift.

Seeds 20,000 upcoming shifts of 2,000 tasks of 20 organisations with 200,000 sign-ups into the
configured database (set-based inserts on PostgreSQL that keep the counters on each shift equal
to its rows and respect every constraint), plus one long-serving volunteer with 100 upcoming and
300 past shifts. Then requests each page many times in-process and prints queries, median and
p95 next to /livez, a constant response, measured in the same run, and the goals met or missed; and last, has 16 threads, each
with its own database connection, sign many people up for one shift at once and prints the
sign-ups per second and whether the counters still equal the rows. Use a database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_vol_bench SECRET_KEY=bench \
        python manage.py migrate
    DATABASE_URL=... SECRET_KEY=bench python manage.py bench_volunteering
"""
import logging
import threading
import time
from datetime import time as clock
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from coproduction.benchmark import BARE_VIEW, PageTable, Table, analyze
from stakeholders.models import Membership, Organisation, User
from volunteering import services
from volunteering.models import AvailabilitySlot, Shift, SignUp, Skill, Task, VolunteerProfile

PREFIX = "[vbench]"
EMAIL_DOMAIN = "@vol-bench.invalid"
ORGANISATIONS = 20
SHIFTS_PER_TASK = 10
BENCH_USERS = 20_000
HEAVY_EMAIL = f"langjaehrig{EMAIL_DOMAIN}"
HEAVY_UPCOMING_EVERY = 200  # the long-serving volunteer holds s=1 of every 200th shift: 100 upcoming shifts
HEAVY_PAST = 300
# Goals in ms, (median, p95): the task lists with their filters; "My commitments".
LIST_GOAL = (10, None)
COMMITMENTS_GOAL = (15, None)
DISTRICTS = ["Nordstadt", "Wesertor", "Bettenhausen", "Kirchditmold", "Vorderer Westen", "Wehlheiden",
             "Rothenditmold", "Fasanenhof", "Waldau", "Harleshausen", "Oberzwehren", "Jungfernkopf"]
WORDS = ["Tafel-Ausgabe", "Hausaufgabenhilfe", "Fahrradwerkstatt", "Sprachcafé", "Mittagstisch", "Kleiderkammer",
         "Seniorenbesuch", "Gartenpflege", "Repaircafé", "Lesepatenschaft", "Kinderbetreuung", "Stadtteilfest",
         "Runder Tisch", "Umzugshilfe", "Begleitung zum Amt", "Nachbarschaftscafé"]
SKILLS = ["Erste Hilfe", "Kochen für viele", "Fahrradreparatur", "Arabisch", "Türkisch", "Nachhilfe", "Moderation",
          "Rollstuhl und Rollator", "Gärtnern", "Handwerk", "Kinderbetreuung", "Fahrerlaubnis"]
RACE_THREADS = 16
RACE_PER_THREAD = 40
RACE_CAPACITY = 200
# the columns the seeding SQL writes into every shift, in its order
SHIFT_COLUMNS = ("task", "starts_at", "ends_at", "capacity", "confirmed_count", "offered_count", "waitlist_count",
                 "next_waitlist_number", "signup_closes_at", "cancel_reason", "created_at")


class Command(BaseCommand):
    help = "Seed 20,000 shifts with 200,000 sign-ups; print page queries and times, and racing sign-ups per second."

    def add_arguments(self, parser):
        parser.add_argument("--shifts", type=int, default=20_000, help="upcoming shifts, ten per task")
        parser.add_argument("--sign-ups", type=int, default=200_000, dest="sign_ups")
        parser.add_argument("--requests", type=int, default=60, help="timed requests per page (at least 50)")
        parser.add_argument("--threads", type=int, default=RACE_THREADS)
        parser.add_argument("--per-thread", type=int, default=RACE_PER_THREAD, dest="per_thread",
                            help="people each thread signs up for the busy shift")
        parser.add_argument("--reseed", action="store_true", help="drop earlier benchmark data first")

    def handle(self, *args, shifts, sign_ups, requests, threads, per_thread, reseed, **options):
        if requests < 50:
            raise CommandError("Use at least 50 requests per page.")
        if connection.vendor != "postgresql":
            raise CommandError("The volunteering benchmark seeds with PostgreSQL's generate_series: set DATABASE_URL.")
        if shifts < SHIFTS_PER_TASK * HEAVY_UPCOMING_EVERY or sign_ups < shifts * 2:
            raise CommandError("Use at least 2,000 shifts and two sign-ups per shift.")
        tasks = shifts // SHIFTS_PER_TASK
        # the busy shifts of an earlier run, and their sign-ups, are not part of the seeded data
        Shift.objects.filter(task__title__startswith=PREFIX, capacity=RACE_CAPACITY).delete()
        if reseed or Task.objects.filter(title__startswith=PREFIX).count() != tasks + 1:
            self._drop()
            started = time.perf_counter()
            self._seed(tasks, sign_ups)
            self.stdout.write(f"seeded in {time.perf_counter() - started:.0f} s")
        analyze()
        self._report(requests)
        # The racers' confirmation emails are kept in memory, and their tasks' log lines left out, instead of
        # printed (the console backend of a machine without EMAIL_URL would bury the figures under them).
        trace, level = logging.getLogger("celery.app.trace"), logging.getLogger("celery.app.trace").level
        trace.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                self._race(threads, per_thread)
        finally:
            trace.setLevel(level)

    # --- seeding -------------------------------------------------------------------------

    def _drop(self):
        with transaction.atomic():
            Task.objects.filter(title__startswith=PREFIX).delete()
            User.objects.filter(email__endswith=EMAIL_DOMAIN).delete()
            Organisation.objects.filter(slug__startswith="vbench-").delete()
            Skill.objects.filter(slug__startswith="vbench-").delete()

    def _seed(self, tasks, sign_ups):
        organisations = Organisation.objects.bulk_create([
            Organisation(slug=f"vbench-{i}", name=f"Benchmark-Ehrenamtsträger {i}", purpose="Messung", city="Kassel",
                         district=DISTRICTS[i % len(DISTRICTS)])
            for i in range(ORGANISATIONS)
        ])
        skills = Skill.objects.bulk_create(
            [Skill(slug=f"vbench-{i}", name=f"{name} (Benchmark)") for i, name in enumerate(SKILLS)]
        )
        User.objects.bulk_create(
            [User(email=f"v{i}{EMAIL_DOMAIN}", display_name=f"Ehrenamtliche {i}", password="!")
             for i in range(BENCH_USERS)]
            + [User(email=HEAVY_EMAIL, display_name="Langjährige Ehrenamtliche", password="!"),
               User(email=f"staff{EMAIL_DOMAIN}", display_name="Koordinatorin", password="!")],
            batch_size=5000,
        )
        users = User.objects.filter(email__endswith=EMAIL_DOMAIN)
        user_min = users.filter(email=f"v0{EMAIL_DOMAIN}").values_list("pk", flat=True).get()
        user_max = users.filter(email=f"v{BENCH_USERS - 1}{EMAIL_DOMAIN}").values_list("pk", flat=True).get()
        assert user_max - user_min + 1 == BENCH_USERS, "benchmark users must have consecutive ids"
        heavy = users.get(email=HEAVY_EMAIL)
        staff = users.get(email=f"staff{EMAIL_DOMAIN}")
        Membership.objects.create(user=staff, organisation=organisations[0], role=Membership.Role.STAFF,
                                  status=Membership.Status.APPROVED)
        # The long-serving volunteer is free on weekday afternoons ("fits my availability").
        profile = VolunteerProfile.objects.create(user=heavy)
        AvailabilitySlot.objects.bulk_create([
            AvailabilitySlot(profile=profile, weekday=day, start_time=clock(12), end_time=clock(20))
            for day in range(1, 6)
        ])
        params = {"orgs": [o.pk for o in organisations], "skills": [s.pk for s in skills], "umin": user_min,
                  "heavy": heavy.pk, "tasks": tasks}
        with transaction.atomic(), connection.cursor() as cursor:
            self._seed_tasks(cursor, params)
            self._seed_shifts(cursor, params)
            self._seed_sign_ups(cursor, params, per_shift=sign_ups // (tasks * SHIFTS_PER_TASK))
            self._seed_history(cursor, params)
        self.stdout.write(f"seeded {Task.objects.filter(title__startswith=PREFIX).count()} tasks, "
                          f"{Shift.objects.filter(task__title__startswith=PREFIX).count()} shifts, "
                          f"{SignUp.objects.filter(user__email__endswith=EMAIL_DOMAIN).count()} sign-ups")

    def _seed_tasks(self, cursor, params):
        words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
        districts = "ARRAY[" + ",".join(f"'{d}'" for d in DISTRICTS) + "]"
        task, task_skill = Table(Task), Table(Task.skills.through)
        columns = ("organisation", "kind", "title", "purpose", "location", "district", "is_remote", "effort_note",
                   "childcare_offered", "expenses_reimbursed", "accessible_venue", "languages",
                   "first_timer_friendly", "is_flexible", "estimated_hours", "signup_closes_hours_before", "status",
                   "created_at", "updated_at", "published_at", "cancel_reason")
        cursor.execute(
            f"""
            INSERT INTO {task} ({task.columns(*columns)})
            SELECT
                (%(orgs)s)[1 + g %% array_length(%(orgs)s, 1)],
                CASE WHEN g %% 10 = 0 THEN 'meeting' ELSE 'task' END,
                '{PREFIX} ' || ({words})[1 + g %% {len(WORDS)}] || ' ' || g,
                'Wir brauchen Hilfe: ' || ({words})[1 + g %% {len(WORDS)}] || '. Alle sind willkommen, '
                    || 'wir arbeiten euch ein. Nummer ' || g || '.',
                CASE WHEN g %% 7 = 0 THEN '' ELSE 'Lindenhofstraße ' || (g %% 90 + 1) END,
                ({districts})[1 + g %% {len(DISTRICTS)}],
                g %% 7 = 0, CASE WHEN g %% 4 = 0 THEN 'zwei Stunden, leichte Arbeit' ELSE '' END,
                g %% 3 = 0, g %% 2 = 0, g %% 4 <> 0,
                CASE WHEN g %% 6 = 0 THEN 'Deutsch, Englisch, Arabisch' ELSE '' END,
                g %% 5 IN (0, 1),
                g %% 25 = 0, CASE WHEN g %% 25 = 0 THEN 3 END,
                2, 'published', now(), now(), now(), ''
            FROM generate_series(1, %(tasks)s) AS g
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO {task_skill} ({task_skill.columns("task", "skill")})
            SELECT DISTINCT t.{task.id}, (%(skills)s)[1 + s.n]
            FROM {task} t,
                 LATERAL (VALUES (t.{task.id} %% {len(SKILLS)}), ((t.{task.id} * 5 + 3) %% {len(SKILLS)})) AS s(n)
            WHERE t.{task.title} LIKE '{PREFIX}%%'
            """,
            params,
        )
        # The tasks of the long-serving volunteer's past shifts, one per organisation.
        cursor.execute(
            f"""
            INSERT INTO {task} ({task.columns(*(c for c in columns if c != "estimated_hours"))})
            VALUES ((%(orgs)s)[1], 'task', '{PREFIX} Mittagstisch seit Jahren', 'Kochen und essen.',
                    'Lindenhofstraße 1', 'Nordstadt', false, '', false, true, true, '', true, false, 2,
                    'published', now(), now(), now(), '')
            """,
            params,
        )

    def _seed_shifts(self, cursor, params):
        task, shift = Table(Task), Table(Shift)
        # Ten upcoming shifts per task, spread over the next 90 days between 8:00 and 18:00 (UTC).
        cursor.execute(
            f"""
            INSERT INTO {shift} ({shift.columns(*SHIFT_COLUMNS)})
            SELECT t.{task.id}, x.starts_at, x.starts_at + make_interval(hours => (2 + (t.{task.id} + k) %% 3)::int),
                   5 + (t.{task.id} * 3 + k) %% 11, 0, 0, 0, 1,
                   CASE WHEN t.{task.is_flexible}
                        THEN x.starts_at + make_interval(hours => (2 + (t.{task.id} + k) %% 3)::int)
                        ELSE x.starts_at END - make_interval(hours => t.{task.signup_closes_hours_before}),
                   '', now()
            FROM {task} t
            CROSS JOIN generate_series(0, {SHIFTS_PER_TASK - 1}) AS k
            CROSS JOIN LATERAL (
                SELECT date_trunc('day', now()) + make_interval(
                    days => (1 + k * 9 + t.{task.id} %% 9)::int,
                    hours => (8 + (t.{task.id} + k) %% 8)::int) AS starts_at
            ) AS x
            WHERE t.{task.title} LIKE '{PREFIX}%%' AND t.{task.title} <> '{PREFIX} Mittagstisch seit Jahren'
            """,
            params,
        )

    def _seed_sign_ups(self, cursor, params, per_shift):
        """``per_shift`` sign-ups on average: shifts in pairs get per_shift ± d, so the total is exact.

        On shift h with capacity c and n people, person s (1..n) is confirmed while s <= c - o,
        holds an open offer (o = 1 on every fourth full shift) while s <= c, and waits otherwise;
        tickets run 1, 2, … from the first offered or waiting person, as the services hand them out.
        """
        spread = min(5, per_shift - 1)
        task, shift, sign_up = Table(Task), Table(Shift), Table(SignUp)
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE bench_plan ON COMMIT DROP AS
            SELECT id, capacity, signup_closes_at, h, n,
                   CASE WHEN n > capacity AND h %% 4 = 0 THEN 1 ELSE 0 END AS o
            FROM (
                SELECT s.id, s.capacity, s.signup_closes_at, h,
                       {per_shift} + CASE WHEN h %% 2 = 0 THEN 1 ELSE -1 END * ((h / 2) %% {spread + 1}) AS n
                FROM (SELECT {shift.id} AS id, {shift.capacity} AS capacity,
                             {shift.signup_closes_at} AS signup_closes_at,
                             row_number() OVER (ORDER BY {shift.id}) - 1 AS h
                      FROM {shift} WHERE {shift.task} IN (
                          SELECT {task.id} FROM {task} WHERE {task.title} LIKE '{PREFIX}%%')) AS s
            ) AS planned
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO {sign_up} ({sign_up.columns(
                "shift", "user", "status", "waitlist_number", "offered_at", "offer_expires_at", "confirmed_at",
                "created_at", "updated_at")})
            SELECT p.id,
                   CASE WHEN s = 1 AND p.h %% {HEAVY_UPCOMING_EVERY} = 0 THEN %(heavy)s
                        ELSE %(umin)s + (p.h * 7919 + s * 131) %% {BENCH_USERS} END,
                   CASE WHEN s <= p.capacity - p.o THEN 'confirmed'
                        WHEN s <= p.capacity THEN 'offered' ELSE 'waitlisted' END,
                   CASE WHEN s > p.capacity - p.o THEN s - (p.capacity - p.o) END,
                   CASE WHEN s > p.capacity - p.o AND s <= p.capacity THEN now() END,
                   CASE WHEN s > p.capacity - p.o AND s <= p.capacity
                        THEN least(now() + interval '24 hours', p.signup_closes_at) END,
                   CASE WHEN s <= p.capacity - p.o THEN now() - make_interval(mins => s::int) END,
                   now() - make_interval(mins => s::int), now()
            FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.n) AS s
            """,
            params,
        )
        cursor.execute(
            f"""
            UPDATE {shift} AS shift
            SET {shift.confirmed_count} = least(p.n, p.capacity) - p.o,
                {shift.offered_count} = p.o,
                {shift.waitlist_count} = greatest(p.n - p.capacity, 0),
                {shift.next_waitlist_number} = greatest(p.n - p.capacity, 0) + p.o + 1
            FROM bench_plan p WHERE shift.{shift.id} = p.id
            """
        )

    def _seed_history(self, cursor, params):
        """The long-serving volunteer's 300 past shifts, attended, every third one with another hour."""
        task, shift, sign_up = Table(Task), Table(Shift), Table(SignUp)
        cursor.execute(
            f"""
            WITH task AS (SELECT {task.id} AS id FROM {task} WHERE {task.title} = '{PREFIX} Mittagstisch seit Jahren'),
            past AS (
                INSERT INTO {shift} ({shift.columns(*SHIFT_COLUMNS)})
                SELECT task.id, date_trunc('day', now()) - make_interval(days => d, hours => 12),
                       date_trunc('day', now()) - make_interval(days => d, hours => 9),
                       8, 1, 0, 0, 1, date_trunc('day', now()) - make_interval(days => d, hours => 14), '', now()
                FROM task, generate_series(1, {HEAVY_PAST}) AS d
                RETURNING {shift.id} AS id, {shift.starts_at} AS starts_at
            )
            INSERT INTO {sign_up} ({sign_up.columns(
                "shift", "user", "status", "confirmed_at", "attended", "hours", "attendance_marked_at", "created_at",
                "updated_at")})
            SELECT past.id, %(heavy)s, 'confirmed', past.starts_at - interval '3 days',
                   true, CASE WHEN past.id %% 3 = 0 THEN 4 ELSE 3 END, past.starts_at + interval '4 hours',
                   past.starts_at - interval '3 days', now()
            FROM past
            """,
            params,
        )

    # --- measuring -----------------------------------------------------------------------

    def _pages(self):
        heavy = User.objects.get(email=HEAVY_EMAIL)
        typical = User.objects.get(email=f"v0{EMAIL_DOMAIN}")
        staff = User.objects.get(email=f"staff{EMAIL_DOMAIN}")
        organisation = Organisation.objects.get(slug="vbench-3")
        skill = Skill.objects.get(slug="vbench-4")
        task = (Task.objects.filter(title__startswith=PREFIX, organisation__slug="vbench-0", is_flexible=False)
                .exclude(title__endswith="seit Jahren").order_by("pk").first())
        busiest = Shift.objects.filter(task=task).order_by("-waitlist_count", "pk").first()
        today = timezone.localdate()
        page = min(50, Task.objects.filter(title__startswith=PREFIX).count() // 20)
        in_two_weeks, in_four_weeks = today + timedelta(days=14), today + timedelta(days=28)
        return [
            ("list /tasks/", "/tasks/", None, LIST_GOAL),
            (f"list page {page}", f"/tasks/?page={page}", None, LIST_GOAL),
            ("list filtered", f"/tasks/?organisation={organisation.pk}&childcare=on&first_timer=on", None, LIST_GOAL),
            ("list dates+skill+dist.", f"/tasks/?date_from={in_two_weeks}&date_to={in_four_weeks}&skill={skill.pk}"
                                       f"&district={DISTRICTS[5]}", None, LIST_GOAL),
            ("list kind=meeting", "/tasks/?kind=meeting&remote=on", None, LIST_GOAL),
            ("list fits availability", "/tasks/?fits_availability=on", heavy, LIST_GOAL),
            ("task detail (anonymous)", f"/tasks/{task.pk}/", None, None),
            ("task detail (volunteer)", f"/tasks/{task.pk}/", heavy, None),
            ("task detail (staff)", f"/tasks/{task.pk}/", staff, None),
            ("my commitments (typical)", "/tasks/mine/", typical, COMMITMENTS_GOAL),
            ("my commitments (400)", "/tasks/mine/", heavy, COMMITMENTS_GOAL),
            ("my commitments past p.10", "/tasks/mine/?past=10", heavy, COMMITMENTS_GOAL),
            ("roster (staff)", f"/tasks/shifts/{busiest.pk}/roster/", staff, None),
        ]

    def _report(self, requests):
        heavy = SignUp.objects.filter(user__email=HEAVY_EMAIL)
        typical = SignUp.objects.filter(user__email=f"v0{EMAIL_DOMAIN}")
        self.stdout.write(
            f"database: {connection.vendor}, tasks: {Task.objects.count()}, shifts: {Shift.objects.count()} "
            f"({Shift.objects.upcoming().count()} upcoming), sign-ups: {SignUp.objects.count()}; requests per page: "
            f"{requests}\nmy commitments: a typical volunteer has {typical.upcoming().count()} upcoming sign-ups, "
            f"the long-serving one {heavy.upcoming().count()} upcoming and {heavy.past().count()} past"
        )
        table = PageTable(requests, width=28)
        self.stdout.write(table.header())
        self.stdout.write(table.row(*BARE_VIEW))
        for name, url, user, goal in self._pages():
            self.stdout.write(table.row(name, url, user, goal=goal))
        self.stdout.write(table.summary())

    # --- racing sign-ups -----------------------------------------------------------------

    def _racers(self, count):
        have = User.objects.filter(email__startswith="racer", email__endswith=EMAIL_DOMAIN).count()
        if have < count:
            User.objects.bulk_create(
                [User(email=f"racer{i}{EMAIL_DOMAIN}", display_name=f"Schnelle {i}", password="!")
                 for i in range(have, count)],
                batch_size=5000,
            )
        return list(User.objects.filter(email__startswith="racer", email__endswith=EMAIL_DOMAIN).order_by("pk")[:count])

    def _race(self, threads, per_thread):
        task = Task.objects.filter(title__startswith=PREFIX, is_flexible=False).order_by("pk").first()
        people = self._racers(threads * per_thread)
        starts = timezone.now() + timedelta(days=120)
        self.stdout.write(
            f"\nconcurrent sign-ups: one shift with {RACE_CAPACITY} places, {threads} threads x {per_thread} people "
            "(each thread its own database connection), services.shift_sign_up"
        )
        self.stdout.write(f"{'run':<26}{'sign-ups':>9}{'seconds':>9}{'per second':>12}{'confirmed':>11}{'waiting':>9}")
        # one thread first (the same work without contention), then all threads at once
        for label, count, group in (("1 thread", 1, people[:per_thread]), (f"{threads} threads", threads, people)):
            shift = Shift.objects.create(task=task, starts_at=starts, ends_at=starts + timedelta(hours=3),
                                         capacity=RACE_CAPACITY)
            seconds, errors = self._run_race(shift, count, group)
            if errors:
                raise CommandError(f"{len(errors)} sign-ups failed, the first: {errors[0]!r}")
            shift.refresh_from_db()
            rows = SignUp.objects.filter(shift=shift)
            confirmed, waiting = rows.confirmed().count(), rows.waitlisted().count()
            tickets = sorted(rows.waitlisted().values_list("waitlist_number", flat=True))
            consistent = (
                shift.confirmed_count == confirmed and shift.waitlist_count == waiting and shift.offered_count == 0
                and confirmed == min(len(group), RACE_CAPACITY) and tickets == list(range(1, waiting + 1))
                and rows.count() == len(group)
            )
            self.stdout.write(f"{label:<26}{len(group):>9}{seconds:>9.2f}{len(group) / seconds:>12.0f}"
                              f"{confirmed:>11}{waiting:>9}")
            self.stdout.write(f"  kept counters {shift.confirmed_count} confirmed / {shift.waitlist_count} waiting "
                              f"{'equal' if consistent else 'DIFFER FROM'} the rows"
                              + (f"; waitlist tickets 1..{waiting} without gaps" if waiting else ""))
            if not consistent:
                raise CommandError("The busy shift's counters or tickets do not match its rows.")
            starts += timedelta(days=1)

    def _run_race(self, shift, threads, people):
        chunks = [people[i::threads] for i in range(threads)]
        barrier = threading.Barrier(threads + 1)
        errors = []

        def work(chunk):
            try:
                connection.ensure_connection()  # connecting is not part of the race
                barrier.wait()
                for person in chunk:
                    try:
                        services.shift_sign_up(shift=Shift(pk=shift.pk), user=person)
                    except Exception as error:  # noqa: BLE001 - reported after the race
                        errors.append(error)
            finally:
                connection.close()  # each thread opened its own connection

        workers = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
        for worker in workers:
            worker.start()
        barrier.wait()
        started = time.perf_counter()
        for worker in workers:
            worker.join()
        return time.perf_counter() - started, errors
