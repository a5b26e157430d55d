"""Benchmark of the proposal pages and the proposals API at scale: queries per request, median and p95 server time.

Also the home page, for a visitor and signed in, and My area (/me/) of a person with proposals and supports.

Seeds N proposals (default 100,000) with about ten supports and three comments each into the
configured database (fast set-based inserts on PostgreSQL), then requests every page many times
in-process and prints the figures next to those of /livez, a constant response through the same
middleware, measured in the same run, with each page's goal met or missed. Use a database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/koproduktion_bench SECRET_KEY=bench \
        python manage.py migrate
    DATABASE_URL=... SECRET_KEY=bench python manage.py bench_pages --proposals 100000
"""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client

from coproduction.benchmark import BARE_VIEW, PageTable, Table, analyze
from coproduction.search.index import rebuild
from proposals.models import Comment, Proposal, Support
from stakeholders.models import Membership, Organisation, User

SUPPORTS_PER_PROPOSAL = 10
COMMENTS_PER_PROPOSAL = 3
BENCH_USERS = 20000
DETAIL_COMMENTS = 200
# Goals in ms, (median, p95): every list, the home page, the site search and an organisation's page;
# a proposal's page; one with 200 comments; the back office's start page.
PAGE_GOAL = (8, 15)
DETAIL_GOAL = (6, None)
DISCUSSED_GOAL = (12, None)
BACK_OFFICE_GOAL = (30, None)
WORDS = [
    "Fahrradwerkstatt", "Nachbarschaftscafé", "Hausaufgabenhilfe", "Spielplatz", "Gemeinschaftsgarten",
    "Seniorentreff", "Sprachcafé", "Mittagstisch", "Jugendraum", "Beratung", "Repaircafé", "Kiezfest",
    "Lesepatenschaft", "Sportgruppe", "Nähstube", "Elterncafé", "Stadtteilzeitung", "Bücherschrank",
]


class ManyAddressesClient(Client):
    """Each request from another address, so the API's per-address rate limit measures, not refuses."""

    requests = 0

    def get(self, path, *args, **kwargs):
        self.requests += 1
        kwargs.setdefault("REMOTE_ADDR", f"10.{self.requests // 65536 % 256}.{self.requests // 256 % 256}.{self.requests % 256}")
        return super().get(path, *args, **kwargs)


