"""Hybrid retrieval: dense search with the query prompt plus German-aware BM25, fused.

Fusion is by score, not by rank: each candidate's cosine similarity is combined with
its BM25 score scaled to [0, 1] for the query. BM25 over a German article cannot match
English words, so its weight depends on whether the question is in the article's
language (plain rank fusion lowered MRR on cross-lingual questions: ../shared/MODELS.md).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from index.retrieve.bm25 import LexicalIndex
from index.text.language import detect_language
from index.types import Embedder, Passage, Retrieval, Store


@dataclass(frozen=True)
class FusionWeights:
    """How much BM25 counts, by whether the question's language is the article's."""

    same_language: float = 0.5
    cross_language: float = 0.0

    def __post_init__(self) -> None:
        for name in ("same_language", "cross_language"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"BM25 weight {name} must be in [0, 1]; got {value}")


def fuse(dense: dict[str, float], lexical: dict[str, float], weight: float) -> dict[str, float]:
    """(1 - weight) * cosine + weight * BM25 / max BM25, for every candidate id."""
    top = max(lexical.values(), default=0.0)
    fused = {}
    for item_id in set(dense) | set(lexical):
        bm25 = lexical.get(item_id, 0.0) / top if top > 0 else 0.0
        fused[item_id] = (1.0 - weight) * dense.get(item_id, 0.0) + weight * bm25
    return fused


class HybridRetriever:
    """Dense + BM25 retrieval over a Store; returns ranked Passage values (a Retriever)."""

    def __init__(self, store: Store, embedder: Embedder, candidates: int = 20,
                 weights: FusionWeights | None = None, article_language: str = "de") -> None:
        if candidates <= 0:
            raise ValueError(f"candidates must be greater than 0; got {candidates}")
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self.weights = weights or FusionWeights()
        self.article_language = article_language
        self._lexical = LexicalIndex()
        self._lock = threading.Lock()

    def search(self, question: str, k: int) -> Retrieval:
        """The k passages that best answer `question`, best first, and the query vector."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0; got {k}")
        vector = self.embedder.get_query_embedding(question)
        language = detect_language(question)
        dense_hits = self.store.query_chunks(vector, self.candidates)
        dense = {hit.item_id: hit.similarity for hit in dense_hits}
        same = language == self.article_language
        weight = self.weights.same_language if same else self.weights.cross_language
        lexical: dict[str, float] = {}
        if weight > 0:
            with self._lock:
                self._lexical.refresh(self.store)
                lexical = self._lexical.top(question, self.candidates)
            missing = [item_id for item_id in lexical if item_id not in dense]
            dense.update(self.store.similarities(vector, missing))
        fused = fuse(dense, lexical, weight)
        ranked = sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))[:k]
        chunks = self.store.get_chunks([item_id for item_id, _ in ranked])
        passages = [Passage(rank=rank, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id,
                        section=chunk.section, kind=chunk.kind, start=chunk.start,
                        end=chunk.end, text=chunk.text, score=score)
                    for rank, ((_, score), chunk)
                    in enumerate(zip(ranked, chunks, strict=True), start=1)]
        return Retrieval(passages=passages, query_vector=vector, language=language)
