"""Words, folding and stemming: the token layer every other text helper builds on.

Pure functions; the only dependency is PyStemmer's Snowball stemmer (C, no data files;
the same stems as NLTK's Snowball port, which the lexical index was built with).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

# Function words seen often in questions; used as BM25 stop words and as a weak language
# signal. Small on purpose: content words must never be dropped.
GERMAN_WORDS = frozenset(
    "der die das den dem des ein eine einer eines einem einen und oder aber nicht kein keine "
    "ist sind war waren wird werden wurde wurden hat haben hatte hatten sei seien ich du er "
    "sie es wir ihr mit von zu zum zur im in auf für über unter bei nach vor aus wie was wer "
    "wen wem wessen warum wieso weshalb wann wo woher wohin welche welcher welches welchen "
    "denn auch noch schon nur sehr dass ob sich man dieser diese dieses als am beim ins vom "
    "bis tritt gibt laut sagt meint".split()
)
ENGLISH_WORDS = frozenset(
    "the a an and or but not no is are was were will would be been being has have had do "
    "does did i you he she it we they with of to in on for about under at after before from "
    "how what who whom whose why when where which this that these those than also only very "
    "there their his her its say says said think thinks according can could should into".split()
)
FUNCTION_WORDS = GERMAN_WORDS | ENGLISH_WORDS


def fold(text: str) -> str:
    """Lower case, umlauts spelled out (ä -> ae), other accents removed."""
    lowered = text.lower().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def snowball(language: str) -> Callable[[str], str]:
    """The Snowball stemmer of `language` ("german", "english"): a word to its stem.

    PyStemmer 2.2 (pinned): its stems equal NLTK's Snowball port's, which every lexical
    index so far was built with (tests/test_tokens.py compares them). Its stemmer objects
    are not thread-safe, so each thread gets its own (made in microseconds).
    """
    import Stemmer

    if language not in Stemmer.algorithms():
        raise ValueError(f"no Snowball stemmer for {language!r}; known: {Stemmer.algorithms()}")
    local = threading.local()

    def stem_word(word: str) -> str:
        stemmer = getattr(local, "stemmer", None)
        if stemmer is None:
            stemmer = local.stemmer = Stemmer.Stemmer(language)
            stemmer.maxCacheSize = 0  # the callers cache (lru_cache)
        return str(stemmer.stemWord(word))

    return stem_word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The German Snowball stem of a folded word."""
    return snowball("german")(word)


def words(text: str) -> list[str]:
    """The words of a text, in order, as written."""
    return _WORD.findall(text)


def tokens(text: str) -> list[str]:
    """BM25 tokens: folded, stemmed words without the commonest function words.

    Compounds joined by hyphens also yield their parts ("Russland-Expertin" gives
    "russland-expertin", "russland", "expertin").
    """
    result = []
    for word in words(text):
        folded = fold(word)
        parts = [folded] + (folded.split("-") if "-" in folded else [])
        for part in parts:
            if part and part not in FUNCTION_WORDS:
                result.append(stem(part))
    return result
