"""The SQLite side of the search: one FTS5 table of stemmed text, used through plain DB-API cursors.

Each indexed object is one row whose rowid encodes what it is: the CRC-32 of its model's label
times 2**31, plus its primary key. Writing, deleting and finding one model's rows then go through
the rowid, which FTS5 looks up directly, instead of scanning a column. Columns ``a``, ``b`` and
``c`` hold the stemmed text of the three weights (title, summary, body), ranked by BM25 with
weights 10, 4 and 1; FTS5's ``rank`` is lower for better matches.

The table exists only on SQLite (the migration ``coproduction.0003_search_text_sqlite`` creates
it); PostgreSQL searches a stored ``tsvector`` of each model instead.
"""
import zlib

from .text import fts5_expression, stemmed

TABLE = "coproduction_search_text"
SPAN = 2 ** 31
WEIGHTS = ("A", "B", "C")
CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "a, b, c, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
RANK = f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')"


def create(cursor):
    cursor.execute(CREATE)
    cursor.execute(RANK)


def drop(cursor):
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def base(label):
    """The first rowid of the model ``label`` ("proposals.proposal"); its rows are base + pk."""
    return zlib.crc32(label.lower().encode()) * SPAN


def put(cursor, label, pk, texts):
    """Stores the stemmed ``texts`` ({"A": title, "B": …, "C": …}) of one object, replacing what was there."""
    if not 0 < pk < SPAN:
        raise ValueError(f"Cannot index {label} {pk}: keys must be between 1 and 2**31")
    rowid, mark = base(label) + pk, _mark(cursor)
    cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = {mark}", [rowid])
    values = [stemmed(texts.get(weight) or "") for weight in WEIGHTS]
    cursor.execute(f"INSERT INTO {TABLE} (rowid, a, b, c) VALUES ({', '.join([mark] * 4)})", [rowid, *values])


def remove(cursor, label, pk):
    mark = _mark(cursor)
    cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = {mark}", [base(label) + pk])


def clear(cursor, label):
    """Removes every row of the model ``label``."""
    low, mark = base(label), _mark(cursor)
    cursor.execute(f"DELETE FROM {TABLE} WHERE rowid BETWEEN {mark} AND {mark}", [low, low + SPAN - 1])


def matching(label, terms, key_sql, mark="%s"):
    """SQL pieces for one model's matches: (condition, params) on ``key_sql`` and (rank, params) of a row.

    ``key_sql`` is the quoted column of the outer query holding the indexed object's key; ``mark``
    the parameter style (Django's cursors take %s, sqlite3's own ?). The rank is None without a match.
    """
    expression = fts5_expression(terms)
    low = base(label)
    condition = (f"{key_sql} IN (SELECT rowid - {low} FROM {TABLE} WHERE {TABLE} MATCH {mark} "
                 f"AND rowid BETWEEN {low} AND {low + SPAN - 1})")
    rank = f"(SELECT rank FROM {TABLE} WHERE {TABLE} MATCH {mark} AND rowid = {low} + {key_sql})"
    return (condition, [expression]), (rank, [expression])


def _mark(cursor):
    """The parameter mark of ``cursor``: ? for a bare sqlite3 cursor, %s for Django's cursor wrappers."""
    return "?" if type(cursor).__module__ == "sqlite3" else "%s"
