"""Benchmark of a participatory budget at scale: counting the results, the ballot page and the results page.

Seeds scratch data into the configured database (PostgreSQL only): one organisation "[bbench] …"
with a staff member, one process in the voting phase with 2,000 feasible proposals (proposals-app
rows with a cost estimate, each with its budget entry and final cost; their authors follow the
process and their proposal, as entry_submit leaves it), 100,000 people with a verified email
address (@bud-bench.invalid) who confirmed a ballot of about five picks within the budget, and one
in fifty more who left a draft. Ballots and picks are written set-based; the kept counters
(Entry.vote_count, Process.ballot_count and proposal_count, Ballot.total) are then set from the rows,
as the services keep them. Three people for the pages go through the services: one confirms five
picks, one keeps a draft of three, one has no ballot yet. A later run reuses the data if it has the
asked size; otherwise, or with --reseed, the process and its proposals are seeded afresh (the
people are kept and reused: deleting 100,000 accounts takes minutes).

Then prints:
- whether every kept counter equals its rows;
- time and queries of services.results_compute (median of --runs runs; goal under 2 s), and of
  services.results_publish once, in a transaction that is rolled back (it writes the results onto
  the proposals and notifies every participant);
- queries per request, median and p95 of the ballot page (no ballot yet, a draft, a confirmed
  ballot) during voting, and of the results page and the CSV with the results published (in that
  same rolled-back transaction), next to /livez, a constant response, as the baseline; goals: median
  of the ballot page at most 10 ms, of the results page at most 30 ms.

Run it with production settings on a database of its own:

    createdb -h 127.0.0.1 -U postgres kp_bud_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bud_bench SECRET_KEY=bench STATIC_ROOT=/tmp/bud-static
    python manage.py migrate && python manage.py collectstatic --noinput
    python manage.py bench_budgets                 # --reseed to start over, --explain for the plans of results_compute
"""
import os
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets import services
from budgets.models import Ballot, Entry, Phase, Pick, Process, ProcessFollow
from coproduction.benchmark import BARE_VIEW, PageTable, Table, analyze
from coproduction.modes import Delivery, Planning
from notifications.models import Activity, Notification
from notifications.services import fan_out
from proposals.models import Follow, Proposal
from stakeholders.models import Membership, Organisation, User

PREFIX = "[bbench]"
DOMAIN = "@bud-bench.invalid"
VOTER = "waehler"  # waehler0@…, waehler1@…: the people whose ballots are seeded set-based
ORGANISATION_SLUG = "bbench-stadt"
PROCESS_SLUG = "bbench-buergerhaushalt"
STAFF_EMAIL = f"kaemmerei{DOMAIN}"
CONFIRMED_EMAIL = f"bestaetigt{DOMAIN}"  # the page's voter with a confirmed ballot of five picks
DRAFT_EMAIL = f"entwurf{DOMAIN}"  # … with a draft of three picks
NEW_EMAIL = f"neu{DOMAIN}"  # … without a ballot yet
TOTAL = Decimal("1000000.00")
DRAFTS_EVERY = 50  # one draft ballot per fifty confirmed ones
CANDIDATES = 12  # candidate picks drawn per ballot; the first 3–7 distinct ones are kept
GOAL_RESULTS_MS = 2000
GOAL_BALLOT_MS = 10
GOAL_PAGE_MS = 30
DISTRICTS = ["Nordstadt", "Wesertor", "Bettenhausen", "Kirchditmold", "Vorderer Westen", "Wehlheiden"]
WORDS = ["Sitzbänke", "Trinkbrunnen", "Bolzplatz", "Fahrradbügel", "Bücherschrank", "Hochbeete", "Spielplatz",
         "Beleuchtung", "Jugendraum", "Bouleplatz", "Straßenbäume", "Repaircafé", "Wickelraum", "Lastenrad"]


def cost_of(i):
    """The final cost of the i-th proposal: 5,000 to 120,000 €, so seven picks always fit the budget."""
    return Decimal(5000 + (i * 7919) % 116 * 1000)


