"""Which sentence can answer a "where" question, and the place it names, answer first.

"Where did earlier talks between the two leaders take place?" shares its words with
"Die Staatschefs sprachen von ... Gesprächen", which names no place; the sentence that
answers ("Gespräche hatten danach stets in Moskau oder Sotschi stattgefunden") names
one after a preposition. A place is told from a noun with the Ding dictionary: a word
the dictionary renders capitalised (Moskau = Moscow, Ukraine) or does not know (Minsk,
Sotschi), not one it renders as a common noun (Krieg = war, Teppich = carpet). The
answer then opens with the places themselves, copied from the cited sentence in the
reader's spelling ("In Moscow or Sochi.", "In Minsk."), like the value and person leads.
"""

from __future__ import annotations

import re

from index.answer.who import Senses
from index.text.calendar import MONTHS, WEEKDAYS
from index.text.names import mentions, same_name, without_possessive
from index.text.tokens import FUNCTION_WORDS, fold, words
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


# Month and weekday names, German and English (folded)
_CALENDAR = frozenset(
    [*MONTHS, *WEEKDAYS, *(fold(name) for name in [*MONTHS.values(), *WEEKDAYS.values()])]
)


def asks_for_place(question: str) -> bool:
    """True for a question whose answer is a place."""
    return _PLACE_QUESTION.search(question) is not None


def _is_place(word: str, senses: Senses) -> bool:
    """A name (as the rendering checks tell one): not a function word nor a month or a
    weekday ("Im Oktober" is a time; the dictionary renders it capitalised too), and
    rendered capitalised by the dictionary or unknown to it and no compound of a noun."""
    folded = fold(word)
    return (
        folded not in FUNCTION_WORDS
        and folded not in _CALENDAR
        and is_name(word, lambda w: senses(w) or ())
    )


def names_a_new_place(question: str, sentence: str, senses: Senses) -> bool:
    """True when the sentence names a place, after a preposition, that the question does
    not name ("... in Moskau oder Sotschi ..." for "Where did they meet before?")."""
    for found in _PLACE_PHRASE.finditer(sentence):
        word = without_possessive(found.group("word"))
        if _is_place(word, senses) and not mentions(question, word):
            return True
    return False


# A preposition of place and one or more places joined by "oder"/"und"/"or"/"and".
_PLACE_LIST = re.compile(
    r"\b(?P<preposition>(?i:in|im|nach|aus|bei|from|to|at|near))\s+"
    r"(?P<places>[A-ZÄÖÜ][\w'’-]+(?:\s+(?i:oder|und|or|and)\s+[A-ZÄÖÜ][\w'’-]+)*)"
)
_ENGLISH_PREPOSITION = {"in": "In", "im": "In", "nach": "To", "aus": "From", "bei": "Near"}
_ENGLISH_JOIN = {"oder": "or", "und": "and"}


def _english_place(word: str, senses: Senses, rendering: str) -> str:
    """A German place in the reader's spelling: as the rendering spells it, else the
    dictionary's capitalised sense (Moskau = Moscow), else as written (Minsk)."""
    for found in words(rendering):
        if found[:1].isupper() and same_name(found, word):
            return found
    capitalised = [sense for sense in senses(word) or () if sense[:1].isupper()]
    return capitalised[0] if capitalised else word


def _genitive(word: str, senses: Senses) -> bool:
    """A place's German genitive ("Russlands", "Moskaus"): the word less its "s" is a
    place the dictionary renders capitalised (Belarus, Paris: "Belaru", "Pari" are not)."""
    if not word.endswith("s") or len(word) < 4:
        return False
    base = senses(word[:-1]) or ()
    return any(sense[:1].isupper() for sense in base)


def place_lead(
    question: str, sentence: str, language: str, senses: Senses, rendering: str = ""
) -> str:
    """'In Moscow or Sochi' for "Where did they meet before?": the one place phrase of
    the cited sentence that names places the question does not, in the reader's spelling
    (as `rendering`, the sentence's English rendering, spells them); '' when the sentence
    names no such place, or more than one such phrase."""
    if language not in ("en", "de") or not asks_for_place(question):
        return ""
    phrases = []
    for found in _PLACE_LIST.finditer(sentence):
        parts = re.split(r"\s+", found.group("places"))
        places = [without_possessive(word) for word in parts[::2]]
        if not all(_is_place(place, senses) for place in places):
            continue
        if any(_genitive(place, senses) for place in places):
            continue  # "in Russlands ... Einflusssphäre": in Russia's sphere, not in Russia
        if any(mentions(question, place) for place in places):
            continue
        phrases.append((found.group("preposition"), places, parts[1::2]))
    if len(phrases) != 1:
        return ""
    preposition, places, joins = phrases[0]
    if language == "en":
        preposition = _ENGLISH_PREPOSITION.get(preposition.lower(), preposition)
        places = [_english_place(place, senses, rendering) for place in places]
        joins = [_ENGLISH_JOIN.get(join.lower(), join.lower()) for join in joins]
    named = places[0] + "".join(
        f" {join} {place}" for join, place in zip(joins, places[1:], strict=True)
    )
    return f"{preposition[:1].upper()}{preposition[1:]} {named}"
