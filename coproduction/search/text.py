"""Words, German stems and snippets: the pure text side of the site-wide search.

Both databases search the same words: a query keeps its first ``MAX_WORDS`` words of letters and
digits (every other character, quotes, stars, minus signs and the like, only separates words), so
nothing a person types reaches a database as query syntax. Each word is lower-cased and reduced to
its German stem with the Snowball algorithm (the one PostgreSQL's ``german`` configuration uses):
"Bänke", "Bänken" and "Bank" all become "bank"; remaining accents are folded ("Café" → "cafe").
A word matches a text when the stem of one of the text's words begins with the query word's stem,
so "Fahrrad" also finds "Fahrradwerkstatt", and all query words must match.

Snippets come back as parts ``[(text, is_match)]`` that the template escapes one by one.
"""
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
WORD = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 28

_stemmer = snowballstemmer.stemmer("german")


def clean_query(value):
    """The query as the page shows it again: one line, spaces collapsed, at most MAX_QUERY_LENGTH characters."""
    return " ".join(str(value or "").split())[:MAX_QUERY_LENGTH]


def fold(text):
    """Lower case without accents; umlauts and ß are left to the stemmer, which folds them its own way."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=20000)
def stem(word):
    """The German stem of one word, lower case and without accents: "Bänken" → "bank"."""
    return fold(_stemmer.stemWord(unicodedata.normalize("NFC", word.casefold())))


def words(text):
    return WORD.findall(unicodedata.normalize("NFC", text or ""))


def stemmed(text):
    """The text as the words the SQLite index holds: its stems separated by spaces."""
    return " ".join(stem(word) for word in words(text))


def query_terms(query):
    """The distinct stems of the query's first MAX_WORDS words, in order; [] when nothing is searchable."""
    terms = []
    for word in words(clean_query(query))[:MAX_WORDS]:
        term = stem(word)
        if term and term not in terms:
            terms.append(term)
    return terms


def query_words(query):
    """The query's first MAX_WORDS words as typed (for PostgreSQL, which stems them itself)."""
    return words(clean_query(query))[:MAX_WORDS]


def fts5_expression(terms):
    """An FTS5 query requiring every term as a prefix; each term is a quoted string of letters and digits."""
    return " AND ".join(f'"{term}"*' for term in terms if WORD.fullmatch(term))


def is_match(word, terms):
    word_stem = stem(word)
    return any(word_stem.startswith(term) for term in terms)


def snippet_parts(text, terms, size=SNIPPET_WORDS):
    """About ``size`` words of ``text`` around its first match, as [(text, is_match)], matches marked."""
    text = " ".join((text or "").split())
    if not text:
        return []
    spans = [(match.start(), match.end()) for match in WORD.finditer(text)]
    if not spans:
        return [(text[:size * 8], False)]
    hits = [index for index, (start, end) in enumerate(spans) if is_match(text[start:end], terms)]
    first = max((hits[0] if hits else 0) - size // 3, 0)
    last = min(first + size, len(spans))
    begin = spans[first][0] if first else 0
    finish = spans[last - 1][1] if last < len(spans) else len(text)
    parts, cursor = [], begin
    for index in hits:
        if first <= index < last:
            start, end = spans[index]
            if start > cursor:
                parts.append((text[cursor:start], False))
            parts.append((text[start:end], True))
            cursor = end
    if finish > cursor:
        parts.append((text[cursor:finish], False))
    if begin:
        parts.insert(0, ("… ", False))
    if finish < len(text):
        parts.append((" …", False))
    return parts


def title_parts(title, terms):
    return snippet_parts(title, terms, size=10 ** 6)
