"""Benchmark of the wiki at scale: queries per request, median and p95 server time.

Seeds N pages (default 10,000) with 20 revisions each, five links between pages plus one to a
missing page, and one page every other page links to, into the configured database (set-based
SQL on PostgreSQL, bulk inserts elsewhere). Then requests each page many times in-process and
prints the figures next to those of /livez, a constant response, measured in the same run, and the goals. Use a
database of its own, with production settings (hence collectstatic):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_wiki_bench SECRET_KEY=bench STATIC_ROOT=/tmp/wiki-static
    python manage.py migrate && python manage.py collectstatic --noinput
    python manage.py bench_wiki --pages 10000
"""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from coproduction.benchmark import BARE_VIEW, PageTable, Table, analyze
from stakeholders.models import Organisation, User
from wiki.models import Link, Page, Revision, Space

REVISIONS = 20
LINKS = 5
# Goal in ms, (median, p95): the wiki's search.
SEARCH_GOAL = (15, None)
SPACE = "bench"
# (word in titles, the same in addresses)
WORDS = [
    ("Fahrradwerkstatt", "fahrradwerkstatt"), ("Nachbarschaftscafé", "nachbarschaftscafe"),
    ("Hausaufgabenhilfe", "hausaufgabenhilfe"), ("Gemeinschaftsgarten", "gemeinschaftsgarten"),
    ("Seniorentreff", "seniorentreff"), ("Sprachcafé", "sprachcafe"), ("Mittagstisch", "mittagstisch"),
    ("Jugendraum", "jugendraum"), ("Übergabe", "uebergabe"), ("Besuchsdienst", "besuchsdienst"),
    ("Reparaturcafé", "reparaturcafe"), ("Kiezfest", "kiezfest"), ("Lesepatenschaft", "lesepatenschaft"),
    ("Nähstube", "naehstube"), ("Elterncafé", "elterncafe"), ("Bücherschrank", "buecherschrank"),
]
BODY = ("Hier steht, wie wir im Viertel zusammenarbeiten: wer was macht, wann und mit wem. Ehrenamtliche, "
        "Nachbarinnen und Fachkräfte schreiben gemeinsam auf, was sie wissen, damit es bleibt, wenn jemand geht. ")


