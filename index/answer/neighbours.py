"""Which scored sentences stand next to each other in the article.

Sentences are scored one by one, but some answers need the sentence beside the best
one: the reason of a why question ("Denn ..."), the details of an announcement
("Demnach ..."), what a follow-up asks next. Sentences are adjacent when they share a
section and at most ADJACENT_GAP characters (a space, a paragraph break) lie between.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.types import Evidence

# Most characters between two sentences of one paragraph or of adjacent paragraphs.
ADJACENT_GAP = 4


def neighbours(
    best: Evidence, ranked: Sequence[Evidence]
) -> tuple[Evidence | None, Evidence | None]:
    """The sentences right before and right after `best` in its section, when scored."""
    before = after = None
    for item in ranked:
        if item.doc_id != best.doc_id or item.section != best.section:
            continue
        if 0 <= best.start - item.end <= ADJACENT_GAP:
            before = item
        elif 0 <= item.start - best.end <= ADJACENT_GAP:
            after = item
    return before, after


def sentences_apart(first: Evidence, second: Evidence, rows: Sequence[Evidence]) -> int | None:
    """How many sentences on `second` comes after `first` (negative: before), walking
    the adjacent sentences of `rows` in article order; None when no run of adjacent
    sentences of one section joins them."""
    if first.doc_id != second.doc_id or first.section != second.section:
        return None
    line = sorted(
        {
            (row.start, row.end)
            for row in (*rows, first, second)
            if row.doc_id == first.doc_id and row.section == first.section
        }
    )
    here, there = line.index((first.start, first.end)), line.index((second.start, second.end))
    low, high = sorted((here, there))
    if any(line[i + 1][0] - line[i][1] > ADJACENT_GAP for i in range(low, high)):
        return None  # a sentence between them was not read
    return there - here
