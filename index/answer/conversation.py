"""A follow-up's answer is often the sentence right beside the earlier answer.

A follow-up the rules cannot make standalone is read with the earlier question after
it ("How did the two of them settle that argument? (What did Lukashenko joke about at
the press conference?)"), so retrieval finds the earlier answer's sentence again: the
joke. The follow-up alone ranks the right sentence first, two lines on: "Dann hätten
sie sich dafür entschieden, sich die Position zu teilen." Alone its cosine (0.28) is
too low to trust; beside the earlier answer it is what the article says next. So the
sentence the follow-up alone ranks first is cited instead of the joined question's
best when it lies within NEIGHBOURHOOD sentences of it and the follow-up alone clearly
prefers it (by MARGIN, from at least FLOOR). Anything farther away is another topic, and
the joined question's choice stands. Likewise a joined follow-up for a value ("When did
they show that?") that no sentence over the threshold answers gets the value told
within NEIGHBOURHOOD sentences of the earlier answer's sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.answer.neighbours import sentences_apart
from index.types import Evidence

# Sentences apart the follow-up's own best may be from the earlier answer's sentence.
NEIGHBOURHOOD = 2
# Cosine the follow-up alone must give its best sentence over the joined question's best.
MARGIN = 0.08
# Cosine under which the follow-up alone says too little to point anywhere.
FLOOR = 0.25


def is_joined(question: str, standalone: str) -> bool:
    """True when `standalone` is `question` read with an earlier question after it
    (HeuristicRewriter's last resort: "question (earlier question)")."""
    asked = question.strip()
    return standalone != asked and standalone.startswith(asked) and standalone.endswith(")")


def beside_the_earlier_answer(
    chosen: Sequence[Evidence],
    joined: Sequence[Evidence],
    alone: Sequence[Evidence],
) -> list[Evidence]:
    """`chosen` (from the joined question's ranking `joined`) with its best sentence
    replaced by the follow-up's own best (the first of `alone`, scored against the
    follow-up alone) when that one is its close neighbour and clearly preferred."""
    if not chosen or not alone:
        return list(chosen)
    best, own = chosen[0], alone[0]
    if (own.doc_id, own.start) == (best.doc_id, best.start) or own.similarity < FLOOR:
        return list(chosen)
    # the follow-up alone's cosine for the earlier answer's sentence (0.0 when the
    # follow-up alone does not even retrieve it)
    best_alone = next(
        (e.similarity for e in alone if (e.doc_id, e.start) == (best.doc_id, best.start)), 0.0
    )
    if own.similarity - best_alone < MARGIN:
        return list(chosen)
    apart = sentences_apart(best, own, [*joined, *alone])
    if apart is None or abs(apart) > NEIGHBOURHOOD:
        return list(chosen)
    return [own]


def value_beside_the_earlier_answer(
    statements: Sequence[Evidence], offering: Sequence[Evidence], floor: float
) -> list[Evidence]:
    """For a joined follow-up that asks for a value ("When did they show that?" after "Is
    the population Russia's ally?") when no sentence holding one clears the threshold:
    [the closest sentence within NEIGHBOURHOOD of the joined question's best statement
    (the first of `statements`, at least `floor` close) that holds such a value (one of
    `offering`)]; else []. The value of what was just said is told beside it ("Sie habe
    bei den Protesten 2020 klar gezeigt, ..." after "..., nicht aber die belarussische
    Bevölkerung.")."""
    if not statements or not offering or statements[0].similarity < floor:
        return []
    best = statements[0]
    near = [
        (abs(apart), item)
        for item in offering
        if (apart := sentences_apart(best, item, statements)) is not None
        and abs(apart) <= NEIGHBOURHOOD
    ]
    return [min(near, key=lambda pair: pair[0])[1]] if near else []
