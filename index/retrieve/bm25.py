"""BM25 over German-aware tokens, and the per-process lexical index kept in step with the store."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from index.text.tokens import tokens
from index.types import Store, StoredChunk


class BM25:
    """Okapi BM25 over a fixed list of token lists."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError(f"BM25 needs k1 >= 0 and 0 <= b <= 1; got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.counts = [Counter(document) for document in documents]
        self.lengths = [len(document) for document in documents]
        self.average = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        frequency: Counter[str] = Counter()
        for counts in self.counts:
            frequency.update(counts.keys())
        total = len(self.counts)
        self.idf = {
            term: math.log(1 + (total - seen + 0.5) / (seen + 0.5))
            for term, seen in frequency.items()
        }

    def scores(self, query: Sequence[str]) -> list[float]:
        """One score per document; 0.0 where no query term occurs."""
        result = []
        for counts, length in zip(self.counts, self.lengths, strict=True):
            score = 0.0
            norm = self.k1 * (1 - self.b + self.b * length / self.average) if self.average else 0
            for term in set(query):
                freq = counts.get(term, 0)
                if freq:
                    score += self.idf[term] * freq * (self.k1 + 1) / (freq + norm)
            result.append(score)
        return result


class LexicalIndex:
    """BM25 over every stored chunk, rebuilt only when the store's contents change.

    The check per query is cheap: the chunk count and each article's content hash
    (one small record per article), not a read of every chunk.
    """

    def __init__(self) -> None:
        self.key: tuple[int, frozenset[tuple[str, str]]] = (-1, frozenset())
        self.chunks: list[StoredChunk] = []
        self.bm25 = BM25([])

    def refresh(self, store: Store) -> None:
        key = (store.count(), frozenset(store.document_hashes().items()))
        if key != self.key:
            self.chunks = store.all_chunks()
            self.bm25 = BM25([tokens(f"{chunk.section} {chunk.text}") for chunk in self.chunks])
            self.key = key

    def top(self, question: str, n: int) -> dict[str, float]:
        scores = self.bm25.scores(tokens(question))
        ranked = sorted(zip(scores, self.chunks, strict=True), key=lambda pair: -pair[0])
        return {chunk.chunk_id: score for score, chunk in ranked[:n] if score > 0}
