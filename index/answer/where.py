"""Which sentence can answer a "where" question: one that names a place.

"Where did earlier talks between the two leaders take place?" shares its words with
"Die Staatschefs sprachen von ... Gesprächen", which names no place; the sentence that
answers ("Gespräche hatten danach stets in Moskau oder Sotschi stattgefunden") names
one after a preposition. A place is told from a noun with the Ding dictionary: a word
the dictionary renders capitalised (Moskau = Moscow, Ukraine) or does not know (Minsk,
Sotschi), not one it renders as a common noun (Krieg = war, Teppich = carpet).
"""

from __future__ import annotations

import re

from index.answer.who import Senses
from index.text.names import mentions, without_possessive
from index.text.tokens import FUNCTION_WORDS, fold
from index.translate.checks import is_name

# "Where ...?", "From where ...?", "In which city ...?", "Wo ...?", "Wohin ...?",
# "In welchem Land ...?" (not "Wofür", "Worauf": those ask for other things).
_PLACE_QUESTION = re.compile(
    r"^\s*(?:(?:from|to)\s+)?where\b|^\s*(?:wo|wohin|woher|von wo)\b"
    r"|^\s*(?:in|to|from|at)\s+(?:which|what)\s+(?:city|country|town|place|region|capital)\b"
    r"|^\s*(?:in|nach|aus)\s+welche[mnrs]?\s+(?:stadt|land|ort|region|hauptstadt)\b",
    re.IGNORECASE,
)
# A preposition of place, an optional article, then a capitalised word.
_PLACE_PHRASE = re.compile(
    r"\b(?i:in|im|ins|nach|aus|bei|von|vom|zwischen|from|to|at|near)\s+"
    r"(?:(?i:der|dem|den|die|das|the)\s+)?(?P<word>[A-ZÄÖÜ][\w'’-]+)"
)


def asks_for_place(question: str) -> bool:
    """True for a question whose answer is a place."""
    return _PLACE_QUESTION.search(question) is not None


def _is_place(word: str, senses: Senses) -> bool:
    """A name (as the rendering checks tell one): not a function word, and rendered
    capitalised by the dictionary or unknown to it and no compound of a noun."""
    return fold(word) not in FUNCTION_WORDS and is_name(word, lambda w: senses(w) or ())


def names_a_new_place(question: str, sentence: str, senses: Senses) -> bool:
    """True when the sentence names a place, after a preposition, that the question does
    not name ("... in Moskau oder Sotschi ..." for "Where did they meet before?")."""
    for found in _PLACE_PHRASE.finditer(sentence):
        word = without_possessive(found.group("word"))
        if _is_place(word, senses) and not mentions(question, word):
            return True
    return False
