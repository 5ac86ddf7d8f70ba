"""Numbers in text: digits in German and English spelling, and spelled-out number words.

9000, 9.000 and 9,000 are one number; "drei" and "three" are 3. The one number reader
for refusal rules, the verifier and rendering checks.
"""

from __future__ import annotations

import itertools
import re

from index.text.tokens import fold, words

_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d{3})*(?:[.,]\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f]\d{3})+")
NUMBER_WORDS = {
    "null": "0",
    "zero": "0",
    "ein": "1",
    "eine": "1",
    "einer": "1",
    "einem": "1",
    "einen": "1",
    "eins": "1",
    "one": "1",
    "zwei": "2",
    "two": "2",
    "drei": "3",
    "three": "3",
    "vier": "4",
    "four": "4",
    "fuenf": "5",
    "five": "5",
    "sechs": "6",
    "six": "6",
    "sieben": "7",
    "seven": "7",
    "acht": "8",
    "eight": "8",
    "neun": "9",
    "nine": "9",
    "zehn": "10",
    "ten": "10",
    "elf": "11",
    "eleven": "11",
    "zwoelf": "12",
    "twelve": "12",
    "beide": "2",
    "beiden": "2",
    "beider": "2",
    "both": "2",
    "zwanzig": "20",
    "twenty": "20",
    "dreissig": "30",
    "thirty": "30",
    "hundert": "100",
    "hundred": "100",
    "tausend": "1000",
    "thousand": "1000",
    "million": "1000000",
    "millionen": "1000000",
    "milliarde": "1000000000",
    "milliarden": "1000000000",
    "billion": "1000000000",
}
# "one"/"ein" are mostly articles ("one of the", "ein Besuch"), and an answer's "both"
# mostly joins two named things ("both Putin and Lukashenko"): not claimed numbers.
_CLAIMED_WORDS = frozenset(
    word for word, value in NUMBER_WORDS.items() if value != "1" and word != "both"
)
# Words that state an amount without a digit ("half", "a dozen").
QUANTITY_WORDS = frozenset("half dozen halb haelfte dutzend".split())


def normalise_number(raw: str) -> str:
    """One spelling per number: thousands separators dropped, decimal comma as a point."""
    if _THOUSANDS.fullmatch(raw):
        return re.sub(r"\D", "", raw)
    value = raw.replace(",", ".")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value.lstrip("0") or "0"


def digits_in(text: str) -> set[str]:
    """The normalised numbers written with digits."""
    return {normalise_number(raw) for raw in _NUMBER.findall(text)}


def numbers_in(text: str, with_words: bool = False) -> set[str]:
    """The normalised numbers of a text; with_words adds spelled-out ones ("drei" -> 3)."""
    found = digits_in(text)
    if with_words:
        found |= {
            NUMBER_WORDS[w] for w in (fold(word) for word in words(text)) if w in NUMBER_WORDS
        }
    return found


def claimed_numbers(text: str, with_both: bool = False) -> set[str]:
    """The numbers a sentence states, digits or words ("three days" gives 3; "one" not).

    with_both counts "both" as 2: in a translation it renders "beide", so a "both" the
    source lacks adds a number ("both data and facts" for "Daten und Fakten").
    """
    claimed = (_CLAIMED_WORDS | {"both"}) if with_both else _CLAIMED_WORDS
    return digits_in(text) | {
        NUMBER_WORDS[w] for w in (fold(word) for word in words(text)) if w in claimed
    }


# Nouns of measure: a number before one is an amount ("two years"), not a count of things
# a question already named ("the two leaders").
_MEASURES = re.compile(
    r"(year|month|week|day|hour|minute|decade|time|percent|euro|dollar|rouble|ruble|"
    r"kilomet|metre|meter|mile|ton|jahr|monat|woche|tag|stunde|minute|jahrzehnt|mal|"
    r"prozent|rubel)\w*",
    re.IGNORECASE,
)


def named_counts(text: str) -> set[tuple[str, str]]:
    """(number, folded noun) for each spelled-out number before a word that is no measure:
    "the two leaders" -> ("2", "leaders"); "two years" and "9000 soldiers" give none
    (an amount, and digits, are claims of their own)."""
    found = [fold(word) for word in words(text)]
    return {
        (NUMBER_WORDS[word], noun)
        for word, noun in itertools.pairwise(found)
        if word in _CLAIMED_WORDS and not _MEASURES.fullmatch(noun)
    }


def has_quantity(text: str) -> bool:
    """True when a text states an amount: a number, a number word or "half"/"dozen"."""
    folded = {fold(word) for word in words(text)}
    return bool(claimed_numbers(text) or folded & QUANTITY_WORDS)
