"""Names in the reader's spelling: a rendering's nationalities as English spells them.

The LLM often carries a German nationality into English half-way ("belarussischer" ->
"belarussian"): a reader stumbles, and the name check rightly misses "Belarusian". This
deterministic edit runs on every candidate before the checks: each word that is a
near-spelling of a nationality the source names (one letter apart, the same first
letter, case aside, and not a word the form begins with: Russia stays) becomes the
dictionary's English form. It only respells; a rendering that dropped the nationality
still fails the checks.
"""

from __future__ import annotations

import re

from index.text.names import edit_distance
from index.text.tokens import fold, words
from index.translate.checks import Senses, nationality_words

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _respelled(token: str, forms: list[str]) -> str:
    """The English form `token` is a near-spelling of, with a plural kept; else `token`."""
    stem, plural = (token[:-1], "s") if token.endswith("s") and len(token) > 5 else (token, "")
    for candidate, ending in ((token, ""), (stem, plural)):
        for form in forms:
            folded, target = fold(candidate), fold(form)
            if (
                candidate == form
                or len(form) < 5
                or (folded != target and target.startswith(folded))
            ):
                continue  # already right, or another word (Russia is not Russian)
            if folded[:1] == target[:1] and edit_distance(folded, target) <= 1:
                return form + ending
    return token


def reader_spelling(source: str, rendering: str, senses: Senses) -> str:
    """`rendering` with the source's nationalities in their English spelling."""
    forms = [
        form
        for _word, english in nationality_words(source, senses)
        for form in english
        if len(words(form)) == 1
    ]
    if not forms:
        return rendering
    return _WORD.sub(lambda match: _respelled(match.group(0), forms), rendering)
