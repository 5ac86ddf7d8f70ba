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
"""

from __future__ import annotations

from index.text.polarity import (
    is_negated,
    is_question,
    is_yes_no_question,
    negates_its_claim,
    set_apart,
)
from index.translate.terms import TermExtractor, coverage
from index.types import Evidence


def verdict(
    question: str, best: Evidence, terms: TermExtractor | None = None, language: str = "en"
) -> str | None:
    """'no' when the best sentence denies what a yes/no question asks; None otherwise.

    `terms` carries the question's words into German (None: a sentence that only sets
    something apart gives no verdict); `language` is the question's.
    """
    if not is_yes_no_question(question) or is_question(best.text) or is_negated(question):
        return None
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
