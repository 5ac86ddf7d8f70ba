"""Topic questions ("What does the article say about oil?"): the topic's words find the sentence.

Such a question is mostly filler ("What does the article say about"), so its embedding
is close to nothing in particular: cosine 0.26 to "Belarus ist ... stark von russischem
Öl ... abhängig" for "oil", under the refusal threshold. The topic is a word or two; a
sentence that holds every one of them (carried into German by the dictionary: oil = Öl,
cosmonauts = Kosmonauten) is what the reader asked for, and the best-scored such
sentence is cited. When no sentence holds them ("... about the weather?", "... about
China?"), the article does not say, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.text.polarity import is_question
from index.translate.terms import TermExtractor, coverage
from index.types import Evidence

_END = r"\s*[?.!]*\s*$"
_TOPIC = re.compile(
    r"^\s*(?:and\s+)?what\s+(?:does|do|did)\s+(?:the\s+|this\s+)?"
    r"(?:article|text|piece|story|report|analysis|author|expert)\s+"
    r"(?:say|write|report|tell(?:\s+us)?|mention|reveal)\s+(?:about|on|regarding)\s+"
    rf"(?P<a>.+?){_END}"
    r"|^\s*(?:and\s+)?what\s+(?:is|was|are|were)\s+(?:said|written|reported|known)\s+"
    rf"(?:about|on|regarding)\s+(?P<b>.+?){_END}"
    rf"|^\s*(?:please\s+)?tell\s+me\s+(?:more\s+)?about\s+(?P<c>.+?){_END}"
    r"|^\s*(?:und\s+)?was\s+(?:steht|sagt|schreibt|berichtet|erzählt|erfährt man)\s+"
    r"(?:(?:der|die|das|im|in\s+dem|in\s+der)\s+)?(?:artikel|text|beitrag|analyse|bericht|"
    r"expertin|experte|autorin|autor)?\s*(?:über|zu|zum|zur|von)\s+"
    rf"(?P<d>.+?){_END}"
    r"|^\s*(?:und\s+)?was\s+(?:wird|wurde|ist)\s+(?:über|zu)\s+(?P<e>.+?)\s+"
    rf"(?:gesagt|geschrieben|berichtet|bekannt){_END}"
    r"|^\s*(?:and\s+)?(?:is there\s+|was there\s+)?(?:anything|something)\s+(?:else\s+)?"
    rf"(?:about|on|regarding)\s+(?P<f>.+?){_END}"
    r"|^\s*(?:und\s+)?(?:gibt es\s+|steht da\s+)?(?:etwas|irgendwas)\s+(?:neues\s+)?"
    rf"(?:über|zu|zum|zur)\s+(?P<g>.+?){_END}",
    re.IGNORECASE,
)
# A sentence the topic's words single out is cited down to this cosine (the threshold of
# other questions is 0.34): the filler, not the sentence, keeps the similarity low.
TOPIC_FLOOR = 0.2


def topic_of(question: str) -> str:
    """The topic of "What does the article say about X?" ("X"); '' for other questions."""
    found = _TOPIC.match(question)
    if found is None:
        return ""
    return next((group for group in found.groups() if group), "")


def anchored_by_topic(
    question: str, language: str, ranked: Sequence[Evidence], terms: TermExtractor | None
) -> list[Evidence]:
    """[the best-scored sentence that holds every word of the question's topic, at least
    TOPIC_FLOOR close] for a topic question; [] otherwise (no terms: no dictionary)."""
    topic = topic_of(question)
    if not topic or terms is None:
        return []
    asked = terms.terms(topic, language)
    if not asked:
        return []
    for item in ranked:
        if item.similarity < TOPIC_FLOOR or is_question(item.text):
            continue
        if coverage(asked, item.text) == 1.0:
            return [item]
    return []
