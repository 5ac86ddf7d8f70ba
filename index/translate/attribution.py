"""A direct quotation and its attribution ('"...", sagt Gürth.'): the weak translator
renders the quotation alone, and the attribution is given in English by rule.

The 1.5B model turns a quoted statement into reported speech and drops parts of it
("Gürth says that ... it was also discussed"); asked for the quotation alone, it renders
a whole sentence, which is what it does best ("Gemeinsam halten wir den Sanktionen
feindlicher Staaten stand." -> "We stand together against the sanctions of enemy
states."). The attribution is a closed form: a verb of saying and its speaker (a name,
or an article and one noun the dictionary renders), or "hieß es" with a weekday. Any
other attribution is left to the translator. The joined rendering is checked like any
other, against the whole sentence.

Why by hand: no offline library parses German attributions; the forms are few.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from index.text.calendar import WEEKDAYS
from index.text.tokens import fold
from index.translate.checks import is_name

Senses = Callable[[str], tuple[str, ...]]  # a German word's English senses; () unknown

# '"Quotation", attribution.' with the quotation's closing punctuation inside or not.
_QUOTED_STATEMENT = re.compile(
    r'^\s*[„"“](?P<quote>[^"„“”]{3,}?)[,.]?\s*[“"”]\s*,\s*(?P<attribution>[^"„“”,]+?)\s*\.?\s*$'
)
_VERBS = {
    "sagt": "says",
    "sagte": "said",
    "meint": "says",
    "meinte": "said",
    "findet": "finds",
    "fand": "found",
    "analysiert": "analyses",
    "analysierte": "analysed",
    "erklärt": "explains",
    "erklärte": "explained",
    "betont": "stresses",
    "betonte": "stressed",
    "schreibt": "writes",
    "schrieb": "wrote",
    "warnt": "warns",
    "warnte": "warned",
}
_ARTICLES = frozenset({"der", "die", "das"})


@dataclass(frozen=True)
class QuotedStatement:
    """A sentence that is a quotation and its attribution."""

    quote: str  # the quotation as a sentence of its own
    attribution: str  # the attribution in English ("Gürth says", "the expert says")

    def joined(self, rendered_quote: str) -> str:
        """The English sentence: the rendered quotation in quotation marks, attributed."""
        body = rendered_quote.strip().strip('"“”„').rstrip(".").strip()
        return f'"{body}," {self.attribution}.'


def quoted_statement(sentence: str, senses: Senses) -> QuotedStatement | None:
    """The quotation and English attribution of '"...", sagt X.'; None for any other
    sentence or an attribution of another form."""
    found = _QUOTED_STATEMENT.match(sentence)
    if found is None:
        return None
    attribution = english_attribution(found.group("attribution"), senses)
    if attribution is None:
        return None
    quote = found.group("quote").strip()
    if not quote.endswith((".", "!", "?")):
        quote += "."
    return QuotedStatement(quote, attribution)


def english_attribution(text: str, senses: Senses) -> str | None:
    """'sagt Gürth' -> 'Gürth says', 'meint die Expertin' -> 'the expert says', 'hieß es
    am Montag' -> 'it was said on Monday'; None for any other form."""
    parts = text.split()
    if [fold(part) for part in parts[:2]] == ["hiess", "es"]:
        rest = [fold(part) for part in parts[2:]]
        if not rest:
            return "it was said"
        if len(rest) == 2 and rest[0] == "am" and rest[1] in WEEKDAYS:
            return f"it was said on {WEEKDAYS[rest[1]]}"
        return None
    if len(parts) < 2 or parts[0].lower() not in _VERBS:
        return None
    verb, speaker = _VERBS[parts[0].lower()], parts[1:]
    if len(speaker) == 2 and speaker[0].lower() in _ARTICLES and speaker[1][:1].isupper():
        meanings = senses(speaker[1])
        if not meanings or meanings[0][:1].isupper() or len(meanings[0].split()) > 2:
            return None
        return f"the {meanings[0]} {verb}"
    if all(word[:1].isupper() and "-" not in word and is_name(word, senses) for word in speaker):
        return f"{' '.join(speaker)} {verb}"
    return None
