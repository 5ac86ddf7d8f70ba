"""An announcement and its details: the sentence after it that opens with "Demnach".

"What did the Russian lower house decide about saboteurs?" matches "Das Unterhaus des
russischen Parlaments zieht Konsequenzen für "Saboteure" im Ukraine-Konflikt." best,
which does not say what the consequences are; the next sentence does: "Demnach sollen
Betroffene härter bestraft werden." A sentence opening with "Demnach" ("accordingly",
"under it") tells the content of the one before it, and says little without it
("those affected" by what?). So a question for content cites the details with the
best sentence, and a best sentence that opens so is cited with the one it details, in
the article's order. A connective word tells it; no model is needed to see it.

A quotation that runs on into the next sentence is the same: "So sagte beispielsweise
Serhij Najew, Kommandant der ukrainischen Streitkräfte: "Unserer Meinung nach werden
... ausgearbeitet ... . Es geht unserer Einschätzung nach insbesondere um Angriffe auf
dem Landweg", sagt Najew." The first sentence names the speaker and matches "What kind
of attacks did the Ukrainian commander particularly expect?" best; the rest of what he
said is in the next one. An unclosed quotation mark tells it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.answer.neighbours import neighbours
from index.answer.refusal import expected_answer_kind
from index.text.polarity import is_question
from index.translate.terms import Term, coverage
from index.types import Evidence

# A sentence that opens with these gives the details of the sentence before it.
_DETAILS = re.compile(
    r"^\W*(?:demnach|demzufolge|konkret|im einzelnen|genauer gesagt|accordingly|specifically)\b",
    re.IGNORECASE,
)
# A sentence that opens with a label and a colon leans on the one before it ("Die Sorge:
# Putin könne Belarus dazu drängen ...", whose worry the sentence before says): cited
# with that one, and added to it for a question for content ("What was Ukraine afraid
# the Kremlin leader would do?" matches "Besonders von der Ukraine wurde das Treffen
# daher skeptisch beobachtet." best; the worry itself is the label's sentence).
_LABEL = re.compile(r"^\W*(?:der|die|das|the)\s+\w+\s*:\s", re.IGNORECASE)
# Quotation marks: a sentence with an odd number of them opens or closes a quotation
# that runs on beyond it.
_QUOTE_MARK = re.compile(r'["„“”«»]')
# A sentence that goes on with what the one before reported: a pronoun for its speaker
# or subject and a verb of reported speech (Konjunktiv I: "Sie seien durch "gemeinsame
# Geschichte und spirituelle Werte" vereint." after "Putin ... verwies aber auf die enge
# Beziehung der "Verbündeten und strategischen Partnern".").
_REPORTED = re.compile(
    r"^\W*(?:er|sie|es|man)\s+(?:sei|seien|habe|hätten|hätte|werde|könne|könnten|müsse|"
    r"müssten|dürfe|solle|wolle)\b",
    re.IGNORECASE,
)
# A question for content: what was decided, announced, planned, and how.
_ASKS_CONTENT = re.compile(
    r"^\W*(?:(?:and|but|und|aber)\s+)?(?:what|which|how|was|welche[mnrs]?|wie)\b",
    re.IGNORECASE,
)


def gives_details(text: str) -> bool:
    """True for a sentence that opens by pointing back to what it details ("Demnach ...")."""
    return _DETAILS.search(text) is not None


def leans_back(text: str) -> bool:
    """True for a sentence that says little without the one before it ("Demnach ...",
    "Die Sorge: ...")."""
    return gives_details(text) or _LABEL.search(text) is not None


def runs_on(first: str, second: str) -> bool:
    """True when a quotation opened in `first` is closed in `second`, the sentence after
    it: each holds an odd number of quotation marks."""
    return len(_QUOTE_MARK.findall(first)) % 2 == 1 and len(_QUOTE_MARK.findall(second)) % 2 == 1


def reports_on(text: str) -> bool:
    """True for a sentence that goes on with the reported speech of the one before it
    ("Sie seien ... vereint.", "Man habe sich auf ... verständigt.")."""
    return _REPORTED.search(text) is not None


def either_answers(first: str, second: str) -> bool:
    """True for two adjacent sentences that go together, yet each of which can answer
    alone: a sentence and the labelled comment after it ("Die Sorge: ..."), a quotation
    and its rest (each names its speaker or its subject). Unlike "Demnach ..." (whose
    "Betroffene" are nobody without the sentence before), citing one of them is enough."""
    return _LABEL.search(second) is not None or runs_on(first, second)


def asks_for_content(question: str) -> bool:
    """True for "What did ... decide?", "Wie soll ... bestraft werden?"; not for a
    yes/no question, nor for a count, an amount or a time span, which one value answers
    (`expected_answer_kind`)."""
    return _ASKS_CONTENT.search(question) is not None and not expected_answer_kind(question)


def adds_asked(asked: Sequence[Term], best: str, after: str) -> bool:
    """True when `after` holds a word the question asks about that `best` lacks
    ("gemeinsame ... Werte" for "Welche gemeinsamen Werte verbinden ...?", "Angriffe"
    for "What kind of attacks ...?")."""
    return any(coverage([term], after) and not coverage([term], best) for term in asked)


def with_details(
    question: str,
    chosen: Sequence[Evidence],
    ranked: Sequence[Evidence],
    asked: Sequence[Term] | None = None,
) -> list[Evidence]:
    """`chosen` with the best sentence's details (the next sentence, when it opens with
    "Demnach" or a label, goes on with the best one's reported speech, or with a
    quotation the best one opened) for a question for content, or with the sentence
    before the best one when the best one leans on it ("Demnach ...", "Die Sorge: ...");
    unchanged otherwise.

    `asked` (the question's words, carried into the article's language) holds back a
    label's, a report's or a quotation's sentence that adds none of them: the best one
    answered already ("How did the two presidents describe their talks?" needs not
    "Man habe sich auf ... verständigt"). "Demnach ..." is always added: the best
    sentence only announces what it details."""
    if not chosen:
        return list(chosen)
    best, rest = chosen[0], list(chosen[1:])
    before, after = neighbours(best, ranked)
    if leans_back(best.text) and before is not None and not is_question(before.text):
        return [before, best, *(item for item in rest if item != before)]
    if after is None or not asks_for_content(question):
        return list(chosen)
    goes_on = _LABEL.search(after.text) or reports_on(after.text) or runs_on(best.text, after.text)
    if gives_details(after.text) or (
        goes_on and (asked is None or adds_asked(asked, best.text, after.text))
    ):
        return [best, after, *(item for item in rest if item != after)]
    return list(chosen)