class Command(BaseCommand):
    help = "Seed many proposals and print per-page query counts and server times (median, p95)."

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=60, help="timed requests per page (at least 50)")
        parser.add_argument("--reseed", action="store_true", help="drop earlier benchmark data first")
        parser.add_argument("--only", default="", help="measure only the rows whose name contains this")

    def handle(self, *args, proposals, requests, reseed, only, **options):
        if requests < 50:
            raise CommandError("Use at least 50 requests per page.")
        if reseed:
            self._drop()
        existing = Proposal.objects.filter(title__startswith="[bench]").count()
        if existing < proposals:
            started = time.perf_counter()
            self._seed(proposals - existing, offset=existing)
            self.stdout.write(f"seeded {proposals - existing} proposals in {time.perf_counter() - started:.0f} s")
        analyze()
        self._report(requests, only)

    # --- seeding -------------------------------------------------------------------------

    def _drop(self):
        with transaction.atomic():
            Proposal.objects.filter(title__startswith="[bench]").delete()
            User.objects.filter(email__endswith="@bench.invalid").delete()
            Organisation.objects.filter(slug__startswith="bench-").delete()

    def _seed(self, count, offset):
        organisations = [
            Organisation.objects.get_or_create(
                slug=f"bench-{i}", defaults={"name": f"Benchmark-Träger {i}", "purpose": "Messung", "city": "Kassel"}
            )[0]
            for i in range(20)
        ]
        if not User.objects.filter(email__endswith="@bench.invalid").exists():
            User.objects.bulk_create(
                [User(email=f"p{i}@bench.invalid", display_name=f"Person {i}", password="!") for i in range(BENCH_USERS)],
                batch_size=5000,
            )
        if connection.vendor == "postgresql":
            self._seed_postgresql(count, offset, [o.pk for o in organisations])
        else:
            self._seed_orm(count, offset, organisations)
            # Bulk inserts pass no signals: the site search's SQLite index is filled afterwards.
            rebuild(labels=[Proposal._meta.label_lower])
        self._seed_discussed_proposal(organisations[0])

    def _seed_postgresql(self, count, offset, organisation_ids):
        user_min, user_max = (
            User.objects.filter(email__endswith="@bench.invalid").order_by("pk").values_list("pk", flat=True)[i]
            for i in (0, BENCH_USERS - 1)
        )
        assert user_max - user_min + 1 == BENCH_USERS, "benchmark users must have consecutive ids"
        words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
        modes = "ARRAY['professionals','together','community']"
        statuses = "ARRAY['published','published','published','under_review','accepted','in_delivery','completed','rejected']"
        proposal, support, comment = Table(Proposal), Table(Support), Table(Comment)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {proposal} ({proposal.columns(
                    "organisation", "author", "title", "summary", "text", "district", "planning", "delivery",
                    "status", "is_hidden", "hidden_reason", "support_count", "comment_count", "pledge_count",
                    "created_at", "published_at", "last_activity_at", "channel", "consent_recorded",
                    "estimated_cost", "search_vector")})
                SELECT
                    (%(orgs)s)[1 + g %% array_length(%(orgs)s, 1)],
                    %(umin)s + (g * 7919) %% {BENCH_USERS},
                    '[bench] ' || w1 || ' und ' || w2 || ' ' || g,
                    'Kurz gesagt: ' || w1 || ' für alle im Viertel.',
                    'Wir schlagen vor: ' || w1 || ' mit ' || w2 || '. Nummer ' || g || '.',
                    'Bezirk ' || (g %% 12),
                    ({modes})[1 + g %% 3], ({modes})[1 + (g / 3) %% 3],
                    ({statuses})[1 + g %% 8],
                    false, '', {SUPPORTS_PER_PROPOSAL} + (g %% 5), {COMMENTS_PER_PROPOSAL}, 0,
                    now() - make_interval(mins => g), now() - make_interval(mins => g),
                    now() - make_interval(mins => (g * 37) %% 500000),
                    'online', false, (g %% 50) * 100,
                    setweight(to_tsvector('german', '[bench] ' || w1 || ' und ' || w2), 'A')
                        || setweight(to_tsvector('german', 'Kurz gesagt: ' || w1 || ' für alle im Viertel.'), 'B')
                        || setweight(to_tsvector('german', 'Wir schlagen vor: ' || w1 || ' mit ' || w2), 'C')
                FROM (
                    SELECT g, ({words})[1 + g %% {len(WORDS)}] AS w1, ({words})[1 + (g / 7) %% {len(WORDS)}] AS w2
                    FROM generate_series(%(start)s, %(stop)s) AS g
                ) AS numbered
                """,
                {"orgs": organisation_ids, "umin": user_min, "start": offset + 1, "stop": offset + count},
            )
            bench = (f"SELECT {proposal.id} FROM {proposal} WHERE {proposal.title} LIKE '[bench]%%' "
                     f"AND {proposal.id} NOT IN (SELECT DISTINCT {support.proposal} FROM {support})")
            cursor.execute(
                f"""
                INSERT INTO {support} ({support.columns(
                    "proposal", "user", "created_at", "channel", "consent_recorded")})
                SELECT p.{proposal.id}, %(umin)s + ((p.{proposal.id} * 131 + s * 997) %% {BENCH_USERS}), now(),
                       'online', false
                FROM ({bench}) AS p, generate_series(1, {SUPPORTS_PER_PROPOSAL} + 4) AS s
                WHERE s <= (SELECT {proposal.support_count} FROM {proposal} WHERE {proposal.id} = p.{proposal.id})
                """,
                {"umin": user_min},
            )
            cursor.execute(
                f"""
                INSERT INTO {comment} ({comment.columns(
                    "proposal", "author", "text", "created_at", "is_hidden", "hidden_reason", "channel",
                    "consent_recorded")})
                SELECT p.{proposal.id}, %(umin)s + ((p.{proposal.id} + s * 31) %% {BENCH_USERS}),
                       'Gute Idee, ich wäre dabei. ' || s, now(), false, '', 'online', false
                FROM {proposal} AS p, generate_series(1, {COMMENTS_PER_PROPOSAL}) AS s
                WHERE p.{proposal.title} LIKE '[bench]%%' AND NOT EXISTS (
                    SELECT 1 FROM {comment} c WHERE c.{comment.proposal} = p.{proposal.id})
                """,
                {"umin": user_min},
            )

    def _seed_orm(self, count, offset, organisations):
        users = list(User.objects.filter(email__endswith="@bench.invalid").values_list("pk", flat=True))
        for start in range(offset, offset + count, 2000):
            stop = min(start + 2000, offset + count)
            batch = Proposal.objects.bulk_create([
                Proposal(
                    organisation=organisations[g % len(organisations)], author_id=users[g % len(users)],
                    title=f"[bench] {WORDS[g % len(WORDS)]} {g}", summary=f"Kurz gesagt: {WORDS[g % len(WORDS)]}",
                    text="Wir schlagen vor …", planning="together", delivery="community", status="published",
                    support_count=SUPPORTS_PER_PROPOSAL, comment_count=COMMENTS_PER_PROPOSAL,
                )
                for g in range(start, stop)
            ])
            Support.objects.bulk_create(
                [Support(proposal=p, user_id=users[(p.pk * 131 + s * 997) % len(users)])
                 for p in batch for s in range(SUPPORTS_PER_PROPOSAL)],
                batch_size=5000, ignore_conflicts=True,
            )
            Comment.objects.bulk_create(
                [Comment(proposal=p, author_id=users[s], text="Gute Idee") for p in batch
                 for s in range(COMMENTS_PER_PROPOSAL)],
                batch_size=5000,
            )

    def _seed_discussed_proposal(self, organisation):
        proposal, created = Proposal.objects.get_or_create(
            title="[bench] Diskussion mit 200 Kommentaren",
            defaults=dict(
                organisation=organisation, summary="Viel Gesprächsstoff", text="Was meint ihr?", planning="together",
                delivery="together", status="published", comment_count=DETAIL_COMMENTS,
            ),
        )
        if created:
            authors = list(User.objects.filter(email__endswith="@bench.invalid").values_list("pk", flat=True)[:50])
            top = Comment.objects.bulk_create(
                [Comment(proposal=proposal, author_id=authors[i % 50], text=f"Beitrag {i}") for i in range(100)]
            )
            Comment.objects.bulk_create(
                [Comment(proposal=proposal, author_id=authors[i % 50], parent=top[i], text=f"Antwort {i}")
                 for i in range(100)]
            )

    # --- measuring -----------------------------------------------------------------------

    def _pages(self):
        """(name, address, goal) of the pages measured for a visitor and, where marked, signed in too."""
        detail = Proposal.objects.get(title="[bench] Diskussion mit 200 Kommentaren")
        typical = Proposal.objects.filter(title__startswith="[bench]", comment_count=COMMENTS_PER_PROPOSAL).first()
        organisation = Organisation.objects.get(slug="bench-3")
        return [
            ("list newest", "/proposals/?ordering=newest", PAGE_GOAL),
            ("list most supported", "/proposals/?ordering=supported", PAGE_GOAL),
            ("list most discussed", "/proposals/?ordering=discussed", PAGE_GOAL),
            ("list recently active", "/proposals/?ordering=active", PAGE_GOAL),
            ("list filtered", f"/proposals/?organisation={organisation.pk}&status=under_review&planning=together",
             PAGE_GOAL),
            ("list page 50", "/proposals/?ordering=supported&page=50", PAGE_GOAL),
            ("list text search", "/proposals/?q=Fahrradwerkstatt", PAGE_GOAL),
            ("detail (3 comments)", typical.get_absolute_url(), DETAIL_GOAL),
            ("detail (200 comments)", detail.get_absolute_url(), DISCUSSED_GOAL),
            ("matrix /coproduction/", "/coproduction/", None),
            ("home", "/", PAGE_GOAL),
            ("organisation page", organisation.get_absolute_url(), PAGE_GOAL),
            ("site search /search/", "/search/?q=Fahrradwerkstatt", PAGE_GOAL),
            ("site search, one kind", "/search/?q=Fahrradwerkstatt&kind=proposals&page=2", PAGE_GOAL),
        ]

    def _api(self):
        typical = Proposal.objects.filter(title__startswith="[bench]", comment_count=COMMENTS_PER_PROPOSAL).first()
        organisation = Organisation.objects.get(slug="bench-3")
        return [
            ("api list newest", "/api/v1/proposals/"),
            ("api list most supported", "/api/v1/proposals/?ordering=supported"),
            ("api list filtered", f"/api/v1/proposals/?organisation={organisation.pk}&status=under_review"
                                  "&planning=together&ordering=supported"),
            ("api list mode + district", "/api/v1/proposals/?planning=community&delivery=together&district=Bezirk%205"),
            ("api list page 50", "/api/v1/proposals/?ordering=supported&page=50"),
            ("api list text search", "/api/v1/proposals/?q=Fahrradwerkstatt"),
            ("api list page_size 100", "/api/v1/proposals/?page_size=100"),
            ("api detail", f"/api/v1/proposals/{typical.pk}/"),
        ]

    def _back_office_people(self):
        organisation = Organisation.objects.filter(slug__startswith="bench-").order_by("pk").first()
        staff, _ = User.objects.get_or_create(email="staff@bench.invalid",
                                              defaults={"display_name": "Fachkraft", "is_staff": True})
        Membership.objects.get_or_create(user=staff, organisation=organisation, role=Membership.Role.STAFF,
                                         defaults={"status": Membership.Status.APPROVED})
        operator, _ = User.objects.get_or_create(email="operator@bench.invalid", defaults={
            "display_name": "Betrieb", "is_staff": True, "is_superuser": True})
        return staff, operator

    def _report(self, requests, only):
        table = PageTable(requests, width=34, client_class=ManyAddressesClient, only=only)
        total = Proposal.objects.count()
        self.stdout.write(f"database: {connection.vendor}, proposals: {total}, supports: {Support.objects.count()}, "
                          f"comments: {Comment.objects.count()}, requests per page: {requests}")
        self.stdout.write(table.header())

        def write(line):
            if line is not None:
                self.stdout.write(line)

        write(table.row(*BARE_VIEW))
        # A person with proposals and supports of their own: the home page "for you", My area, and every
        # public page as they see it, with their own supports marked.
        person = User.objects.filter(email__endswith="@bench.invalid").order_by("pk").first()
        for name, url, goal in self._pages():
            write(table.row(name, url, goal=goal))
            write(table.row(f"{name}, signed in", url, person, goal=goal))
        write(table.row("my area /me/", "/me/", person))
        for name, url in self._api():
            write(table.row(name, url))
        # The back office's start page: staff of the organisation with the most proposals, and an operator.
        staff, operator = self._back_office_people()
        write(table.row("back office start (staff)", "/admin/", staff, goal=BACK_OFFICE_GOAL))
        write(table.row("back office start (all)", "/admin/", operator, goal=BACK_OFFICE_GOAL))
        self.stdout.write(table.summary())
