"""Why questions: the reason is often given by the sentence beside the one that matches.

"Why have Russia and Belarus grown closer?" matches "... sind Russland und Belarus ...
noch enger zusammengerückt." best, but the reason is the next sentence: "Denn die vom
Westen verhängten Sanktionen treffen auch Belarus." Likewise a sentence whose main
clause says "daher" / "deswegen" ("Deswegen wandert Lukaschenko weiter einen schmalen
Grat ...") draws its reason from the sentence before it. The neighbour that gives the
reason is cited with the best sentence, in the article's order, so the answer reads as
the article does. A connective word tells it; no model is needed to see it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.answer.neighbours import neighbours
from index.text.polarity import is_question
from index.types import Evidence

_WHY = re.compile(
    r"^\W*(?:(?:and|but|und|aber)\s+)?(?:why|warum|wieso|weshalb|weswegen|"
    r"for what reason|aus welchem grund)\b",
    re.IGNORECASE,
)
# A sentence that opens with these gives the reason of the sentence before it.
_BECAUSE = re.compile(r"^\W*(?:denn|because|that is because|the reason is)\b", re.IGNORECASE)
# A main clause with these draws its reason from the sentence before it ("daher" before
# the sentence's first comma: after one, the reason is in the sentence itself, as in
# "Momentan scheine das noch zu klappen, deswegen habe Lukaschenko ... recht").
_THEREFORE = re.compile(
    r"\b(?:daher|deshalb|deswegen|darum|therefore|that is why|for this reason)\b", re.IGNORECASE
)


def asks_why(question: str) -> bool:
    """True for a question that asks for a reason ("Why ...?", "Warum ...?")."""
    return _WHY.search(question) is not None


def _draws_on_the_sentence_before(text: str) -> bool:
    found = _THEREFORE.search(text)
    return found is not None and "," not in text[: found.start()]


def with_reason(
    question: str, chosen: Sequence[Evidence], ranked: Sequence[Evidence]
) -> list[Evidence]:
    """`chosen` with the neighbour that gives the best sentence's reason, for a why
    question: the next sentence when it opens with "Denn", the one before when the best
    one's main clause says "daher"; unchanged otherwise."""
    if not chosen or not asks_why(question):
        return list(chosen)
    best, rest = chosen[0], list(chosen[1:])
    before, after = neighbours(best, ranked)
    if after is not None and _BECAUSE.search(after.text):
        return [best, after, *(item for item in rest if item != after)]
    if (
        before is not None
        and _draws_on_the_sentence_before(best.text)
        and not is_question(before.text)
    ):
        return [before, best, *(item for item in rest if item != before)]
    return list(chosen)
