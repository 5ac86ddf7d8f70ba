"""A thing given another nation's (or kind's) adjective than its source gives it.

The 1.5B model carries an adjective of the question into its answer: asked "What did
the Russian parliament decide?", it wrote "The Russian parliament approved ... the
death penalty", citing "The Belarusian parliament approved ...". Every name of the
answer occurs in the question or the source, so the name check passes; what is wrong is
the pairing. Here a noun the source qualifies with one adjective, and never with the
answer's, is a swap: "Russian parliament" against "Belarusian parliament".

Adjectives are told by form, no tagger being available offline: English nationalities
are capitalised and end like one (Russian, Belarusian, Ukrainian, European, Chinese,
Polish, Western); German ones, and other German relational adjectives, end in -isch
(russischen, belarussische, militärische). An answer is compared with the adjectives of
its own language in the source (an English answer with a checked English rendering, a
German one with the German sentence). A noun is either of the next two words, so "the
Russian lower house" pairs "Russian" with "house" too; a nation named right after the
noun backs its adjective ("the armed forces of the Republic of Belarus").
"""

from __future__ import annotations

import re

from index.text.names import same_name
from index.text.tokens import fold, stem, words

_ENGLISH_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:ian|ean|an|ese|ish|ic|ern)")
_GERMAN_ADJECTIVE = re.compile(r"[a-zäöüß]+isch(?:e|en|er|es|em)?")
_REACH = 2  # a noun is one of the next two words after its adjective
_OF_REACH = 6  # "the armed forces of the Republic of Belarus": the nation after the noun


def _adjective_key(word: str, language: str) -> str | None:
    """The adjective's comparable form (inflection dropped), or None for no adjective of
    `language` ('en' or 'de': an English answer is compared with English adjectives of
    its source, a German one with German adjectives)."""
    if language == "en" and _ENGLISH_ADJECTIVE.fullmatch(word):
        return fold(word)
    if language == "de" and _GERMAN_ADJECTIVE.fullmatch(word):
        return re.sub(r"isch(?:e|en|er|es|em)?$", "isch", fold(word))
    return None


def _noun_key(word: str) -> str:
    folded = fold(word)
    return stem(folded[:-1] if folded.endswith("s") and len(folded) > 4 else folded)


def qualified_nouns(text: str, language: str) -> set[tuple[str, str]]:
    """(adjective, noun) keys for each adjective of `language` and each of the next
    `_REACH` words."""
    found = words(text)
    pairs = set()
    for position, word in enumerate(found):
        adjective = _adjective_key(word, language)
        if adjective is None:
            continue
        for following in found[position + 1 : position + 1 + _REACH]:
            if _adjective_key(following, language) is None:
                pairs.add((adjective, _noun_key(following)))
    return pairs


def _named_after(noun: str, adjective: str, source_words: list[str]) -> bool:
    """True when the source names the adjective's nation shortly after the noun ("the
    armed forces of the Republic of Belarus" for "the Belarusian armed forces")."""
    return any(
        _noun_key(word) == noun
        and any(
            later[:1].isupper() and same_name(later, adjective)
            for later in source_words[position + 1 : position + 1 + _OF_REACH]
        )
        for position, word in enumerate(source_words)
    )


def swapped_adjectives(answer: str, source: str, language: str) -> list[tuple[str, str, str]]:
    """(answer's adjective, noun, source's adjective) for each noun the answer qualifies
    with an adjective the source never gives it, while the source gives it another (and
    names no nation of the answer's adjective right after it)."""
    given = qualified_nouns(source, language)
    source_words = words(source)
    by_noun: dict[str, set[str]] = {}
    for adjective, noun in given:
        by_noun.setdefault(noun, set()).add(adjective)
    swaps = []
    for adjective, noun in sorted(qualified_nouns(answer, language)):
        others = by_noun.get(noun, set())
        if others and adjective not in others and not _named_after(noun, adjective, source_words):
            swaps.append((adjective, noun, sorted(others)[0]))
    return swaps
