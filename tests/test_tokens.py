"""The stemmer: PyStemmer's Snowball stems equal NLTK's Snowball port's.

Every lexical index so far was built with NLTK's stems; a stemmer that stems one word
differently would miss it in an index built before (PyStemmer 3.x implements Snowball 3,
whose German stems 12% of words differently). NLTK stays installed for Punkt, the
ingest's sentence splitter, so this compares the two on the article, every question and
translation-set sentence, and words chosen for the German rules (umlauts spelled out,
-ern/-em/-est endings, "nisse", "ung", compounds).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.retrieve.analyzers import analyze
from index.text.tokens import fold, snowball, stem, tokens, words

ROOT = Path(__file__).resolve().parent.parent
CHOSEN_GERMAN = (
    "kriegseintritt flugzeugbesatzungen ueberbewerten gesetzesverschaerfung "
    "aufmerksamkeiten ergebnisse kleineren schoenstem langsamerest bestritten "
    "russland-expertin moeglichkeiten aeusserst zusammenarbeit staatschefs"
).split()
CHOSEN_ENGLISH = "running generously happiness aircrews denied sanctions agreed".split()


def _vocabulary() -> set[str]:
    texts = [path.read_text(encoding="utf-8") for path in (ROOT / "corpus").glob("*.md")]
    texts += [path.read_text(encoding="utf-8") for path in (ROOT / "eval").rglob("*.jsonl")]
    found = {fold(word) for text in texts for word in words(text)}
    return {part for word in found for part in [word, *word.split("-")] if part}


def test_german_and_english_stems_equal_nltks_snowball_port() -> None:
    from nltk.stem.snowball import EnglishStemmer, GermanStemmer

    vocabulary = _vocabulary()
    assert len(vocabulary) > 1000  # the corpus and the question sets were read
    german, english = GermanStemmer(), EnglishStemmer()
    german_differ = [w for w in [*vocabulary, *CHOSEN_GERMAN] if stem(w) != german.stem(w)]
    english_differ = [
        w for w in [*vocabulary, *CHOSEN_ENGLISH] if snowball("english")(w) != english.stem(w)
    ]
    assert german_differ == [] and english_differ == []


def test_tokens_stem_german_and_english_by_article_language() -> None:
    assert tokens("Die Flugzeugbesatzungen") == ["flugzeugbesatz"]
    assert analyze("The aircrews were trained", "en") == ["aircrew", "train"]
    assert analyze("Les équipages", "fr") == ["les", "equipages"]  # folded, not stemmed


def test_an_unknown_language_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'klingon'"):
        snowball("klingon")
