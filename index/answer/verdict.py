"""The verdict of a yes/no question, from the polarity of the sentence that answers it.

Only "No" is ever derived: when the best sentence negates what an unnegated question
asks ("Does Belarus enter the war?" against "... bestritt ..., in den Krieg
einzutreten"). An unnegated sentence is not evidence for "Yes": on the dev set most
such sentences were about something near the question, so the answer then simply
states what the article says. Nor is it evidence for "No" against a negated question
("Is he right that nobody can tear them apart?"), and a negation that only sets
something apart ("..., nicht aber die Bevölkerung") does not deny the rest of the
sentence ("Is the Belarusian government Russia's ally?").
"""

from __future__ import annotations

from index.text.polarity import is_negated, is_question, is_yes_no_question, negates_its_claim
from index.types import Evidence


def verdict(question: str, best: Evidence) -> str | None:
    """'no' when the best sentence denies what a yes/no question asks; None otherwise."""
    if not is_yes_no_question(question) or is_question(best.text):
        return None
    if negates_its_claim(best.text) and not is_negated(question):
        return "no"
    return None
