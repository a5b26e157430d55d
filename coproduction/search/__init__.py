"""One search over everything the apps declare searchable, grouped by kind.

The contract: an app's ``search.py`` defines ``SEARCH``, a list of ``Document`` and ``Kind``:

- ``Document(model, weights={"title": "A", "summary": "B", "text": "C"}, texts=None,
  keeps_vector=True, related=())`` says what of a model is indexed: model fields and their weight
  (A counts most), or ``texts(obj) -> {"A": …, "B": …, "C": …}`` when the text is not a field of
  the model (a wiki page's current revision). The model has a ``search_vector`` field
  (``SearchVectorField``) with a GIN index made by its app's migration for PostgreSQL. The core
  keeps the index on every save and delete (``coproduction.search.index``): on PostgreSQL it
  writes ``search_vector`` (German configuration) unless ``keeps_vector=False`` says the app's
  own services do; on SQLite it writes the stemmed text into one FTS5 table.
- ``Kind(name, label, document, rows, title, url, text, …)`` is one group of results: ``rows(user)``
  returns the QuerySet of what ``user`` may see (the app's own visibility QuerySets; drafts,
  hidden and members-only rows never reach the search otherwise), already loading what the result
  shows; ``key`` is the field of a row holding the document's primary key ("pk", or "proposal_id"
  for a budget's entry) and ``vector`` the path from a row to the document's ``search_vector``;
  ``newest`` orders equally relevant rows, newest first; ``title(row)``, ``url(row)`` and
  ``text(row)`` (what the snippet is cut from: a text, or several to take the first that matches) and ``context(row)`` (one short line: the
  organisation, the budget) describe a result; ``browse`` names the URL of the kind's own list.

``search(user, query)`` answers every kind with a query for the keys of its first rows and, through
a window count, how many there are, and one reading those rows; ``kind_rows(user, query, kind)`` is
one kind's ordered QuerySet for a page of its own. Relevance first (PostgreSQL's ts_rank, SQLite's
BM25), then recency.
"""
from dataclasses import dataclass, field
from functools import cache
from typing import Callable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Count, F, FloatField, Window
from django.db.models.expressions import RawSQL
from django.urls import reverse

from coproduction.contracts import contract_modules

from . import fts
from .text import clean_query, query_terms, query_words, snippet_parts, title_parts

PER_KIND = 5


@dataclass(frozen=True)
class Document:
    model: type
    weights: dict = field(default_factory=dict)
    texts: Callable | None = None
    keeps_vector: bool = True
    related: tuple = ()

    @property
    def label(self):
        return self.model._meta.label_lower

    def texts_of(self, obj):
        if self.texts is not None:
            return self.texts(obj)
        found = {}
        for name, weight in self.weights.items():
            value = getattr(obj, name, "") or ""
            found[weight] = f"{found[weight]} {value}" if weight in found else str(value)
        return found

    def concerns(self, update_fields):
        """False when a save touched only fields the index does not read."""
        if update_fields is None or not self.weights:
            return True
        return bool(set(update_fields) & set(self.weights))


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    document: type
    rows: Callable
    title: Callable
    url: Callable
    text: Callable
    context: Callable = lambda row: ""
    key: str = "pk"
    vector: str = "search_vector"
    newest: str = "pk"
    order: int = 100
    browse: str = ""  # the URL name of the kind's own list, offered when nothing is found

    @property
    def browse_url(self):
        return reverse(self.browse) if self.browse else ""


@dataclass
class Result:
    title: list
    url: str
    snippet: list
    context: str
    row: object


@dataclass
class Group:
    kind: Kind
    count: int
    results: list


@cache
def declared():
    """(documents, kinds) of every installed app's ``search.py``, kinds in their order (asked once)."""
    documents, kinds = [], []
    for _config, module in contract_modules("search", provides="SEARCH"):
        for item in module.SEARCH:
            (documents if isinstance(item, Document) else kinds).append(item)
    names = [kind.name for kind in kinds]
    if len(names) != len(set(names)):
        raise ValueError(f"Two search kinds of the same name: {names}")
    return documents, sorted(kinds, key=lambda kind: (kind.order, kind.name))


def kinds():
    return declared()[1]


def kind_named(name):
    return next((kind for kind in kinds() if kind.name == name), None)


def kind_rows(user, query, kind):
    """The rows of ``kind`` that ``user`` may see and that match ``query``, best first; none without words."""
    rows = kind.rows(user)
    newest = F(kind.newest).desc(nulls_last=True)
    if connection.vendor == "postgresql":
        words = query_words(query)
        if not words:
            return rows.none()
        tsquery = SearchQuery(" & ".join(f"{word}:*" for word in words), config="german", search_type="raw")
        return rows.filter(**{kind.vector: tsquery}).annotate(
            search_rank=SearchRank(F(kind.vector), tsquery),
        ).order_by("-search_rank", newest, "-pk")
    terms = query_terms(query)
    if not terms:
        return rows.none()
    model = rows.model
    column = model._meta.pk.column if kind.key == "pk" else model._meta.get_field(kind.key).column
    key_sql = f'"{model._meta.db_table}"."{column}"'
    (condition, condition_params), (rank, rank_params) = fts.matching(kind.document._meta.label_lower, terms, key_sql)
    return rows.filter(RawSQL(condition, condition_params, output_field=BooleanField())).annotate(
        search_rank=RawSQL(rank, rank_params, output_field=FloatField()),
    ).order_by("search_rank", newest, "-pk")


def results_of(kind, rows, query):
    """The shown form of ``rows`` of ``kind``: title and snippet as parts with the matching words marked."""
    terms = query_terms(query)
    return [Result(title=title_parts(kind.title(row), terms), url=kind.url(row),
                   snippet=_snippet(kind.text(row), terms), context=kind.context(row), row=row)
            for row in rows]


def _snippet(texts, terms):
    """The snippet of the first of ``texts`` (one text or several, best first) that has a match."""
    texts = [texts] if isinstance(texts, str) else [text for text in texts if text]
    for text in texts:
        parts = snippet_parts(text, terms)
        if any(is_match for _text, is_match in parts):
            return parts
    return snippet_parts(texts[0], terms) if texts else []


def search(user, query, per_kind=PER_KIND):
    """[Group] of every kind with at least one match, each with its count and first ``per_kind`` results."""
    query = clean_query(query)
    groups = []
    for kind in kinds():
        ranked = kind_rows(user, query, kind)
        # Ranking and counting every match reads only their keys; the texts are read for the rows shown.
        top = list(ranked.annotate(search_total=Window(Count("pk"))).values_list("pk", "search_total")[:per_kind])
        if top:
            found = ranked.in_bulk([pk for pk, _total in top])
            groups.append(Group(kind, top[0][1], results_of(kind, [found[pk] for pk, _total in top], query)))
    return groups
