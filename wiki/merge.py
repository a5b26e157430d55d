"""A line-based three-way merge (diff3) on top of difflib, for edit conflicts.

``base`` is the revision the editor started from, ``theirs`` the revision saved meanwhile and
``mine`` the editor's text. Lines both sides left alone anchor the texts to each other; between
two anchors a stretch changed on one side only takes that side, a stretch changed identically on
both sides is taken once, and a stretch changed differently on both sides is a conflict. A
conflict keeps the editor's own lines in the merged text (their work is never dropped) and is
reported with all three versions so the person can resolve it. Changes on adjacent lines count
as overlapping, as in diff3 and git.
"""
from dataclasses import dataclass, field
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Conflict:
    base: str
    theirs: str
    mine: str


@dataclass
class MergeResult:
    text: str
    conflicts: list = field(default_factory=list)

    @property
    def is_clean(self):
        return not self.conflicts


def _lines(text):
    if text and not text.endswith("\n"):
        text += "\n"
    return text.splitlines(keepends=True)


def _anchors(base, theirs, mine):
    """Stretches of base lines that both other texts kept, as (base, theirs, mine) start and length."""
    to_theirs = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    to_mine = SequenceMatcher(None, base, mine, autojunk=False).get_matching_blocks()
    anchors, i, j = [], 0, 0
    while i < len(to_theirs) and j < len(to_mine):
        t_base, t_other, t_len = to_theirs[i]
        m_base, m_other, m_len = to_mine[j]
        start, end = max(t_base, m_base), min(t_base + t_len, m_base + m_len)
        if start < end:
            anchors.append((start, t_other + start - t_base, m_other + start - m_base, end - start))
        if t_base + t_len < m_base + m_len:
            i += 1
        else:
            j += 1
    anchors.append((len(base), len(theirs), len(mine), 0))  # the end of all three texts
    return anchors


def merge3(base, theirs, mine):
    """Merges two edits of ``base``; see the module docstring for the rules."""
    base_lines, their_lines, my_lines = _lines(base), _lines(theirs), _lines(mine)
    merged, conflicts = [], []
    b = t = m = 0
    for b_start, t_start, m_start, length in _anchors(base_lines, their_lines, my_lines):
        old, ours, yours = base_lines[b:b_start], their_lines[t:t_start], my_lines[m:m_start]
        if ours == yours or old == ours:
            merged.extend(yours)  # same change on both sides, or only mine changed it
        elif old == yours:
            merged.extend(ours)  # only theirs changed it
        else:
            merged.extend(yours)
            conflicts.append(Conflict("".join(old), "".join(ours), "".join(yours)))
        merged.extend(base_lines[b_start:b_start + length])
        b, t, m = b_start + length, t_start + length, m_start + length
    return MergeResult("".join(merged), conflicts)
