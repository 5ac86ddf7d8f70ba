"""The verdict of a yes/no question, from the polarity of the sentence that answers it.

Only "No" is ever derived: when the best sentence's polarity differs from the
question's ("Does Belarus enter the war?" against "... bestritt ..., in den Krieg
einzutreten"). An unnegated sentence is not evidence for "Yes": on the dev set most
such sentences were about something near the question, so the answer then simply
states what the article says.
"""

from __future__ import annotations

from index.text.polarity import is_negated, is_question, is_yes_no_question
from index.types import Evidence


def verdict(question: str, best: Evidence) -> str | None:
    """'no' when the best sentence denies what a yes/no question asks; None otherwise."""
    if not is_yes_no_question(question) or is_question(best.text):
        return None
    if is_negated(best.text) != is_negated(question):
        return "no"
    return None
