"""Eval's own small text helpers: citation markers, a tiny tokenizer, a language detector.

Written for the evaluation and sharing no code with the product (no `index.lexical`, no
lingua), so that the product is not graded by its own tools.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

READER_LANGUAGES = ("de", "en")

_MARKERS = re.compile(r"\s*\[\d+\]")
_THOUSANDS = re.compile(r"(?<=\d)[.,'](?=\d{3}(?!\d))")
_WORD = re.compile(r"\w+")
# Function words of both languages and the reporting words an answer wraps quotes in
# ("Laut Artikel:", "The article says"); none of them carries a claim.
STOPWORDS = frozenset(
    """
der die das den dem des ein eine einen einem einer eines und oder aber auch als am an auf
aus bei bis da dass zu zum zur im in ist sind war waren wird werden wurde hat habe haben
hatte hatten sei seien er sie es wir man sich mit nach von vor für über um so wie wer was
noch nun schon sehr dieser diese dieses diesem dann denn doch nur laut artikel sagt sagte
meint heißt hieß
the a an and or but also as at on in into of to for from by with is are was were be been
being has have had it its he she they we his her their this that these those there then so
than which who whom what how when where will would could should can may might do does did
article said according states stated
""".split()
)
_SUFFIXES = ("ungen", "ung", "ing", "en", "er", "es", "ed", "em", "e", "s", "n")


def strip_markers(text: str) -> str:
    """The text without citation markers like " [1]" or "[2][3]"."""
    return _MARKERS.sub("", text)


def words(text: str) -> list[str]:
    """Case-folded words; thousands separators dropped so "9.000" and "9,000" read 9000."""
    return _WORD.findall(_THOUSANDS.sub("", text).casefold())


def _cut(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def stem(word: str) -> str:
    """A crude stem: up to two common German or English endings cut, 4 letters kept.

    Two passes make "soldiers" and "soldier" (and "Soldaten") meet; numbers stay whole.
    """
    return word if word.isdigit() else _cut(_cut(word))


def content_tokens(text: str) -> set[str]:
    """The stemmed content words of a text (function and reporting words left out)."""
    return {stem(word) for word in words(text) if word not in STOPWORDS}


def token_overlap(sentence: str, cited: list[str] | tuple[str, ...]) -> float:
    """Share of the sentence's content tokens found in any of the cited texts.

    A sentence without content tokens has nothing to check and scores 1.0.
    """
    wanted = content_tokens(sentence)
    if not wanted:
        return 1.0
    available: set[str] = set()
    for text in cited:
        available |= content_tokens(text)
    return len(wanted & available) / len(wanted)


Detector = Callable[[str], str]
"""Says which reader language ("de" or "en") a text is written in."""


@cache
def _identifier() -> Any:
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError as error:
        raise RuntimeError(
            "language_match needs py3langid: pip install 'py3langid>=0.3,<0.4'"
        ) from error
    identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(READER_LANGUAGES))
    return identifier


def detect_language(text: str) -> str:
    """The language ("de" or "en") a reader meets in `text` (py3langid, limited to both).

    Citation markers are stripped first; quotes stay, since the reader reads them too.
    Raises ValueError for a text without a letter.
    """
    plain = strip_markers(text)
    if not re.search(r"[^\W\d_]", plain):
        raise ValueError(f"cannot tell the language of a text without letters: {text!r}")
    language, _ = _identifier().classify(plain)
    return str(language)
