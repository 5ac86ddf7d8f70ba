"""Two articles that contradict each other on the asked fact: found, never resolved.

When the evidence chosen for an answer comes from two different articles and one
sentence is negated where the other is not ("Belarus tritt in den Krieg ein" against
"Belarus bestreitet, in den Krieg einzutreten"), picking one would tell the reader
half the story. The composers call `find_conflict` and then name the conflict, citing
both. A pure function over evidence: no store, no model.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.text.polarity import is_negated
from index.types import Evidence

# A disagreeing sentence from another article counts when its score is this close to the
# best sentence's. Wider than the citation margin (0.05) on purpose: the second article
# is phrased differently, and missing a contradiction misleads more than naming a weak
# one. Not tuned: the eval corpus has one article, so it never applies there.
CONFLICT_MARGIN = 0.15


def find_conflict(
    chosen: Sequence[Evidence], ranked: Sequence[Evidence] = ()
) -> tuple[Evidence, Evidence] | None:
    """The best pair of sentences from different articles with opposite polarity, if any.

    `chosen` is the cited evidence, best first; `ranked` (all scored sentences) adds the
    ones within CONFLICT_MARGIN of the best. The best sentence is paired with the
    best-ranked one that disagrees with it, so the answer keeps its strongest evidence.
    """
    if not chosen:
        return None
    close = [
        item
        for item in ranked
        if item.score >= chosen[0].score - CONFLICT_MARGIN and item not in chosen
    ]
    evidence = [*chosen, *close]
    for index, first in enumerate(evidence):
        for second in evidence[index + 1 :]:
            if second.doc_id != first.doc_id and is_negated(second.text) != is_negated(first.text):
                return first, second
    return None
