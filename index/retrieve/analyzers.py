"""BM25 tokens per article language: German and English stemming, plain folding otherwise.

German keeps the project's token layer (`index.text.tokens.tokens`) exactly, so German
retrieval is what it was; English gets the Porter2 (Snowball English) stemmer over the
same folding and stop words. Other languages are folded, not stemmed.
"""

from __future__ import annotations

from functools import lru_cache

from index.text.tokens import FUNCTION_WORDS, fold, snowball, tokens, words

STEMMED_LANGUAGES = ("de", "en")


@lru_cache(maxsize=65536)
def _english_stem(word: str) -> str:
    return snowball("english")(word)


def analyze(text: str, language: str) -> list[str]:
    """The BM25 tokens of `text` written in `language` ("de", "en"; anything else folded)."""
    if language == "de":
        return tokens(text)
    result = []
    for word in words(text):
        folded = fold(word)
        parts = [folded] + (folded.split("-") if "-" in folded else [])
        for part in parts:
            if part and part not in FUNCTION_WORDS:
                result.append(_english_stem(part) if language == "en" else part)
    return result
