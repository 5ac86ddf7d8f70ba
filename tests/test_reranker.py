"""A cross-encoder named in NEWSRAG_RERANKER reorders the evidence before a sentence is
chosen; refusal still reads the search cosines."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from index.answer.evidence import reranked
from index.errors import ModelError
from index.models.reranker import load_reranker
from index.settings import load_settings
from index.types import Evidence


def _evidence(start: int, score: float) -> Evidence:
    return Evidence("doc", "", start, start + 5, f"s{start}", score, score, 1)


def test_the_reranker_scores_are_blended_into_the_pool_and_the_rest_sinks() -> None:
    ranked = [_evidence(0, 0.6), _evidence(10, 0.5), _evidence(20, 0.45)]
    found = reranked(ranked, [0.1, 0.9], 0.5)  # the third is outside the pool
    assert [e.start for e in found] == [10, 0, 20]
    assert [e.score for e in found] == pytest.approx([0.7, 0.35, 0.225])
    assert [e.similarity for e in found] == [0.5, 0.6, 0.45]  # refusal reads these


class _PrefersCosts:
    """Reads 'Kosten' sentences as the answer to anything; records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []

    def scores(self, question: str, texts: Sequence[str]) -> list[float]:
        self.asked.append((question, len(texts)))
        return [1.0 if "Kosten" in text else 0.0 for text in texts]


def test_the_pipeline_cites_what_the_reranker_reads_as_the_answer(fake_components) -> None:  # type: ignore[no-untyped-def]
    answerer = fake_components.answerer
    answerer.abstain_threshold = 0.1  # the hash embedder's cosines run low
    question = "Was zahlt die Stadt für das Stadtfest?"
    plain = answerer.answer(question)
    assert plain.citations[0].text.startswith("Die Stadt zahlt 250.000 Euro")
    answerer.reranker = _PrefersCosts()
    answerer.reranker_pool = 8
    answerer.reranker_weight = 0.5
    answer = answerer.answer(question)
    assert answer.citations[0].text == "Sponsoren übernehmen den Rest der Kosten."
    assert answerer.reranker.asked[0][0] == question and answerer.reranker.asked[0][1] <= 8
    # refusal still reads the search cosine: under the threshold, the article does not say
    answerer.abstain_threshold = 0.34
    assert answerer.answer(question).abstained


def test_a_missing_reranker_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        load_reranker(str(tmp_path / "nowhere"))


def test_the_reranker_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="NEWSRAG_RERANKER_WEIGHT"):
        load_settings(reranker_weight=1.5)
    assert load_settings().reranker == ""  # off: no cross-encoder is available offline


def _tiny_cross_encoder(folder: Path, labels: int) -> Path:
    """A two-layer BERT cross-encoder with random (seeded) weights, made offline."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    words = "das fest zahlt die stadt kosten für was regen besucher".split()
    vocab = folder / "vocab.txt"
    folder.mkdir(parents=True, exist_ok=True)
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(folder)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=5 + len(words),
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=labels,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    return folder


def test_a_local_cross_encoder_folder_is_loaded_offline_and_scores_pairs(
    tmp_path: Path,
) -> None:
    reranker = load_reranker(str(_tiny_cross_encoder(tmp_path / "ce", 1)))
    texts = ["Die Stadt zahlt Kosten.", "Regen für Besucher.", "Das Fest."]
    scores = reranker.scores("Was zahlt die Stadt?", texts)
    assert len(scores) == 3 and all(0.0 <= score <= 1.0 for score in scores)
    assert reranker.scores("Was zahlt die Stadt?", texts) == scores  # deterministic
    assert reranker.scores("Was?", []) == []


def test_a_classifier_with_several_scores_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="3 scores"):
        load_reranker(str(_tiny_cross_encoder(tmp_path / "nli", 3)))
