"""Which sentence can answer a question for an organisation.

"Für welche Organisation arbeitet die befragte Russland-Expertin?" is as close to the
teaser "Eine Russland-Expertin gibt Antworten ..." as to the sentence that answers it,
"Lisa Gürth ist stellvertretende Leiterin des Russland-Programms bei der
Friedrich-Ebert-Stiftung (FES)."; only the second names an organisation. German names
an organisation by a compound whose last part says what kind it is (-stiftung,
-ministerium, -partei), or by an acronym (FES, NATO, OVKS); a word list, because no
offline tagger tells organisations (../shared/MODELS.md).
"""

from __future__ import annotations

import re

from index.text.names import mentions
from index.text.tokens import fold, words

# "Which organisation ...?", "For what foundation ...?", "Für welche Stiftung ...?",
# "Bei welcher Partei ...?", "In welchem Bündnis ...?"
_ORGANISATION_QUESTION = re.compile(
    r"\b(?:which|what)\s+(?:organi[sz]ation|foundation|institution|institute|party|company|"
    r"agency|alliance|bloc|ministry|newspaper|broadcaster|university|think tank|body)\b"
    r"|\bwelche[mnrs]?\s+(?:organisation|stiftung|institution|institut|partei|firma|"
    r"unternehmen|behörde|bündnis|allianz|ministerium|zeitung|sender|universität|gremium)\b",
    re.IGNORECASE,
)
# The last part of a German compound that names an organisation (folded).
_KINDS = (
    "stiftung",
    "organisation",
    "partei",
    "ministerium",
    "institut",
    "universitaet",
    "verband",
    "agentur",
    "behoerde",
    "kommission",
    "buendnis",
    "allianz",
    "konzern",
    "zeitung",
    "parlament",
    "gericht",
)
_ACRONYM = re.compile(r"^[A-ZÄÖÜ]{2,6}$")


def asks_for_organisation(question: str) -> bool:
    """True for a question whose answer is an organisation."""
    return _ORGANISATION_QUESTION.search(question) is not None


_ENDINGS = ("", "s", "es", "en", "n", "se", "sen")  # Stiftungen, Instituts, Bündnisse


def _organisation(word: str) -> bool:
    if _ACRONYM.match(word):
        return True
    folded = fold(word)
    return word[:1].isupper() and any(
        folded.endswith(kind + ending) for kind in _KINDS for ending in _ENDINGS
    )


def names_an_organisation(question: str, sentence: str) -> bool:
    """True when the sentence names an organisation the question does not name."""
    return any(_organisation(word) and not mentions(question, word) for word in words(sentence))