class Command(BaseCommand):
    help = "Seed many wiki pages with revisions and links, then print query counts and server times (median, p95)."

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=10_000)
        parser.add_argument("--requests", type=int, default=60, help="timed requests per page (at least 50)")
        parser.add_argument("--reseed", action="store_true", help="drop earlier benchmark data first")

    def handle(self, *args, pages, requests, reseed, **options):
        if requests < 50:
            raise CommandError("Use at least 50 requests per page.")
        if reseed:
            self._drop()
        space = self._space()
        existing = Page.objects.filter(space=space).count()
        if existing < pages:
            started = time.perf_counter()
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    self._seed_postgresql(space, existing + 1, pages)
                else:
                    self._seed_orm(space, existing + 1, pages)
                Space.objects.filter(pk=space.pk).update(page_count=Page.objects.filter(space=space).count())
            self.stdout.write(f"seeded {pages - existing} pages in {time.perf_counter() - started:.0f} s")
        analyze()
        self._report(space, requests)

    # --- seeding -------------------------------------------------------------------------

    def _drop(self):
        with transaction.atomic():
            Space.objects.filter(slug=SPACE).delete()
            User.objects.filter(email__endswith="@bench-wiki.invalid").delete()

    def _space(self):
        organisation, _ = Organisation.objects.get_or_create(
            slug="bench-wiki", defaults={"name": "Benchmark-Wiki", "purpose": "Messung", "city": "Kassel"})
        if not User.objects.filter(email__endswith="@bench-wiki.invalid").exists():
            User.objects.bulk_create([User(email=f"w{i}@bench-wiki.invalid", display_name=f"Autorin {i}", password="!")
                                      for i in range(50)])
        space, _ = Space.objects.get_or_create(slug=SPACE, defaults={"organisation": organisation, "name": "Benchmark"})
        return space

    def _seed_postgresql(self, space, start, stop):
        authors = list(User.objects.filter(email__endswith="@bench-wiki.invalid").values_list("pk", flat=True))
        titles = "ARRAY[" + ",".join(f"'{title}'" for title, _ in WORDS) + "]"
        slugs = "ARRAY[" + ",".join(f"'{slug}'" for _, slug in WORDS) + "]"
        words = len(WORDS)
        # Page g is titled "<word> <g>" (address "<word>-<g>"); it links to pages (g*7 + i*131) mod N + 1,
        # to page 1 (which every page links to) and to a page that does not exist yet.
        target = "((g * 7 + {i} * 131) %% %(n)s + 1)"
        link_targets = " || ".join(
            f"' [[' || ({titles})[1 + {target.format(i=i)} %% {words}] || ' ' || {target.format(i=i)} || ']]'"
            for i in range(1, LINKS + 1)
        )
        text = (
            f"'## Worum es geht\n\n' || ({titles})[1 + g %% {words}] || ' ' || g || ': ' || repeat(%(body)s, 4) || "
            f"'\n\n## Ablauf\n\n' || repeat('- ' || %(body)s || '\n', 6) || '\n## Siehe auch\n\n' || {link_targets} "
            f"|| ' [[' || ({titles})[2] || ' 1]] [[Fehlt noch ' || g || ']]\n\n## Stand\n\n' "
            f"|| repeat('Ergänzung in Fassung ' || n || '.\n', n)"
        )
        html_link = (
            f"'<a class=\"wikilink\" href=\"/wiki/{SPACE}/' || ({slugs})[1 + t %% {words}] || '-' || t || "
            f"'/\" rel=\"noopener noreferrer nofollow\">' || ({titles})[1 + t %% {words}] || ' ' || t || '</a> '"
        )
        toc = ('[{"id": "h-worum-es-geht", "name": "Worum es geht", "children": []}, '
               '{"id": "h-ablauf", "name": "Ablauf", "children": []}, '
               '{"id": "h-siehe-auch", "name": "Siehe auch", "children": []}, '
               '{"id": "h-stand", "name": "Stand", "children": []}]')
        params = {"n": stop, "body": BODY, "start": start, "stop": stop, "space": space.pk, "authors": authors,
                  "toc": toc}
        page, revision, link = Table(Page), Table(Revision), Table(Link)
        number = f"split_part({page.slug}, '-', 2)::int"  # g of the page "<word>-<g>"
        link_columns = link.columns("space", "source", "source_title", "target_slug", "target_title", "target_page")
        in_range = f"{page.space} = %(space)s AND {number} BETWEEN %(start)s AND %(stop)s"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {page} ({page.columns(
                    "space", "title", "slug", "owner", "html", "toc", "created_at", "created_by", "last_edited_at",
                    "last_edited_by")})
                SELECT %(space)s, ({titles})[1 + g %% {words}] || ' ' || g, ({slugs})[1 + g %% {words}] || '-' || g,
                       (%(authors)s)[1 + g %% 50], '', '[]', now() - make_interval(days => 400),
                       (%(authors)s)[1 + g %% 50], now() - make_interval(mins => g), (%(authors)s)[1 + (g + 3) %% 50]
                FROM generate_series(%(start)s, %(stop)s) AS g
                """, params)
            cursor.execute(
                f"""
                INSERT INTO {revision} ({revision.columns(
                    "page", "number", "parent_number", "title", "text", "size", "summary", "author", "created_at")})
                SELECT p.id, n, NULLIF(n - 1, 0), p.title, body.text, length(body.text), 'Änderung ' || n,
                       (%(authors)s)[1 + (g + n) %% 50], now() - make_interval(mins => g + (20 - n) * 10000)
                FROM (SELECT {page.id} AS id, {page.title} AS title, {number} AS g
                      FROM {page} WHERE {in_range}) AS p
                CROSS JOIN generate_series(1, {REVISIONS}) AS n
                CROSS JOIN LATERAL (SELECT {text} AS text) AS body
                """, params)
            cursor.execute(
                f"""
                UPDATE {page} AS p SET
                    {page.current_revision} = cur.id,
                    {page.html} = '<h2 id="h-worum-es-geht">Worum es geht</h2><p>' || repeat(%(body)s, 4) || '</p>'
                        || '<h2 id="h-ablauf">Ablauf</h2><ul>' || repeat('<li>' || %(body)s || '</li>', 6) || '</ul>'
                        || '<h2 id="h-siehe-auch">Siehe auch</h2><p>'
                        || (SELECT string_agg({html_link}, '') FROM (
                               SELECT (cur.g * 7 + i * 131) %% %(n)s + 1 AS t FROM generate_series(1, {LINKS}) AS i) AS l)
                        || '</p><h2 id="h-stand">Stand</h2><p>' || repeat('Ergänzung. ', {REVISIONS}) || '</p>',
                    {page.toc} = %(toc)s::jsonb,
                    {page.search_vector} = setweight(to_tsvector('german', p.{page.title}), 'A')
                        || setweight(to_tsvector('german', cur.text), 'C')
                FROM (SELECT r.{revision.id} AS id, r.{revision.page} AS page_id, r.{revision.text} AS text,
                             split_part(pg.{page.slug}, '-', 2)::int AS g
                      FROM {revision} r JOIN {page} pg ON pg.{page.id} = r.{revision.page}
                      WHERE pg.{page.space} = %(space)s AND r.{revision.number} = {REVISIONS}
                        AND split_part(pg.{page.slug}, '-', 2)::int BETWEEN %(start)s AND %(stop)s) AS cur
                WHERE p.{page.id} = cur.page_id
                """, params)
            cursor.execute(
                f"""
                INSERT INTO {link} ({link_columns})
                SELECT DISTINCT ON (src.id, tgt.{page.slug})
                       %(space)s, src.id, src.title, tgt.{page.slug}, tgt.{page.title}, tgt.{page.id}
                FROM (SELECT {page.id} AS id, {page.title} AS title, {number} AS g
                      FROM {page} WHERE {in_range}) AS src
                CROSS JOIN LATERAL (
                    SELECT (src.g * 7 + i * 131) %% %(n)s + 1 AS t FROM generate_series(1, {LINKS}) AS i
                    UNION SELECT 1) AS l
                JOIN {page} AS tgt ON tgt.{page.space} = %(space)s
                                  AND tgt.{page.slug} = ({slugs})[1 + l.t %% {words}] || '-' || l.t
                WHERE tgt.{page.id} <> src.id
                """, params)
            cursor.execute(
                f"""
                INSERT INTO {link} ({link_columns})
                SELECT %(space)s, {page.id}, {page.title}, 'fehlt-noch-' || {number}, 'Fehlt noch ' || {number}, NULL
                FROM {page} WHERE {in_range}
                """, params)

    def _seed_orm(self, space, start, stop):
        """The same shape with bulk inserts, for trying the command on SQLite (slower)."""
        authors = list(User.objects.filter(email__endswith="@bench-wiki.invalid").values_list("pk", flat=True))
        for first in range(start, stop + 1, 500):
            numbers = range(first, min(first + 500, stop + 1))
            batch = Page.objects.bulk_create([
                Page(space=space, title=f"{WORDS[g % len(WORDS)][0]} {g}", slug=f"{WORDS[g % len(WORDS)][1]}-{g}",
                     owner_id=authors[g % 50], html=f"<p>{BODY * 4}</p>", last_edited_by_id=authors[g % 50])
                for g in numbers
            ])
            revisions = Revision.objects.bulk_create([
                Revision(page=page, number=n, parent_number=n - 1 or None, title=page.title,
                         text=f"## Worum es geht\n\n{page.title}: {BODY * 4}\n\n" + "Ergänzung.\n" * n,
                         size=1000, summary=f"Änderung {n}", author_id=authors[(g + n) % 50])
                for g, page in zip(numbers, batch) for n in range(1, REVISIONS + 1)
            ], batch_size=2000)
            current = {revision.page_id: revision.pk for revision in revisions if revision.number == REVISIONS}
            for page in batch:
                page.current_revision_id = current[page.pk]
            Page.objects.bulk_update(batch, ["current_revision"])
        first_page = Page.objects.get(space=space, slug=f"{WORDS[1][1]}-1")
        Link.objects.bulk_create([
            Link(space=space, source_id=pk, source_title=title, target_slug=first_page.slug,
                 target_title=first_page.title, target_page=first_page)
            for pk, title in Page.objects.filter(space=space).exclude(pk=first_page.pk).values_list("pk", "title")
        ], batch_size=2000, ignore_conflicts=True)

    # --- measuring -----------------------------------------------------------------------

    def _pages(self, space):
        count = Page.objects.filter(space=space).count()
        typical = Page.objects.get(space=space, slug__endswith=f"-{count // 2}")
        popular = Page.objects.get(space=space, slug=f"{WORDS[1][1]}-1")
        base = f"/wiki/{SPACE}/"
        return [
            ("page view", f"{base}{typical.slug}/", None),
            (f"page view ({popular.incoming_links.count()} backlinks)", f"{base}{popular.slug}/", None),
            ("history (20 revisions)", f"{base}{typical.slug}/history/", None),
            ("diff 10 → 20", f"{base}{typical.slug}/diff/?from=10&to=20", None),
            ("backlinks (popular page)", f"{base}{popular.slug}/backlinks/", None),
            ("search (common word)", "/wiki/search/?q=Fahrradwerkstatt", SEARCH_GOAL),
            ("search (two words)", "/wiki/search/?q=Kiezfest+Nachbarinnen", SEARCH_GOAL),
            ("space page", base, None),
            ("recent changes", "/wiki/changes/", None),
        ]

    def _report(self, space, requests):
        table = PageTable(requests, width=32)
        self.stdout.write(
            f"database: {connection.vendor}, pages: {Page.objects.filter(space=space).count()}, "
            f"revisions: {Revision.objects.filter(page__space=space).count()}, "
            f"links: {Link.objects.filter(space=space).count()}, requests per page: {requests}"
        )
        self.stdout.write(table.header())
        self.stdout.write(table.row(*BARE_VIEW))
        for name, url, goal in self._pages(space):
            self.stdout.write(table.row(name, url, goal=goal))
        self.stdout.write(table.summary())
