"""The answer first: for a "how many", "how long" or "when" question, the value itself,
read from the sentence that answers it, in the reader's language ("Up to 9000.",
"3 years ago.", "On Monday."). The "who" lead is in index.answer.who.

Deterministic on purpose: the value is copied from the cited sentence (digits stay
digits, a few German qualifier and time words have fixed English equivalents), so the
lead can say nothing the sentence does not. When the sentence holds no single clear value
of the asked-for kind, there is no lead and the answer starts with the sentence.
"""

from __future__ import annotations

import re

from index.answer.refusal import DURATION_UNIT
from index.text.calendar import MONTHS, WEEKDAYS
from index.text.numbers import NUMBER_WORDS, claimed_numbers
from index.text.tokens import fold

# German and English qualifiers before a number, with their English and German words.
_QUALIFIERS: dict[str, str] = {  # folded -> English
    "bis zu": "up to",
    "up to": "up to",
    "rund": "about",
    "etwa": "about",
    "ungefaehr": "about",
    "about": "about",
    "around": "around",
    "mehr als": "more than",
    "more than": "more than",
    "ueber": "over",
    "over": "over",
    "knapp": "almost",
    "fast": "almost",
    "almost": "almost",
    "nearly": "nearly",
    "mindestens": "at least",
    "at least": "at least",
    "weniger als": "fewer than",
    "fewer than": "fewer than",
    "less than": "less than",
}
_NUMBER_TOKEN = r"\d+(?:[.,]\d{3})*(?:,\d+)?|[a-zäöüß]+"
_QUANTITY = re.compile(
    r"(?:\b(?P<qualifier>"
    + "|".join(
        sorted(
            {k.replace("ae", "(?:ae|ä)").replace("ue", "(?:ue|ü)") for k in _QUALIFIERS},
            key=len,
            reverse=True,
        )
    )
    + r")\s+)?\b(?P<number>"
    + _NUMBER_TOKEN
    + r")\b",
    re.IGNORECASE,
)
_UNITS: dict[str, str] = {  # folded stem -> English plural
    "jahr": "years",
    "year": "years",
    "monat": "months",
    "month": "months",
    "woche": "weeks",
    "week": "weeks",
    "tag": "days",
    "day": "days",
    "stunde": "hours",
    "hour": "hours",
}
_DURATION = re.compile(
    r"\b(?P<relation>vor|seit|for|since)?\s*\b(?P<number>" + _NUMBER_TOKEN + r")\s+"
    r"(?P<unit>" + DURATION_UNIT + r")"
    r"(?P<ago>\s+ago)?\b",
    re.IGNORECASE,
)
_ASKS_AGO = re.compile(r"\bago\b", re.IGNORECASE)
_NAMES = {**WEEKDAYS, **MONTHS}  # folded German -> English
_ENGLISH_TIME = {english.lower(): english for english in _NAMES.values()}
_TIME = re.compile(r"\b(?P<word>[A-Za-zäöüÄÖÜ]+)\b|\b(?P<year>(?:19|20)\d\d)\b")


def _value(token: str) -> str | None:
    """A number token's value: digits as written, a number word as digits; else None."""
    if token[:1].isdigit():
        return next(iter(claimed_numbers(token)), None)
    value = NUMBER_WORDS.get(fold(token))
    return (
        value
        if value not in (None, "1") and fold(token) not in ("beide", "beiden", "beider")
        else None
    )


def _new_values(question: str, sentence: str) -> set[str]:
    return claimed_numbers(sentence) - claimed_numbers(question)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def quantity_lead(question: str, sentence: str, language: str) -> str:
    """'Up to 9000' when the sentence holds exactly one number the question does not."""
    new = _new_values(question, sentence)
    found = [
        (match, value)
        for match in _QUANTITY.finditer(sentence)
        if (value := _value(match.group("number"))) is not None and value in new
    ]
    if len({value for _, value in found}) != 1:
        return ""
    match, value = found[0]
    if _DURATION.match(sentence, match.start("number")):
        return ""  # "seit drei Jahren" is a duration, not a count of what was asked
    if language == "de":  # the article's own words
        return _capitalised(match.group(0).strip())
    qualifier = match.group("qualifier")
    prefix = _QUALIFIERS.get(fold(qualifier), "") if qualifier else ""
    return _capitalised(f"{prefix} {value}".strip())


def duration_lead(question: str, sentence: str, language: str) -> str:
    """'3 years ago' / 'Vor drei Jahren' for one number of time units in the sentence."""
    found = [
        match
        for match in _DURATION.finditer(sentence)
        if (value := _value(match.group("number"))) is not None
        and value in _new_values(question, sentence)
    ]
    if len(found) != 1:
        return ""
    match = found[0]
    if language == "de":
        return _capitalised(match.group(0).strip())  # the article's own words
    value = _value(match.group("number"))
    unit = next(
        (plural for stem, plural in _UNITS.items() if fold(match.group("unit")).startswith(stem)),
        None,
    )
    if unit is None or value is None:
        return ""
    relation = fold(match.group("relation") or "")
    amount = f"{value} {unit[:-1] if value == '1' else unit}"
    # "How long ago was his last visit?" against "der erste Besuch seit drei Jahren":
    # the time since then is how long ago it was
    if relation == "vor" or match.group("ago") or _ASKS_AGO.search(question):
        return f"{amount} ago".capitalize()
    return f"For {amount}" if relation in ("seit", "for", "since") else amount


def time_lead(question: str, sentence: str, language: str) -> str:
    """'On Monday' / 'In October' / 'In 2020' for one day, month or year the question lacks."""
    asked = {fold(word) for word in re.findall(r"\w+", question)}
    asked |= {_NAMES[word].lower() for word in asked if word in _NAMES}  # Montag -> monday
    found: list[tuple[str, str]] = []
    for match in _TIME.finditer(sentence):
        year, word = match.group("year"), fold(match.group("word") or "")
        if year:
            if year not in asked:
                found.append(("year", year))
            continue
        english = _NAMES.get(word) or (
            _ENGLISH_TIME.get(word) if match.group("word")[:1].isupper() else None
        )
        if english and english.lower() not in asked:
            found.append(("day" if english in WEEKDAYS.values() else "month", english))
    if len(set(found)) != 1:
        return ""
    kind, value = found[0]
    if language == "en":
        return f"On {value}" if kind == "day" else f"In {value}"
    german = {**{v: k for k, v in WEEKDAYS.items()}, **{v: k for k, v in MONTHS.items()}}
    name = _capitalised(german.get(value, value)).replace("Maerz", "März")
    return f"Am {name}" if kind == "day" else f"Im {name}" if kind == "month" else name


def value_lead(kind: str, question: str, sentence: str, language: str) -> str:
    """The value that answers a question of `kind` ('quantity', 'duration', 'time'), or ''."""
    if language not in ("en", "de"):
        return ""
    if kind == "quantity":
        return quantity_lead(question, sentence, language)
    if kind == "duration":
        return duration_lead(question, sentence, language)
    if kind == "time":
        return time_lead(question, sentence, language)
    return ""
