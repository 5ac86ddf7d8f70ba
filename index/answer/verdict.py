"""The verdict of a yes/no question, from the polarity of the sentence that answers it.

Only "No" is ever derived: when the best sentence negates what an unnegated question
asks ("Does Belarus enter the war?" against "... bestritt ..., in den Krieg
einzutreten"). An unnegated sentence is not evidence for "Yes": on the dev set most
such sentences were about something near the question, so the answer then simply
states what the article says. Nor is it evidence for "No" against a negated question
("Is he right that nobody can tear them apart?"). A negation that only sets something
apart ("Die Regierung sei der wichtigste Verbündete ..., nicht aber die Bevölkerung")
denies the question only when the question asks about what is set apart ("Is the
population on Russia's side?"; not "Is the government Russia's ally?"): a word of the
question, carried into German, is found there and not in the rest of the sentence.
Likewise for a sentence that turns from a negated clause to an affirmed one ("Lange hat
Putin Auslandsreisen gemieden, nun ist er ... nach Minsk gereist"): "No" only when the
negated clauses hold more of the question's words than the affirmed ones ("Did Putin
travel abroad often?"; not "Is Putin planning to visit Minsk again?"). Any "No" also
needs one of the question's content words beyond its names in the sentence: a denial of
something else is no answer ("Did they sign a treaty?" is not denied by "... kein
Interesse, Belarus einzuverleiben"; "Will Belarus get nuclear weapons?" not by "zwar
militärische Fragen ..., aber ... deute darauf wenig hin").
"""

from __future__ import annotations

from index.text.polarity import (
    asks_about_opposing,
    conceded,
    contrasted_clauses,
    is_negated,
    is_question,
    is_yes_no_question,
    negates_its_claim,
    set_apart,
)
from index.translate.terms import TermExtractor, coverage
from index.types import Evidence

# A denying sentence this close to the question (cosine) is about what it asks even
# without a word of it: paraphrases ("annektieren" / "einverleiben", 0.58; "Kämpft
# Belarus mit eigenen Truppen ...?" / "In die Kämpfe ... mischte sich Minsk nicht ein",
# 0.55), where denials of something else came at 0.44-0.45 in the same probe.
ABOUT_SIMILARITY = 0.5


def verdict(
    question: str,
    best: Evidence,
    terms: TermExtractor | None = None,
    language: str = "en",
    close: float | None = ABOUT_SIMILARITY,
) -> str | None:
    """'no' when the best sentence denies what a yes/no question asks; None otherwise.

    `terms` carries the question's words into German (None: a sentence that only sets
    something apart gives no verdict); `language` is the question's. A denying sentence
    at cosine `close` or more is about what is asked even without its words; None asks
    for its words always (the stricter test of an LLM's own "No").
    """
    found = _denial(question, best, terms, language)
    if found and not _about_what_is_asked(question, best, terms, language, close):
        return None  # a denial of something else
    return found


def _denial(
    question: str, best: Evidence, terms: TermExtractor | None, language: str
) -> str | None:
    """'no' when the sentence's polarity denies the yes/no question (see the module)."""
    if not is_yes_no_question(question) or is_question(best.text) or is_negated(question):
        return None
    if asks_about_opposing(question):
        return None  # "Is the population against his course?": a denial would mean "yes"
    clauses = contrasted_clauses(best.text)
    negated = [clause for clause in clauses if negates_its_claim(clause)]
    if negated and len(negated) < len(clauses):  # a turn from "no" to "yes" or back
        if terms is None:
            return None
        asked = terms.terms(question, language)
        said_yes = " ".join(clause for clause in clauses if clause not in negated)
        no_share, yes_share = coverage(asked, " ".join(negated)), coverage(asked, said_yes)
        if no_share == yes_share and clauses[-1] in negated and conceded(best.text):
            # "zwar X, aber nicht Y": the point is after the "aber"; only a question more
            # about the conceded X gets no "No"
            return "no"
        return "no" if no_share > yes_share else None
    if negates_its_claim(best.text):
        return "no"
    parts = set_apart(best.text)
    if parts is None or terms is None:
        return None
    affirmed, excluded = parts
    asked = terms.terms(question, language)
    if any(coverage([t], excluded) and not coverage([t], affirmed) for t in asked):
        return "no"
    return None


def _about_what_is_asked(
    question: str,
    best: Evidence,
    terms: TermExtractor | None,
    language: str,
    close: float | None,
) -> bool:
    """True when the sentence is close to the question (cosine `close` or more, when
    given) or holds one of its content words that are no names (carried into German), or the
    question has none: a denial of something else is no answer. "Did Putin and
    Lukashenko sign a treaty?" against "Putin bekräftigte ..., er habe "kein Interesse"
    daran, das Nachbarland Belarus einzuverleiben" (cosine 0.44) is about neither
    signing nor a treaty; "Will Putin Belarus annektieren?" against the same sentence
    (0.58) shares no word with it yet asks what it denies. Without `terms` every denial
    counts, as before."""
    if terms is None or (close is not None and best.similarity >= close):
        return True
    asked = [term for term in terms.terms(question, language) if not term.word[:1].isupper()]
    return not asked or coverage(asked, best.text) > 0
