"""Searching pages: German full-text search on PostgreSQL, a substring match on SQLite.

On PostgreSQL every word of the query is stemmed (German configuration) and matched as a prefix,
all words required: German compounds are one token, so "Fahrrad" must find "Fahrradwerkstatt".
Only word characters reach to_tsquery, so the input cannot inject query syntax.

Snippets come back as parts (text, is_match) that the template escapes one by one, so neither
the page text nor PostgreSQL's ts_headline output is ever trusted as HTML. The highlight markers
are control characters, which the services strip from every saved text.
"""
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from coproduction.search import Document, Kind

from .models import Page, Revision

START, STOP = "\x01", "\x02"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
WORD = re.compile(r"\w+")
SNIPPET_CHARACTERS = 90


def search_pages(pages, query):
    """``pages`` (already limited to what the person may read) matching ``query``, best first."""
    pages = pages.select_related("space").only(
        "id", "title", "slug", "last_edited_at", "space__slug", "space__name",
    )
    if connection.vendor == "postgresql":
        words = WORD.findall(query)[:MAX_WORDS]
        if not words:
            return pages.none()
        tsquery = SearchQuery(" & ".join(f"{word}:*" for word in words), config="german", search_type="raw")
        # A subquery, not a join: PostgreSQL then reads the text only for the rows shown, after LIMIT.
        headline = Revision.objects.filter(pk=OuterRef("current_revision_id")).annotate(
            headline=SearchHeadline("text", tsquery, config="german", start_sel=START, stop_sel=STOP,
                                    max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … "),
        ).values("headline")[:1]
        return pages.filter(search_vector=tsquery).annotate(
            rank=SearchRank(F("search_vector"), tsquery), headline=Subquery(headline),
        ).order_by("-rank", "title", "pk")
    return pages.filter(Q(title__icontains=query) | Q(current_revision__text__icontains=query)).annotate(
        headline=F("current_revision__text"),
    ).order_by("title", "pk")


def snippet_parts(headline, query):
    """The snippet of one result as [(text, is_match), …]."""
    headline = headline or ""
    if connection.vendor == "postgresql":
        parts = []
        for index, chunk in enumerate(headline.split(START)):
            match, _, rest = chunk.partition(STOP) if index else ("", "", chunk)
            if match:
                parts.append((match, True))
            if rest:
                parts.append((rest, False))
        return parts
    position = headline.casefold().find(query.casefold())
    if position < 0:
        return [(_shorten(headline, 0), False)]
    start = max(position - SNIPPET_CHARACTERS, 0)
    end = position + len(query)
    before = ("…" if start else "") + headline[start:position]
    after = headline[end:end + SNIPPET_CHARACTERS] + ("…" if len(headline) > end + SNIPPET_CHARACTERS else "")
    return [part for part in [(before, False), (headline[position:end], True), (after, False)] if part[0]]


def _shorten(text, start):
    end = start + 2 * SNIPPET_CHARACTERS
    return text[start:end] + ("…" if len(text) > end else "")


# --- the site-wide search (coproduction.search) -------------------------------------------------
# Pages are found in the spaces the person may read (Page.objects.visible_to): members-only
# spaces only by their members. The page's vector is kept by the wiki's services (services.links.index).

MARKUP = re.compile(r"[#|*_>`~\[\]]+|-{2,}")


def _page_texts(page):
    revision = page.current_revision if page.current_revision_id else None
    return {"A": page.title, "C": revision.text if revision else ""}


def visible_pages(user):
    return Page.objects.visible_to(user).select_related("space", "current_revision").only(
        "id", "title", "slug", "last_edited_at", "space__slug", "space__name", "current_revision__text")


SEARCH = [
    Document(Page, weights={"title": "A", "current_revision": "C"}, texts=_page_texts, keeps_vector=False,
             related=("current_revision",)),
    Kind(
        name="wiki", label=_("Wiki pages"), document=Page, rows=visible_pages, order=50,
        title=lambda page: page.title, url=lambda page: page.get_absolute_url(),
        text=lambda page: MARKUP.sub(" ", page.current_revision.text) if page.current_revision_id else "",
        context=lambda page: page.space.name, newest="last_edited_at", browse="wiki:index",
    ),
]