class Command(BaseCommand):
    help = (
        "Seed a participatory budget in voting with 2,000 feasible proposals and 100,000 confirmed ballots of "
        "about five picks (PostgreSQL); print the time and queries of counting and publishing the results, and "
        "queries, median and p95 of the ballot and results pages next to /livez."
    )

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=2000, help="feasible proposals (default 2,000)")
        parser.add_argument("--ballots", type=int, default=100_000, help="confirmed ballots (default 100,000)")
        parser.add_argument("--runs", type=int, default=5,
                            help="runs of results_compute, of which the median counts (default 5)")
        parser.add_argument("--requests", type=int, default=60, help="timed requests per page (at least 50)")
        parser.add_argument("--reseed", action="store_true",
                            help="seed the process and its proposals afresh (the people are kept)")
        parser.add_argument("--skip-pages", action="store_true", dest="skip_pages",
                            help="seed and time the results only")
        parser.add_argument("--explain", action="store_true",
                            help="also print EXPLAIN ANALYZE of the queries of results_compute")

    def handle(self, *args, proposals, ballots, runs, requests, reseed, skip_pages, explain, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The budgets benchmark needs PostgreSQL (it seeds with generate_series and md5): "
                               "set DATABASE_URL to a PostgreSQL database of its own.")
        if requests < 50:
            raise CommandError("Use at least 50 requests per page.")
        if proposals < 10 or ballots < 10 or runs < 1:
            raise CommandError("Use at least 10 proposals, 10 ballots and one run.")
        if reseed or not self._seeded(proposals, ballots):
            started = time.perf_counter()
            self._drop()
            self.stdout.write(f"dropped earlier benchmark data in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            self._seed(proposals, ballots)
            self.stdout.write(f"seeded in {time.perf_counter() - started:.0f} s")
        analyze()
        process = Process.objects.get(slug=PROCESS_SLUG)
        self._describe(process)
        self._check_counters(process)
        self._time_results(process, runs, explain)
        pages = None if skip_pages else Pages(self, process, requests)
        if pages:
            pages.during_voting()
        with transaction.atomic():
            # Publishing writes onto the scratch data and notifies everyone: all of it is rolled back.
            self._time_publish(process)
            if pages:
                pages.with_results()
                pages.report()
            transaction.set_rollback(True)

    # --- seeding -------------------------------------------------------------------------

    def _seeded(self, proposals, ballots):
        process = Process.objects.filter(slug=PROCESS_SLUG, phase=Phase.VOTING, results_published_at=None).first()
        return (process is not None and process.entries.filter(feasibility=Entry.Feasibility.FEASIBLE).count()
                == proposals and process.ballots.filter(status=Ballot.Status.CONFIRMED).count() == ballots)

    def _drop(self):
        pick, entry, ballot = Table(Pick), Table(Entry), Table(Ballot)
        with transaction.atomic(), connection.cursor() as cursor:
            for process_id in Process.objects.filter(slug=PROCESS_SLUG).values_list("pk", flat=True):
                # the big tables set-based; the collector would load every ballot first
                cursor.execute(f"DELETE FROM {pick} WHERE {pick.entry} IN "
                               f"(SELECT {entry.id} FROM {entry} WHERE {entry.process} = %s)", [process_id])
                cursor.execute(f"DELETE FROM {ballot} WHERE {ballot.process} = %s", [process_id])
            Process.objects.filter(slug=PROCESS_SLUG).delete()
            Proposal.objects.filter(title__startswith=PREFIX).delete()
            Organisation.objects.filter(slug=ORGANISATION_SLUG).delete()
        # The people stay for the next seeding: deleting 100,000 of them takes minutes (every
        # table that refers to people is checked for each one), and they hold nothing else now.

    def _people(self, voters):
        """The staff member, the three people of the pages and ``voters`` voters, with verified addresses.

        Made once and reused: only missing ones are added, so voter i always has the same account.
        """
        fixed = {STAFF_EMAIL: "Kämmerei", CONFIRMED_EMAIL: "Bestätigt", DRAFT_EMAIL: "Entwurf", NEW_EMAIL: "Neu"}
        have = set(User.objects.filter(email__in=fixed).values_list("email", flat=True))
        existing = User.objects.filter(email__startswith=VOTER, email__endswith=DOMAIN).count()
        User.objects.bulk_create(
            [User(email=email, display_name=name, password="!", is_staff=email == STAFF_EMAIL)
             for email, name in fixed.items() if email not in have]
            + [User(email=f"{VOTER}{i}{DOMAIN}", display_name=f"Wählerin {i}", password="!")
               for i in range(existing, voters)],
            batch_size=5000,
        )
        address, user = Table(EmailAddress), Table(User)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {address} ({address.columns('user', 'email', 'verified', 'primary')}) "
                f"SELECT {user.id}, {user.email}, true, true FROM {user} AS u WHERE {user.email} LIKE %s "
                f"AND NOT EXISTS (SELECT 1 FROM {address} AS a WHERE a.{address.user} = u.{user.id})",
                [f"%{DOMAIN}"],
            )

    def _seed(self, proposals, ballots):
        now = timezone.now()
        drafts = ballots // DRAFTS_EVERY
        with transaction.atomic():
            organisation = Organisation.objects.create(
                slug=ORGANISATION_SLUG, name=f"{PREFIX} Stadt Kassel", purpose="Messung", city="Kassel")
            self._people(ballots - 1 + drafts)
            people = User.objects.filter(email__endswith=DOMAIN)
            staff = people.get(email=STAFF_EMAIL)
            Membership.objects.create(user=staff, organisation=organisation, role=Membership.Role.STAFF,
                                      status=Membership.Status.APPROVED)
            process = Process.objects.create(
                organisation=organisation, title=f"{PREFIX} Bürgerhaushalt Kassel", slug=PROCESS_SLUG,
                description="Was soll die Stadt mit einer Million Euro im Viertel machen? Messdaten.",
                total_amount=TOTAL, districts=", ".join(DISTRICTS), phase=Phase.VOTING,
                collecting_starts=now - timedelta(days=60), review_starts=now - timedelta(days=30),
                voting_starts=now - timedelta(days=7), results_starts=now + timedelta(days=14),
                implementation_starts=now + timedelta(days=60), phase_changed_at=now - timedelta(days=7),
                created_by=staff,
            )
            entries = self._seed_proposals(process, organisation, staff, proposals, now)
            self._seed_ballots(process, entries, ballots - 1, drafts)
        # The three people of the pages vote through the services, which keep the counters.
        favourites = list(process.entries.order_by("-vote_count", "pk").values_list("pk", flat=True)[:5])
        confirmed, draft = people.get(email=CONFIRMED_EMAIL), people.get(email=DRAFT_EMAIL)
        services.ballot_set_picks(process=process, user=confirmed, entry_ids=favourites)
        services.ballot_confirm(process=process, user=confirmed)
        services.ballot_set_picks(process=process, user=draft, entry_ids=favourites[1:4])

    def _seed_proposals(self, process, organisation, staff, count, now):
        authors = list(User.objects.filter(email__startswith=VOTER, email__endswith=DOMAIN)
                       .order_by("pk").values_list("pk", flat=True)[:count])
        created = Proposal.objects.bulk_create([
            Proposal(
                organisation=organisation, author_id=authors[i % len(authors)],
                title=f"{PREFIX} {WORDS[i % len(WORDS)]} für {DISTRICTS[i % len(DISTRICTS)]} {i}",
                summary=f"Neue {WORDS[i % len(WORDS)]} im Viertel, für alle Nachbarinnen und Nachbarn.",
                text=f"Wir schlagen vor: {WORDS[i % len(WORDS)]} in {DISTRICTS[i % len(DISTRICTS)]}. Nummer {i}.",
                district=DISTRICTS[i % len(DISTRICTS)], estimated_cost=cost_of(i) - 1000 * (i % 3),
                planning=Planning.values[i % 3], delivery=Delivery.values[(i // 3) % 3],
                status=Proposal.Status.PUBLISHED, published_at=now - timedelta(days=59, minutes=i),
                last_activity_at=now - timedelta(days=30, minutes=i),
            )
            for i in range(count)
        ], batch_size=1000)
        proposal = Table(Proposal)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {proposal} SET {proposal.search_vector} = "
                f"setweight(to_tsvector('german', {proposal.title}), 'A') "
                f"|| setweight(to_tsvector('german', {proposal.summary}), 'B') "
                f"|| setweight(to_tsvector('german', {proposal.text}), 'C') WHERE {proposal.organisation} = %s",
                [organisation.pk],
            )
        Follow.objects.bulk_create([Follow(user_id=p.author_id, proposal=p) for p in created], batch_size=2000,
                                   ignore_conflicts=True)
        ProcessFollow.objects.bulk_create([ProcessFollow(process=process, user_id=pk) for pk in set(authors)],
                                          batch_size=2000, ignore_conflicts=True)
        reviewed = now - timedelta(days=10)
        return Entry.objects.bulk_create([
            Entry(process=process, proposal=proposal, feasibility=Entry.Feasibility.FEASIBLE,
                  final_cost=cost_of(i), reviewed_by=staff, reviewed_at=reviewed)
            for i, proposal in enumerate(created)
        ], batch_size=1000)

    def _seed_ballots(self, process, entries, confirmed, drafts):
        """``confirmed`` confirmed and ``drafts`` draft ballots of 3–7 (on average 5) distinct picks.

        Person v draws twelve candidates from md5(v:c), squared so that early proposals are popular
        (the first gets about 2 % of all picks, the last about 0.02 %), and keeps the first k distinct
        ones, k = 3 + (v·2654435761 mod 5). At most seven picks of at most 120,000 € always fit.
        """
        params = {"process": process.pk, "budget": TOTAL, "confirmed": confirmed, "entries": len(entries),
                  "voting": process.voting_starts, "voter": f"{VOTER}%{DOMAIN}",
                  "voters": confirmed + drafts, "is_confirmed": Ballot.Status.CONFIRMED.value,
                  "is_draft": Ballot.Status.DRAFT.value}
        user, ballot, entry, pick, process_ = Table(User), Table(Ballot), Table(Entry), Table(Pick), Table(Process)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                CREATE TEMPORARY TABLE bbench_voter ON COMMIT DROP AS
                SELECT user_id, v FROM (
                    SELECT {user.id} AS user_id, row_number() OVER (ORDER BY {user.id}) - 1 AS v
                    FROM {user} WHERE {user.email} LIKE %(voter)s) AS numbered
                WHERE v < %(voters)s
                """,
                params,
            )
            cursor.execute(
                f"""
                INSERT INTO {ballot} ({ballot.columns(
                    "process", "user", "status", "budget", "total", "district", "created_at", "updated_at",
                    "confirmed_at")})
                SELECT %(process)s, user_id, CASE WHEN v < %(confirmed)s THEN %(is_confirmed)s ELSE %(is_draft)s END,
                       %(budget)s, 0, '', at, at + interval '3 minutes',
                       CASE WHEN v < %(confirmed)s THEN at + interval '3 minutes' END
                FROM (SELECT user_id, v, %(voting)s + make_interval(secs => v * 5.0) AS at FROM bbench_voter) AS t
                """,
                params,
            )
            cursor.execute(
                f"""
                CREATE TEMPORARY TABLE bbench_entry ON COMMIT DROP AS
                SELECT {entry.id} AS id, {entry.final_cost} AS final_cost,
                       row_number() OVER (ORDER BY {entry.id}) - 1 AS e
                FROM {entry} WHERE {entry.process} = %(process)s
                """,
                params,
            )
            cursor.execute(
                f"""
                INSERT INTO {pick} ({pick.columns("ballot", "entry", "cost")})
                SELECT r.ballot_id, e.id, e.final_cost
                FROM (
                    SELECT ballot_id, k, e, row_number() OVER (PARTITION BY ballot_id ORDER BY min(c)) AS n
                    FROM (
                        SELECT b.{ballot.id} AS ballot_id, 3 + (v.v * 2654435761) %% 5 AS k, c,
                               floor(%(entries)s * power(
                                   ('x' || substr(md5(v.v || ':' || c), 1, 8))::bit(32)::bigint::float8
                                   / 4294967296.0, 2))::int AS e
                        FROM {ballot} b JOIN bbench_voter v ON v.user_id = b.{ballot.user}
                        CROSS JOIN generate_series(1, {CANDIDATES}) AS c
                        WHERE b.{ballot.process} = %(process)s
                    ) AS candidates
                    GROUP BY ballot_id, k, e
                ) AS r
                JOIN bbench_entry e ON e.e = r.e
                WHERE r.n <= r.k
                """,
                params,
            )
            # The kept counters, set from the rows as the services keep them.
            cursor.execute(
                f"""
                UPDATE {ballot} AS b SET {ballot.total} = s.total
                FROM (SELECT p.{pick.ballot} AS ballot_id, sum(p.{pick.cost}) AS total FROM {pick} p
                      JOIN {ballot} bb ON bb.{ballot.id} = p.{pick.ballot}
                      WHERE bb.{ballot.process} = %(process)s GROUP BY p.{pick.ballot}) AS s
                WHERE b.{ballot.id} = s.ballot_id
                """,
                params,
            )
            cursor.execute(
                f"""
                UPDATE {entry} AS e SET {entry.vote_count} = s.n
                FROM (SELECT p.{pick.entry} AS entry_id, count(*) AS n FROM {pick} p
                      JOIN {ballot} b ON b.{ballot.id} = p.{pick.ballot}
                      WHERE b.{ballot.process} = %(process)s AND b.{ballot.status} = %(is_confirmed)s
                      GROUP BY p.{pick.entry}) AS s
                WHERE e.{entry.id} = s.entry_id
                """,
                params,
            )
            cursor.execute(
                f"""
                UPDATE {process_} SET
                    {process_.ballot_count} = (SELECT count(*) FROM {ballot} WHERE {ballot.process} = %(process)s
                                               AND {ballot.status} = %(is_confirmed)s),
                    {process_.proposal_count} = (SELECT count(*) FROM {entry} WHERE {entry.process} = %(process)s)
                WHERE {process_.id} = %(process)s
                """,
                params,
            )
            # ON COMMIT does not come while a test's transaction holds this one as a savepoint
            cursor.execute("DROP TABLE bbench_voter, bbench_entry")

    # --- checking ------------------------------------------------------------------------

    def _describe(self, process):
        ballots = Ballot.objects.filter(process=process).aggregate(
            confirmed=Count("pk", filter=Q(status=Ballot.Status.CONFIRMED)),
            drafts=Count("pk", filter=Q(status=Ballot.Status.DRAFT)))
        picks = Pick.objects.filter(ballot__process=process, ballot__status=Ballot.Status.CONFIRMED).count()
        entries = process.entries.filter(feasibility=Entry.Feasibility.FEASIBLE).count()
        load, cpus = os.getloadavg()[0], os.cpu_count()
        self.stdout.write(f"database: {connection.vendor}; load average {load:.1f} on {cpus} CPUs")
        self.stdout.write(
            f"“{process.title}”, phase {process.phase}, total {process.total_amount:,.2f} €: {entries} feasible "
            f"proposals; {ballots['confirmed']} confirmed ballots with {picks} picks "
            f"({picks / max(ballots['confirmed'], 1):.2f} per ballot), {ballots['drafts']} drafts"
        )

    def _check_counters(self, process):
        """Every counter the services keep equals its rows, else the figures would be of broken data."""
        confirmed = Q(picks__ballot__status=Ballot.Status.CONFIRMED)
        counted = dict(process.entries.annotate(n=Count("picks", filter=confirmed)).values_list("pk", "n"))
        kept = dict(process.entries.values_list("pk", "vote_count"))
        ballots = process.ballots.filter(status=Ballot.Status.CONFIRMED).count()
        totals_wrong = (process.ballots.annotate(picked=Coalesce(Sum("picks__cost"), Decimal("0")))
                        .exclude(total=F("picked")).count())
        ok = (counted == kept and ballots == process.ballot_count and len(kept) == process.proposal_count
              and not totals_wrong)
        self.stdout.write(
            f"kept counters: ballot_count {process.ballot_count} / {ballots} confirmed ballots, "
            f"proposal_count {process.proposal_count} / {len(kept)} entries, vote_count equal to the confirmed picks "
            f"on {sum(counted[pk] == kept[pk] for pk in kept)} of {len(kept)} proposals, "
            f"{totals_wrong} ballot totals differ from their picks: {'consistent' if ok else 'INCONSISTENT'}"
        )
        if not ok:
            raise CommandError("The kept counters differ from the rows: run again with --reseed.")

    # --- timing the results --------------------------------------------------------------

    def _time_results(self, process, runs, explain):
        timings, queries = [], []
        for _run in range(runs):
            process = Process.objects.get(pk=process.pk)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                rows, funded_total = services.results_compute(process)
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
        median = statistics.median(timings)
        self.stdout.write(f"\n{'results':<34}{'queries':>8}{'median ms':>11}{'min ms':>9}{'max ms':>9}  goal")
        self.stdout.write(
            f"{f'results_compute, {runs} runs':<34}{max(queries):>8}{median:>11.1f}{min(timings):>9.1f}"
            f"{max(timings):>9.1f}  < {GOAL_RESULTS_MS} ms: {'met' if median < GOAL_RESULTS_MS else 'MISSED'}"
        )
        self._results = rows, funded_total
        if explain:
            for query in captured.captured_queries:
                self._explain(query["sql"])

    def _explain(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(f"    {line}" for (line,) in cursor.fetchall())
        self.stdout.write(f"  a query of results_compute:\n    {sql}\n{plan}")

    def _time_publish(self, process):
        rows, funded_total = self._results
        staff = User.objects.get(email=STAFF_EMAIL)
        process = Process.objects.get(pk=process.pk)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            services.results_publish(process=process, actor=staff)
            elapsed = (time.perf_counter() - started) * 1000
        self.stdout.write(f"{'results_publish, once, rolled back':<34}{len(captured):>8}{elapsed:>11.1f}"
                          f"{'':>18}  (no goal)")
        # Telling everyone is a broadcast: a task derives it after the commit; timed here as that task.
        activity = Activity.objects.get(verb="budget.results_published", target_id=process.pk, fan_out_pending=True)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fan_out(activity.pk)
            elapsed = (time.perf_counter() - started) * 1000
        self.stdout.write(f"{'telling participants (task)':<34}{len(captured):>8}{elapsed:>11.1f}"
                          f"{'':>18}  (no goal)")
        funded = [votes for _pk, votes, is_funded, _rank in rows if is_funded]
        all_votes = [votes for _pk, votes, _funded, _rank in rows]
        notified = Notification.objects.filter(activity=activity).count()
        written = process.entries.filter(is_funded=True).count()
        self.stdout.write(
            f"funded: {len(funded)} of {len(rows)} proposals ({written} marked by publishing) for "
            f"{funded_total:,.2f} € of {process.total_amount:,.2f} €; votes per proposal from {min(all_votes)} "
            f"to {max(all_votes)}; publishing notified {notified} participants"
        )
        if written != len(funded):
            raise CommandError("Publishing funded other proposals than results_compute counted.")


class Pages:
    """Queries, median and p95 of the pages, next to /livez; the figures are printed together at the end."""

    def __init__(self, command, process, requests):
        self.command, self.process = command, process
        self.people = {email: User.objects.get(email=email) for email in (NEW_EMAIL, DRAFT_EMAIL, CONFIRMED_EMAIL)}
        self.table, self.lines = PageTable(requests, width=34), []

    def during_voting(self):
        """The ballot page in its three states, in the voting phase, each request on its own as in production."""
        picks = {email: Pick.objects.filter(ballot__process=self.process, ballot__user=self.people[email]).count()
                 for email in (DRAFT_EMAIL, CONFIRMED_EMAIL)}
        ballot = reverse("budgets:ballot", args=[self.process.slug])
        self.lines.append(self.table.row(*BARE_VIEW))
        self._measure("ballot, no ballot yet", ballot, NEW_EMAIL, GOAL_BALLOT_MS)
        self._measure(f"ballot, draft of {picks[DRAFT_EMAIL]} picks", ballot, DRAFT_EMAIL, GOAL_BALLOT_MS)
        self._measure(f"ballot, confirmed {picks[CONFIRMED_EMAIL]} picks", ballot, CONFIRMED_EMAIL, GOAL_BALLOT_MS)

    def with_results(self):
        """The results page and the CSV, after publishing, in the results phase (inside the rolled-back
        transaction; the phase is set by hand, as phase_move would notify everyone once more)."""
        Process.objects.filter(pk=self.process.pk).update(phase=Phase.RESULTS, phase_changed_at=timezone.now())
        results = reverse("budgets:results", args=[self.process.slug])
        self._measure("results page (anonymous)", results, None)
        self._measure("results page (confirmed voter)", results, CONFIRMED_EMAIL)
        self._measure("results CSV", reverse("budgets:results_csv", args=[self.process.slug]), None, goal=None)

    def report(self):
        write = self.command.stdout.write
        write("\n" + self.table.header())
        for line in self.lines:
            write(line)
        write(self.table.summary())

    def _measure(self, name, url, email, goal=GOAL_PAGE_MS):
        user = None if email is None else self.people[email]
        self.lines.append(self.table.row(name, url, user, goal=None if goal is None else (goal, None)))
