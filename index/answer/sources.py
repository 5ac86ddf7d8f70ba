"""Whose statement a question asks for: "according to the expert", "laut Putin".

"Does Belarus oppose the war, according to the expert?" is as close to "Manche
Beobachter halten das für eine Finte ..." (what some observers think) as to the expert's
own "Man dürfe nicht vergessen, dass Belarus ... den Krieg befürworte und aktiv
unterstütze." A question that names its source is answered by what that source says: a
sentence that names it ("Gürth", "die Expertin", "Russland-Expertin"), or reported
speech (a verb in Konjunktiv I: "dürfe", "sei") whose section heading or passage names
it ("Expertin: "Reise nicht überbewerten""): a report goes on for sentences after the
one that names its speaker. The source's words are carried into German
like the question's other words (index.translate.terms: expert -> Experte, Expertin).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.translate.terms import Term, TermExtractor, coverage

# "according to the expert", "according to Lisa Gürth", "laut der Expertin", "laut Putin",
# "in the expert's view", "nach Ansicht der Expertin"
_SOURCE = re.compile(
    r"\baccording to (?:the |a )?(?P<according>[\w'’-]+(?: [A-ZÄÖÜ][\w'’-]+)?)"
    r"|\blaut (?:der |dem |des |einer |einem )?(?P<laut>[\w-]+(?: [A-ZÄÖÜ][\w-]+)?)"
    r"|\bin (?:the )?(?P<view>[\w-]+)['’]s? (?:view|opinion|words|assessment|analysis)\b"
    r"|\bnach (?:Ansicht|Einschätzung|Meinung|Worten|Angaben) (?:der |des |von )?"
    r"(?P<nach>[\w-]+(?: [A-ZÄÖÜ][\w-]+)?)",
    re.IGNORECASE,
)
# Konjunktiv I, the mood of reported speech: the forms a report's sentences use most.
_REPORTED_VERB = re.compile(
    r"\b(?:sei|seien|habe|werde|könne|dürfe|müsse|solle|wolle|gebe|gehe|stehe|liege|"
    r"scheine|deute|komme|bleibe)\b",
    re.IGNORECASE,
)


def source_of(question: str) -> str:
    """The source the question names ("the expert" -> "expert"), or ""."""
    found = _SOURCE.search(question)
    if found is None:
        return ""
    return next(group for group in found.groups() if group)


def source_terms(question: str, language: str, terms: TermExtractor) -> list[Term]:
    """The words of the question's source in the article's language ([] for none)."""
    source = source_of(question)
    return terms.terms(source, language) if source else []


def may_speak_for(source: Sequence[Term], text: str) -> bool:
    """True when the sentence names the source or is reported speech, whose speaker an
    earlier sentence may name."""
    return bool(source) and (coverage(source, text) > 0 or _REPORTED_VERB.search(text) is not None)


def speaks_for(source: Sequence[Term], text: str, context: str) -> bool:
    """True when the sentence is the source's: it names the source, or it is reported
    speech and its `context` (its section heading and passage) names it."""
    if not source:
        return False
    if coverage(source, text) > 0:
        return True
    return _REPORTED_VERB.search(text) is not None and coverage(source, context) > 0
