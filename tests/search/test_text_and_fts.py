"""The SQLite side of the search for real, with sqlite3 alone: stems, the FTS5 table and bad input."""
import sqlite3

import pytest

from coproduction.search import fts
from coproduction.search.text import (
    MAX_WORDS, clean_query, fts5_expression, query_terms, snippet_parts, stem, stemmed,
)

TEXTS = {
    1: "Neue Bänke im Stadtpark",
    2: "Eine Bank vor der Bücherei",
    3: "Fahrradwerkstatt im Hinterhof",
    4: "Café für alle im Nachbarschaftszentrum",
    5: "Hausaufgabenhilfe für Kinder",
}


@pytest.fixture
def cursor():
    connection = sqlite3.connect(":memory:")
    cursor = connection.cursor()
    fts.create(cursor)
    cursor.execute("CREATE TABLE thing (id INTEGER PRIMARY KEY, title TEXT)")
    for pk, title in TEXTS.items():
        cursor.execute("INSERT INTO thing VALUES (?, ?)", [pk, title])
        fts.put(cursor, "app.thing", pk, {"A": title})
    # Another model's rows with the same keys never answer for this one.
    fts.put(cursor, "app.other", 5, {"A": "Bank Bänke Fahrrad"})
    yield cursor
    connection.close()


def found(cursor, query, label="app.thing"):
    terms = query_terms(query)
    if not terms:
        return []
    (condition, condition_params), (rank, rank_params) = fts.matching(label, terms, "thing.id", mark="?")
    rows = cursor.execute(f"SELECT id FROM thing WHERE {condition} ORDER BY {rank}, id",
                          [*condition_params, *rank_params]).fetchall()
    return sorted(pk for (pk,) in rows)


def test_word_forms_share_one_stem():
    assert stem("Bank") == stem("Bänke") == stem("Bänken") == stem("BÄNKE") == "bank"
    assert stem("Straße") == stem("Strasse")
    assert stem("Café") == "cafe"
    assert stemmed("Neue Bänke!") == "neu bank"


@pytest.mark.parametrize("query", ["Bank", "bank", "Bänke", "Bänken", "BÄNKEN"])
def test_bank_finds_benches_and_benches_find_the_bank(cursor, query):
    assert found(cursor, query) == [1, 2]


def test_a_word_finds_the_compounds_it_begins(cursor):
    assert found(cursor, "Fahrrad") == [3]
    assert found(cursor, "cafe") == [4]


def test_every_word_must_match(cursor):
    assert found(cursor, "Bank Stadtpark") == [1]
    assert found(cursor, "Bank Fahrrad") == []


def test_a_removed_object_is_no_longer_found(cursor):
    fts.remove(cursor, "app.thing", 1)
    assert found(cursor, "Bänke") == [2]
    fts.put(cursor, "app.thing", 2, {"A": "Etwas ganz anderes"})
    assert found(cursor, "Bank") == []


def test_clearing_one_model_keeps_the_others(cursor):
    fts.clear(cursor, "app.thing")
    assert found(cursor, "Bank") == []
    assert found(cursor, "Bank", label="app.other") == [5]


@pytest.mark.parametrize("query", [
    '"', '""', "*", "Bank*", "NEAR(Bank Café)", "Bank NEAR Café", "-Bank", "Bank OR Café", "Bank AND NOT Café",
    "title:Bank", "{a b}: Bank", "^Bank", "(Bank", "Bank)", "'; DROP TABLE thing; --", "\\", "%", "_", "\x00",
    "Bank " * 500, "x" * 1000, "ä" * 1000,
])
def test_query_syntax_and_long_input_never_error(cursor, query):
    found(cursor, query)
    assert cursor.execute("SELECT count(*) FROM thing").fetchone() == (5,)


def test_operators_are_words_not_syntax(cursor):
    assert found(cursor, '"Bank" OR "Café"') == []  # "or" is a word the texts do not have
    assert found(cursor, "-Bank*") == [1, 2]


def test_the_query_is_cut_to_its_first_words():
    assert len(query_terms(" ".join(f"wort{n}" for n in range(50)))) == MAX_WORDS
    assert len(clean_query("x" * 1000)) == 200
    assert query_terms("  ***  --  ") == []
    assert fts5_expression(["bank", "x y", 'a"b']) == '"bank"*'


def test_the_snippet_marks_every_form_of_the_word():
    parts = snippet_parts("Wir wollen neue Bänke aufstellen, denn eine Bank fehlt.", query_terms("Bank"))
    assert [text for text, is_match in parts if is_match] == ["Bänke", "Bank"]
    assert "".join(text for text, _match in parts) == "Wir wollen neue Bänke aufstellen, denn eine Bank fehlt."


def test_a_long_text_is_cut_around_the_first_match():
    text = " ".join(["Füllwort"] * 200 + ["Bänke"] + ["Nachwort"] * 200)
    parts = snippet_parts(text, ["bank"])
    assert parts[0] == ("… ", False) and parts[-1] == (" …", False)
    assert ("Bänke", True) in parts
    assert len("".join(text for text, _match in parts)) < 400
