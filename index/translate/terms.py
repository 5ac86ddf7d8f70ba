"""The question's content words, carried into the article's language: a lexical signal
for questions asked in another language than the article's.

An English question and a German article share few words ("aircrews" vs
"Flugzeugbesatzungen"), so BM25 and word overlap see nothing. Each content word of the
question becomes a Term: its German equivalents from the Ding dictionary (and the word
itself, for names and shared words), as folded German stems. A term matches a text when
one of its stems is a word's stem or, for stems of five letters or more, part of a word,
which catches German compounds ("besatzung" in "flugzeugbesatzungen"); a stem of four
letters matches the end of a compound of five more ("waff" in "nuklearwaffen").

Why by hand: no offline library translates queries; the dictionary lookup is the only
German-English resource available (../shared/MODELS.md).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from index.text.names import mentions
from index.text.tokens import ENGLISH_WORDS, FUNCTION_WORDS, GERMAN_WORDS, fold, stem, words

# Question words and fillers that carry no content of their own.
_QUESTION_WORDS = frozenset(
    "how many much what which who whom whose why when where does did do is are was were "
    "according article say says said tell told mention mentioned give given kind sort way "
    "welche welcher welches welchen wie viele was wer wann wo warum laut artikel nennt "
    "genannt steht heißt heisst".split()
)
_MIN_PART = 5  # shortest stem that may match inside a compound
_MIN_TAIL = 4  # shortest stem that may match as the last part of a compound
_ZU_INFINITIVE = re.compile(r"(\w{2,}?)zu(\w{3,}en)")  # einzutreten -> eintreten


class Lexicon(Protocol):
    """An English-to-German word list (index.translate.dictionary.Dictionary)."""

    def german_for(self, phrase: str, limit: int = 4) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Term:
    """One content word of the question and its words and stems in the article's language."""

    word: str
    forms: tuple[str, ...]  # as the dictionary gives them ("Flugzeugbesatzung")
    stems: tuple[str, ...]  # folded and stemmed, for matching ("flugzeugbesatz")


def content_words(question: str, language: str) -> list[str]:
    """The question's words that carry content: no function or question words of its
    language (English "war" is content, German "war" is not)."""
    stop = (
        ENGLISH_WORDS
        if language == "en"
        else GERMAN_WORDS
        if language == "de"
        else (FUNCTION_WORDS)
    )
    return [
        word
        for word in words(question)
        if fold(word) not in stop and fold(word) not in _QUESTION_WORDS and not word.isdigit()
    ]


def _stems(word: str) -> list[str]:
    return [stem(fold(part)) for part in word.split() if fold(part) not in FUNCTION_WORDS]


class TermExtractor:
    """Question -> Terms in the article's language (German articles, German or English
    questions; other pairs keep the question's own words)."""

    def __init__(self, lexicon: Lexicon | None, senses: int = 4) -> None:
        self.lexicon = lexicon
        self.senses = senses

    def terms(self, question: str, language: str, article_language: str = "de") -> list[Term]:
        """The question's content words with their stems in `article_language`."""
        found = content_words(question, language)
        lexicon = self.lexicon if language == "en" and article_language == "de" else None
        phrases: dict[str, list[str]] = {}  # "interest rate" -> Zinssatz, for both words
        if lexicon is not None:
            for first, second in itertools.pairwise(found):
                for german in lexicon.german_for(f"{first} {second}".lower(), 2):
                    for word in (first, second):
                        phrases.setdefault(word, []).append(german)
        result = []
        for word in dict.fromkeys(found):
            forms = list(phrases.get(word, ()))
            if lexicon is not None:
                forms += lexicon.german_for(word.lower(), self.senses)
            if not forms or word[:1].isupper():  # names and words the dictionary lacks
                forms.append(word)
            stems = {part for form in forms for part in _stems(form) if part}
            result.append(Term(word, tuple(dict.fromkeys(forms)), tuple(sorted(stems))))
        return result

    def query(self, question: str, language: str, article_language: str = "de") -> str:
        """A BM25 query in `article_language`: the German words of every term."""
        return " ".join(
            dict.fromkeys(
                form
                for term in self.terms(question, language, article_language)
                for form in term.forms
            )
        )


_UMLAUT = re.compile(r"([aou])e")


def _plain(folded: str) -> str:
    """A folded stem without its umlauts ("kaempf" -> "kampf"): a plural or a verb form
    with an umlaut is the same word as the dictionary's form without one (Kämpfe, Kampf)."""
    return _UMLAUT.sub(r"\1", folded)


def _matches(term: Term, text_stems: set[str], plain: set[str], text: str) -> bool:
    """`plain` holds the text's stems without umlauts (`_plain`)."""
    for wanted in term.stems:
        if wanted in text_stems or _plain(wanted) in plain:
            return True
        if len(wanted) >= _MIN_PART and any(wanted in word for word in text_stems):
            return True
        # a shorter stem may still end a compound, whose last part is its head word
        # ("waff" in "nuklearwaff", Nuklearwaffen = nuclear weapons)
        if len(wanted) >= _MIN_TAIL and any(
            word.endswith(wanted) and len(word) >= len(wanted) + _MIN_PART for word in text_stems
        ):
            return True
    return term.word[:1].isupper() and mentions(text, term.word)


def coverage(terms: Sequence[Term], text: str) -> float:
    """The share of terms that `text` matches (0.0 when there are no terms)."""
    if not terms:
        return 0.0
    text_stems = {stem(fold(word)) for word in words(text)}
    text_stems |= {
        stem(_ZU_INFINITIVE.sub(r"\1\2", fold(word)))
        for word in words(text)
        if _ZU_INFINITIVE.fullmatch(fold(word))
    }
    plain = {_plain(word) for word in text_stems}
    return sum(_matches(term, text_stems, plain, text) for term in terms) / len(terms)
