"""Refusal rules from evidence: when the retrieved sentences cannot answer the question.

The LLM never decides to refuse; these rules do, before any LLM call.
"""

from __future__ import annotations

import re

from index.answer.who import Senses
from index.text.names import mentions, same_name, without_possessive
from index.text.numbers import QUANTITY_WORDS, claimed_numbers
from index.text.tokens import FUNCTION_WORDS, fold, words
from index.translate.checks import is_name

# Questions whose answer must be a quantity or a point in time. When the evidence
# holds no such thing (beyond what the question itself says), the article does not
# answer the question, however similar the sentence is.
_DURATION_QUESTION = re.compile(r"\b(how long|wie lange?)\b", re.IGNORECASE)
_QUANTITY_QUESTION = re.compile(
    r"\b(how (many|much|old|high|large|big|far)|what percentage|"
    r"wie ?(viele?|alt|hoch|gro(ß|ss)|weit)|wieviele?)\b",
    re.IGNORECASE,
)
# "What interest rate ...", "What is the population of ...", "Welchen Zinssatz ...": the
# asked-for thing is itself a measure (one adjective may stand before it).
_MEASURE_QUESTION = re.compile(
    r"\b(?:(?:what|which)(?: is| was| are| were)?(?: the| its| their| his| her)?"
    r"(?: \w+)? (?:rates?|percentages?|share|prices?|population|amount|number|sum|costs?|"
    r"salary|budget)|(?:welche[nmrs]?|was (?:ist|war)|wie hoch (?:ist|war))"
    r"(?: der| die| das| den)?(?: \w+)? (?:zinssatz|zinsen|zins|prozentsatz|anteil|preis|"
    r"einwohnerzahl|bevölkerungszahl|anzahl|zahl|summe|betrag|kosten|budget))\b",
    re.IGNORECASE,
)
_TIME_QUESTION = re.compile(
    r"\b(when|(what|which) (year|date|day|month|weekday)|since when|"
    r"wann|seit wann|in welchem (jahr|monat)|(an )?welche[mnrs]? (tag|wochentag|datum))\b",
    re.IGNORECASE,
)
_TIME_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday year "
    "years month months week weeks day days januar februar märz mai juni juli oktober "
    "dezember montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "jahr jahre jahren jahres monat monate monaten woche wochen tag tage tagen "
    "seit langem anfang ende".split()
)
# Units a duration is counted in ("vor drei Jahren", "for two weeks").
DURATION_UNIT = (
    r"years?|months?|weeks?|days?|hours?|minutes?|decades?|jahr\w*|monat\w*|woche\w*|"
    r"tage?n?|tages|stunden?|minuten?|jahrzehnt\w*"
)
_DURATION_UNITS = re.compile(rf"\b({DURATION_UNIT})\b", re.IGNORECASE)
# A span of time back from now ("vor drei Jahren", "three years ago") dates an event; it
# says how long something lasted only when the question counts back too ("Wie lange ist
# der Besuch her?", "How long ago ...?", "How long has it been since ...?").
_AGO_PHRASE = re.compile(
    rf"\bvor\s+(?:[\w.,]+\s+){{1,2}}?(?:{DURATION_UNIT})\b"
    rf"|\b[\w.,]+\s+(?:{DURATION_UNIT})\s+ago\b",
    re.IGNORECASE,
)
_COUNTS_BACK = re.compile(r"\b(ago|since|her|zurück|seit)\b", re.IGNORECASE)
# "How old ...?" is answered by a number of years, and only by an age ("68 Jahre alt",
# "years old", "68-jährig", "im Alter von"): a year ("2020") is none.
_AGE_QUESTION = re.compile(r"\b(how old|wie alt)\b", re.IGNORECASE)
_AGE = re.compile(
    r"\b(?:jahre?|years?)\s+alt\b|\byears?\s+old\b|jährig|\bim alter von\b|"
    r"\bat the age of\b|\baged\s+\d",
    re.IGNORECASE,
)
# "die beiden", "both": the two things already named, not a counted answer.
_BOTH = re.compile(r"\b(beide[mnrs]?|both)\b", re.IGNORECASE)
# What a quantity question counts: the (up to three) words after "how many".
_COUNTED = re.compile(r"\b(?:how many|wie ?viele?|wieviele?)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I)
# A duration unit's family, by its folded English or German stem.
_UNIT_FAMILIES = (
    ("decade", "jahrzehnt"),
    ("year", "jahr"),
    ("month", "monat"),
    ("week", "woche"),
    ("day", "tag"),
    ("hour", "stunde"),
    ("minute", "minute"),
)
# A nationality-like adjective: English, capitalised in -an, -ese, -ish, -i (Russian,
# Belarusian, Chinese, Polish, Israeli); German, lower-case in -sch (russische,
# belarussischen, deutschen).
_NATIONALITY = re.compile(r"^([A-Z][a-z]+(an|ese|ish|i)|[a-zäöüß]+sch(e[mnrs]?)?)$")
# Countries a question may name as the owner of what it counts ("Wie viele Soldaten hat
# Belarus?"), by folded prefix, German and English.
_COUNTRIES = (
    "russland", "russia", "belarus", "weissrussland", "ukrain", "deutschland", "germany",
    "frankreich", "france", "polen", "poland", "litauen", "lithuania", "china", "usa",
    "amerika", "america",
)  # fmt: skip


# A follow-up read with the question before it, "Und von wem? (Wann wurde ... ?)" (see
# index.answer.followup): the kind asked for is the follow-up's, not the earlier one's.
_EARLIER_QUESTION = re.compile(r"\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*$")


# Question words: a kind's phrase after another one is a clause of that question ("Who
# welcomed Putin when he arrived in Minsk?" asks for a person, not a time).
_QUESTION_WORD = re.compile(
    r"\b(?:who|whom|whose|what|which|where|why|how|wer|wen|wem|wessen|was|wo|wohin|woher|"
    r"warum|wieso|weshalb|welche[mnrs]?|wie)\b",
    re.IGNORECASE,
)


def _asks(pattern: re.Pattern[str], question: str) -> bool:
    """True when `pattern` finds the question's first question phrase."""
    found = pattern.search(question)
    return found is not None and not _QUESTION_WORD.search(question[: found.start()])


def expected_answer_kind(question: str) -> str:
    """'duration', 'quantity', 'time' or '' for the kind of answer a question asks for
    (of a follow-up read with the question before it in parentheses, the follow-up's)."""
    question = _EARLIER_QUESTION.sub("", question) or question
    if _asks(_DURATION_QUESTION, question):
        return "duration"
    if _asks(_QUANTITY_QUESTION, question) or _asks(_MEASURE_QUESTION, question):
        return "quantity"
    if _asks(_TIME_QUESTION, question):
        return "time"
    return ""


def _amounts(text: str) -> set[str]:
    """Numbers (digits or words) and amount words ("half") of a text; "both" is none."""
    text = _BOTH.sub(" ", text)
    return claimed_numbers(text) | ({fold(word) for word in words(text)} & QUANTITY_WORDS)


def _unit_family(word: str) -> str:
    """'day', 'year', ... for a duration unit word (Tagen, years); '' for any other word
    (Tagung, Tagesschau)."""
    if not _DURATION_UNITS.fullmatch(word):
        return ""
    folded = fold(word)
    return next(
        (english for english, german in _UNIT_FAMILIES if folded.startswith((english, german))),
        "",
    )


def _qualifiers(phrase: str) -> list[str]:
    """The nationality-like adjectives of a short phrase ("Belarusian", "russische")."""
    return [word for word in words(phrase) if _NATIONALITY.match(word)]


def _counts_something_else(question: str, evidence: str) -> bool:
    """True when every number of the evidence counts another thing than the question does.

    Two kinds, both near-topic unanswerables: another unit ("how many days" against
    "seit drei Jahren") and another group ("how many Belarusian soldiers" or "Wie viele
    Soldaten hat Belarus?" against "9000 russische Soldaten": the adjective before the
    counted noun names another nation than the question does).
    """
    counted = _COUNTED.search(question)
    if counted is None:
        return False
    phrase = counted.group(1)
    unit = _unit_family(words(phrase)[0])
    if unit:
        return not any(_unit_family(word) == unit for word in words(evidence))
    # the counted noun's own adjective ("how many Belarusian soldiers"), else the
    # countries the question names as its owner ("How many soldiers does Belarus have?")
    asked = _qualifiers(phrase) or [
        word for word in words(question) if word[:1].isupper() and fold(word).startswith(_COUNTRIES)
    ]
    if not asked:
        return False
    tokens = evidence.split()
    stated = [
        " ".join(tokens[position + 1 : position + 4])
        for position, token in enumerate(tokens)
        if claimed_numbers(token) - _amounts(question)
    ]
    if not stated:
        return False
    return all(
        (found := _qualifiers(following)) and not any(same_name(a, b) for a in asked for b in found)
        for following in stated
    )


# A count asked for as it stands now, and one the evidence only holds possible: "Wie viele
# russische Soldaten sind derzeit in Belarus stationiert?" is not answered by "Der
# Kampftruppe könnten bis zu 9000 russische Soldaten angehören."
_NOW = re.compile(
    r"\b(derzeit|zurzeit|aktuell|momentan|gegenwärtig|jetzt|currently|presently|now|"
    r"at present|at the moment)\b",
    re.IGNORECASE,
)
_POSSIBLE = re.compile(r"\b(könnte[n]?|würde[n]?|dürfte[n]?|could|might|would)\b", re.IGNORECASE)


def _possible_for_current(question: str, evidence: str) -> bool:
    """True when the question asks how things stand now and the evidence, naming no time
    of its own, holds them only as possible (a modal: könnten, could)."""
    return (
        _NOW.search(question) is not None
        and _POSSIBLE.search(question) is None
        and _POSSIBLE.search(evidence) is not None
        and _NOW.search(evidence) is None
    )


def _counts_only_time(question: str, evidence: str) -> bool:
    """True when every number the evidence adds counts units of time ("seit drei
    Jahren") and the question asks for an amount of something else ("How much oil
    ...?"); a count of time units asked for is `_counts_something_else`'s case."""
    counted = _COUNTED.search(question)
    if _AGE_QUESTION.search(question) or (counted and _unit_family(words(counted.group(1))[0])):
        return False
    tokens = evidence.split()
    counting = [
        " ".join(tokens[position + 1 : position + 3])
        for position, token in enumerate(tokens)
        if claimed_numbers(token) - _amounts(question)
    ]
    return bool(counting) and all(
        any(_unit_family(word) for word in words(following)) for following in counting
    )


def offers_answer_kind(kind: str, question: str, evidence: str) -> bool:
    """Whether `evidence` holds a quantity / time the question does not already contain
    (and, for a count, one of the thing the question counts, as it stands when the
    question asks about now; for a duration, one that is not only a date counted back
    from now)."""
    if not kind:
        return True
    new_numbers = _amounts(evidence) - _amounts(question)
    if kind == "quantity":
        if _AGE_QUESTION.search(question) and not _AGE.search(evidence):
            return False
        return (
            bool(new_numbers)
            and not _counts_something_else(question, evidence)
            and not _counts_only_time(question, evidence)
            and not _possible_for_current(question, evidence)
        )
    if kind == "duration":  # a number of years, weeks ...; or "seit" + a point in time
        if not _COUNTS_BACK.search(question):
            evidence = _AGO_PHRASE.sub(" ", evidence)
            new_numbers = _amounts(evidence) - _amounts(question)
        return bool(new_numbers and _DURATION_UNITS.search(evidence)) or (
            offers_answer_kind("time", question, evidence)
            and re.search(r"\b(seit|since)\b", evidence, re.IGNORECASE) is not None
        )
    found = {word.lower() for word in words(evidence)} - {w.lower() for w in words(question)}
    return bool(new_numbers or found & _TIME_WORDS)


_NOT_NAMES = frozenset(
    "i monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december german english "
    "mr mrs ms dr".split()
)
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z'’-]+")
_ACRONYM = re.compile(r"\b[A-ZÄÖÜ]{2,}\b")
_GERMAN_CAPITALISED = re.compile(r"\b[A-ZÄÖÜ][\wäöüß'’-]+")


# News names a government by its capital ("Moscow wants ...", "Kyiv fears ...") or its
# seat ("the Kremlin"): it counts as mentioned when the evidence names its country or
# the country's adjective (folded German word prefixes).
CAPITALS: dict[str, tuple[str, ...]] = {
    "moscow": ("russland", "russisch", "kreml"),
    "moskau": ("russland", "russisch", "kreml"),
    "minsk": ("belarus", "weissruss"),
    "kyiv": ("ukrain", "kiew"),
    "kiev": ("ukrain", "kiew"),
    "kiew": ("ukrain",),
    "washington": ("usa", "amerika", "vereinigte staaten"),
    "berlin": ("deutschland", "deutsch", "bundesregierung"),
    "beijing": ("china", "chinesisch"),
    "peking": ("china", "chinesisch"),
    "warsaw": ("polen", "polnisch"),
    "warschau": ("polen", "polnisch"),
    "vilnius": ("litauen", "litauisch"),
    "brussels": ("eu", "europaeische union", "nato"),
    "bruessel": ("eu", "nato"),
    # the seat of a government named for it: "the Kremlin leader" is Russia's, Putin
    "kremlin": ("russland", "russisch", "moskau", "putin"),
    "kreml": ("russland", "russisch", "moskau", "putin"),
}


def _names_country(text: str, name: str) -> bool:
    """True when `name` is a capital and `text` names its country (CAPITALS)."""
    stems = CAPITALS.get(fold(without_possessive(name)), ())
    folded = " " + " ".join(fold(word) for word in words(text))
    return any(f" {stem}" in folded for stem in stems)


def unknown_names(
    question: str, language: str, evidence: str, senses: Senses | None = None
) -> list[str]:
    """Names and acronyms in the question that the evidence never mentions.

    English: capitalised words after the first word ("Zelensky", "NATO"); German, whose
    nouns are all capitalised: acronyms, and with the dictionary (`senses`) the
    capitalised words it renders capitalised or does not know as a noun nor a compound
    of one ("Selenskyj", "Berlin"; not "Treffen", "Agenda", "Kampfeinheit"). English
    and German spellings of a name are one name (index.text.names); a capital stands for
    its country (CAPITALS).
    """
    found = set(_ACRONYM.findall(question))
    pattern, keep = None, None
    if language == "de" and senses is not None:
        pattern, keep = _GERMAN_CAPITALISED, lambda w: is_name(w, lambda x: senses(x) or ())
    elif language == "en":
        pattern, keep = _CAPITALISED, lambda w: fold(w) not in _NOT_NAMES
    if pattern is not None and keep is not None:
        first = words(question)[:1]
        found |= {
            word
            for word in pattern.findall(question)
            if word not in first and fold(word) not in FUNCTION_WORDS and keep(word)
        }
    return sorted(
        name
        for name in found
        if not mentions(evidence, name) and not _names_country(evidence, name)
    )
