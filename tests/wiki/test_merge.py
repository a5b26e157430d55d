"""The three-way merge behind edit conflicts: what merges by itself, what conflicts, and that the
editor's own text is never dropped."""
import pytest

from wiki.merge import Conflict, merge3

BASE = "Titel\n\nAbsatz eins.\nAbsatz zwei.\nAbsatz drei.\nAbsatz vier.\nAbsatz fünf.\n"


def test_changes_in_different_places_merge_by_themselves():
    theirs = BASE.replace("Absatz eins.", "Absatz EINS, von ihnen.")
    mine = BASE.replace("Absatz fünf.", "Absatz FÜNF, von mir.")
    result = merge3(BASE, theirs, mine)
    assert result.is_clean
    assert result.text == BASE.replace("Absatz eins.", "Absatz EINS, von ihnen.").replace(
        "Absatz fünf.", "Absatz FÜNF, von mir.")


def test_additions_at_both_ends_and_a_deletion_merge():
    theirs = "Vorwort\n" + BASE
    mine = BASE.replace("Absatz drei.\n", "") + "Nachwort\n"
    result = merge3(BASE, theirs, mine)
    assert result.is_clean
    assert result.text == "Vorwort\n" + BASE.replace("Absatz drei.\n", "") + "Nachwort\n"


def test_the_same_change_on_both_sides_is_taken_once():
    changed = BASE.replace("Absatz zwei.", "Absatz 2.")
    result = merge3(BASE, changed, changed)
    assert result.is_clean and result.text == changed


def test_the_same_addition_on_both_sides_is_not_duplicated():
    """django-wiki's line union would write the new line twice; diff3 does not."""
    added = BASE + "Neue Zeile.\n"
    result = merge3(BASE, added, added)
    assert result.is_clean and result.text.count("Neue Zeile.") == 1


def test_only_one_side_changed():
    theirs = BASE.replace("Absatz vier.", "Absatz 4.")
    assert merge3(BASE, theirs, BASE).text == theirs
    assert merge3(BASE, BASE, theirs).text == theirs


def test_overlapping_changes_conflict_and_keep_mine():
    theirs = BASE.replace("Absatz drei.", "Absatz drei, ihre Fassung.")
    mine = BASE.replace("Absatz drei.", "Absatz drei, meine Fassung.").replace("Absatz eins.", "Eins.")
    result = merge3(BASE, theirs, mine)
    assert not result.is_clean
    assert result.conflicts == [Conflict("Absatz drei.\n", "Absatz drei, ihre Fassung.\n", "Absatz drei, meine Fassung.\n")]
    assert result.text == mine  # mine where both changed; their change elsewhere would be merged in
    assert "<<<<<<<" not in result.text


def test_conflict_and_clean_change_together():
    theirs = BASE.replace("Absatz drei.", "Drei (ihre).").replace("Titel", "Neuer Titel")
    mine = BASE.replace("Absatz drei.", "Drei (meine).")
    result = merge3(BASE, theirs, mine)
    assert len(result.conflicts) == 1
    assert result.text == BASE.replace("Absatz drei.", "Drei (meine).").replace("Titel", "Neuer Titel")


def test_adjacent_changes_count_as_overlapping():
    theirs = BASE.replace("Absatz zwei.", "Zwei.")
    mine = BASE.replace("Absatz drei.", "Drei.")
    result = merge3(BASE, theirs, mine)
    assert len(result.conflicts) == 1
    assert "Drei." in result.text  # still mine


def test_both_delete_the_same_lines():
    shorter = BASE.replace("Absatz zwei.\nAbsatz drei.\n", "")
    assert merge3(BASE, shorter, shorter).text == shorter


def test_one_deletes_what_the_other_changed_is_a_conflict():
    theirs = BASE.replace("Absatz zwei.\n", "")
    mine = BASE.replace("Absatz zwei.", "Absatz zwei, verbessert.")
    result = merge3(BASE, theirs, mine)
    assert result.conflicts == [Conflict("Absatz zwei.\n", "", "Absatz zwei, verbessert.\n")]
    assert "Absatz zwei, verbessert." in result.text


@pytest.mark.parametrize("base, theirs, mine", [
    ("", "Ihre\n", "Meine\n"),
    ("a", "a\nb", "c\na"),
    ("eins\nzwei", "eins\nzwei\ndrei", "null\neins\nzwei"),
])
def test_edge_cases_never_lose_my_lines(base, theirs, mine):
    result = merge3(base, theirs, mine)
    for line in mine.splitlines():
        assert line in result.text


def test_repeated_lines_are_aligned():
    base = "- Punkt\n- Punkt\n- Punkt\nEnde\n"
    theirs = "- Punkt\n- Punkt\n- Punkt\nEnde.\n"
    mine = "Anfang\n- Punkt\n- Punkt\n- Punkt\nEnde\n"
    result = merge3(base, theirs, mine)
    assert result.is_clean and result.text == "Anfang\n- Punkt\n- Punkt\n- Punkt\nEnde.\n"


def test_a_long_text_merges_quickly_enough():
    base = "".join(f"Zeile {number}\n" for number in range(3000))
    theirs = base.replace("Zeile 10\n", "Zeile zehn\n")
    mine = base.replace("Zeile 2990\n", "Zeile 2990!\n")
    result = merge3(base, theirs, mine)
    assert result.is_clean and "Zeile zehn" in result.text and "Zeile 2990!" in result.text
