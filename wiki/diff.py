"""A readable line diff between two revisions, as data the template escapes (never as HTML).

Rows carry the line numbers on both sides, a kind ("same", "removed", "added", "gap") and the
line cut into parts; in a changed line the words that changed are marked, so the template can
wrap them in <del>/<ins>. Long unchanged stretches collapse to a few lines of context.
"""
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 3
WORDS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Part:
    text: str
    changed: bool = False


@dataclass(frozen=True)
class Row:
    kind: str  # "same", "removed", "added" or "gap"
    old_number: int | None = None
    new_number: int | None = None
    parts: tuple = ()


def _word_parts(old, new):
    """Both lines cut into parts, with the words that differ marked as changed."""
    old_words, new_words = WORDS.findall(old), WORDS.findall(new)
    old_parts, new_parts = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        if i2 > i1:
            old_parts.append(Part("".join(old_words[i1:i2]), changed=tag != "equal"))
        if j2 > j1:
            new_parts.append(Part("".join(new_words[j1:j2]), changed=tag != "equal"))
    return tuple(old_parts), tuple(new_parts)


def _changed_rows(old_lines, new_lines, i1, j1):
    """A replaced stretch: paired lines get word marks; removals first, then additions."""
    removed, added = [], []
    for offset in range(max(len(old_lines), len(new_lines))):
        old = old_lines[offset] if offset < len(old_lines) else None
        new = new_lines[offset] if offset < len(new_lines) else None
        if old is not None and new is not None:
            old_parts, new_parts = _word_parts(old, new)
        else:
            old_parts = (Part(old, changed=True),) if old is not None else ()
            new_parts = (Part(new, changed=True),) if new is not None else ()
        if old is not None:
            removed.append(Row("removed", old_number=i1 + offset + 1, parts=old_parts))
        if new is not None:
            added.append(Row("added", new_number=j1 + offset + 1, parts=new_parts))
    return removed + added


def line_diff(old_text, new_text, context=CONTEXT):
    """Rows of a diff from ``old_text`` to ``new_text``; empty when they are equal."""
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    rows = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            head = 0 if i1 == 0 else context
            tail = 0 if i2 == len(old_lines) else context
            lines = [(i, j1 + i - i1) for i in range(i1, i2)]
            if head + tail < len(lines):
                lines = lines[:head] + [None] + (lines[len(lines) - tail:] if tail else [])
            for line in lines:
                if line is None:
                    rows.append(Row("gap"))
                else:
                    rows.append(Row("same", old_number=line[0] + 1, new_number=line[1] + 1,
                                    parts=(Part(old_lines[line[0]]),)))
        else:
            rows.extend(_changed_rows(old_lines[i1:i2], new_lines[j1:j2], i1, j1))
    if all(row.kind in ("same", "gap") for row in rows):
        return []
    return rows
