"""Folding, stemming, BM25 and language detection."""

from __future__ import annotations

import pytest

from index.lexical import BM25, detect_language, fold, tokens


def test_fold_spells_out_umlauts_and_lowercases() -> None:
    assert fold("Gürth ÄUSSERT Straße") == "guerth aeussert strasse"


def test_tokens_stem_inflections_together_and_split_compounds() -> None:
    assert tokens("Kriegseintritt") == tokens("kriegseintritts")
    assert set(tokens("Russland-Expertin")) >= set(tokens("Expertin")) | set(tokens("Russland"))
    assert "der" not in tokens("der Krieg")


def test_bm25_ranks_the_document_with_rare_shared_terms_first() -> None:
    documents = [tokens("Putin reiste nach Minsk."), tokens("Die Todesstrafe bei Landesverrat."),
                 tokens("Putin und Lukaschenko sprachen.")]
    scores = BM25(documents).scores(tokens("Was gilt bei Landesverrat?"))
    assert scores[1] > 0 and scores[0] == 0 and scores[2] == 0


def test_bm25_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="b=2"):
        BM25([], b=2)


@pytest.mark.parametrize(("text", "language"), [
    ("Does Belarus enter the war?", "en"),
    ("Tritt Belarus in den Krieg ein?", "de"),
    ("Wer ist Lisa Gürth?", "de"),
    ("What does she think about the trip?", "en"),
    ("Warum ist das überraschend?", "de"),
    ("How many soldiers?", "en"),
])
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language
