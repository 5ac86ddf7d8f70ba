"""Hybrid retrieval: dense search with the query prompt plus BM25 by article language, fused.

Fusion is by score, not by rank: each candidate's cosine similarity is combined with
its BM25 score scaled to [0, 1] for the query. BM25 cannot match English words against
German text, so the weight depends on whether the question's language is the
candidate's article language (plain rank fusion lowered MRR on cross-lingual questions:
../shared/MODELS.md). The question is run against the lexical index of its own
language (stemmed that way); other languages only when a cross-language weight is set.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from index.retrieve.analyzers import analyze
from index.retrieve.lexical import LexicalIndex
from index.text.language import detect_language
from index.text.vectors import cosine_rows
from index.types import (
    SECONDARY_KINDS,
    Embedder,
    Passage,
    PromptedEmbedder,
    Retrieval,
    Store,
    StoredSentence,
)

DEFAULT_LANGUAGE = "de"  # chunks stored before languages were recorded


class QueryTranslator(Protocol):
    """Carries a question's content words into another language's BM25 query
    (index.translate.terms.TermExtractor)."""

    def query(self, question: str, language: str, article_language: str) -> str: ...


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

    def for_pair(self, question_language: str, article_language: str) -> float:
        """The BM25 weight for a candidate of `article_language` and a question."""
        same = question_language == article_language
        return self.same_language if same else self.cross_language


def fuse(dense: dict[str, float], lexical: dict[str, float], weight: float) -> dict[str, float]:
    """(1 - weight) * cosine + weight * BM25 / max BM25, for every candidate id."""
    top = max(lexical.values(), default=0.0)
    scaled = {item_id: score / top for item_id, score in lexical.items()} if top > 0 else {}
    return fuse_scaled(dense, scaled, dict.fromkeys(set(dense) | set(lexical), weight))


def fuse_scaled(
    dense: Mapping[str, float], scaled: Mapping[str, float], weights: Mapping[str, float]
) -> dict[str, float]:
    """(1 - w) * cosine + w * scaled BM25, with each candidate's own weight w."""
    return {
        item_id: (1.0 - weights.get(item_id, 0.0)) * dense.get(item_id, 0.0)
        + weights.get(item_id, 0.0) * scaled.get(item_id, 0.0)
        for item_id in set(dense) | set(scaled)
    }


def best_sentences(
    query_vector: Sequence[float], rows: Sequence[StoredSentence]
) -> dict[str, float]:
    """Each chunk's best sentence: the highest cosine of its sentences to the query."""
    if not rows:
        return {}
    similarities = cosine_rows(query_vector, np.asarray([row.vector for row in rows]))
    best: dict[str, float] = {}
    for row, similarity in zip(rows, similarities, strict=True):
        best[row.chunk_id] = max(best.get(row.chunk_id, -1.0), float(similarity))
    return best


def rerank(
    fused: Mapping[str, float], best: Mapping[str, float], weight: float
) -> dict[str, float]:
    """(1 - weight) * fused score + weight * best sentence cosine, per candidate.

    A chunk vector averages its sentences; the one sentence that answers a question can
    match it far better than its chunk does. A candidate without sentence vectors keeps
    its fused score for both parts.
    """
    return {
        item_id: (1.0 - weight) * score + weight * best.get(item_id, score)
        for item_id, score in fused.items()
    }


class HybridRetriever:
    """Dense + BM25 retrieval over a Store; returns ranked Passage values (a Retriever).

    The lexical index is persisted and shared; this process catches up with changes
    other processes made (`LexicalIndex.sync`) at most every `sync_seconds`. The question
    vector is the slowest stage, so the last `vector_cache` distinct questions keep
    theirs (readers click the page's example questions; popular questions repeat).
    """

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        candidates: int = 20,
        weights: FusionWeights | None = None,
        lexical: LexicalIndex | None = None,
        sync_seconds: float = 30.0,
        vector_cache: int = 1024,
        clock: Callable[[], float] = time.monotonic,
        translator: QueryTranslator | None = None,
        sentence_weight: float = 0.3,
        rerank_pool: int = 10,
        secondary_penalty: float = 0.0,
        number_weight: float = 0.0,
        evidence_prompt: str = "",
    ) -> None:
        if candidates <= 0:
            raise ValueError(f"candidates must be greater than 0; got {candidates}")
        if not 0.0 <= sentence_weight <= 1.0:
            raise ValueError(f"sentence_weight must be in [0, 1]; got {sentence_weight}")
        if rerank_pool <= 0:
            raise ValueError(f"rerank_pool must be greater than 0; got {rerank_pool}")
        if not 0.0 <= secondary_penalty <= 1.0:
            raise ValueError(f"secondary_penalty must be in [0, 1]; got {secondary_penalty}")
        if not 0.0 <= number_weight <= 1.0:
            raise ValueError(f"number_weight must be in [0, 1]; got {number_weight}")
        if sync_seconds < 0:
            raise ValueError(f"sync_seconds must be 0 or more; got {sync_seconds}")
        if vector_cache < 0:
            raise ValueError(f"vector_cache must be 0 or more; got {vector_cache}")
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self.weights = weights or FusionWeights()
        self.lexical = lexical
        self.translator = translator
        # The best `rerank_pool` fused candidates are scored again with their best
        # sentence (stored sentence vectors), weighted `sentence_weight`; 0 turns it off.
        self.sentence_weight = sentence_weight
        self.rerank_pool = rerank_pool
        # A teaser's or a caption's passage (SECONDARY_KINDS) is ranked this much lower
        # among the k retrieved (it is still retrieved: a question about the teaser finds
        # it): the body's passage that says the same in full goes first, as its sentence
        # does in the evidence.
        self.secondary_penalty = secondary_penalty
        # Added to the fused score of a passage that holds a number the question names
        # (`_numbered`), in any language: digits read the same in both.
        self.number_weight = number_weight
        self.sync_seconds = sync_seconds
        self._clock = clock
        self._synced_at: float | None = None
        self._lock = threading.Lock()
        # The question is embedded once more under this task prompt (a PromptedEmbedder's;
        # "" or an embedder without prompts: not), for the answer step to order the
        # retrieved sentences as answers (Retrieval.evidence_vector). A search prompt
        # finds what is about the question; EmbeddingGemma's question-answering prompt
        # tells better which sentence answers it ("Was befürchtet die Ukraine?": "Die
        # Sorge: Putin könne Belarus dazu drängen, ...").
        self.evidence_prompt = evidence_prompt
        self.vector_cache = vector_cache
        self._vectors: OrderedDict[tuple[str, str], list[float]] = OrderedDict()
        self._vectors_lock = threading.Lock()

    def query_vector(self, question: str) -> list[float]:
        """The question's vector, from the cache when this question was asked lately."""
        return self._cached(question, "", lambda: self.embedder.get_query_embedding(question))

    def evidence_vector(self, question: str) -> list[float] | None:
        """The question's vector under `evidence_prompt` (cached like `query_vector`), or
        None when there is no such prompt or the embedder takes none."""
        embedder = self.embedder
        prompt = self.evidence_prompt
        if not prompt or not isinstance(embedder, PromptedEmbedder):
            return None
        return self._cached(
            question, prompt, lambda: embedder.get_prompted_query_embedding(question, prompt)
        )

    def _cached(self, question: str, prompt: str, embed: Callable[[], list[float]]) -> list[float]:
        key = (prompt, question)
        with self._vectors_lock:
            if key in self._vectors:
                self._vectors.move_to_end(key)
                return self._vectors[key]
        vector = embed()
        if self.vector_cache:
            # `vector_cache` questions, each with its evidence vector when there is one
            kept = self.vector_cache * (2 if self.evidence_prompt else 1)
            with self._vectors_lock:
                self._vectors[key] = vector
                while len(self._vectors) > kept:
                    self._vectors.popitem(last=False)
        return vector

    def _catch_up(self) -> None:
        if self.lexical is None:
            return
        with self._lock:
            now = self._clock()
            if self._synced_at is None or now - self._synced_at >= self.sync_seconds:
                self.lexical.sync(self.store)  # type: ignore[arg-type]
                self._synced_at = now

    def _lexical(self, question: str, language: str) -> tuple[dict[str, float], dict[str, str]]:
        """BM25 scores scaled to [0, 1] per language, and each hit's article language."""
        if self.lexical is None:
            return {}, {}
        wanted = [language] if self.weights.same_language > 0 else []
        if self.weights.cross_language > 0:
            wanted += [other for other in self.lexical.languages() if other != language]
        scaled: dict[str, float] = {}
        languages: dict[str, str] = {}
        for candidate_language in wanted:
            query = question
            if candidate_language != language and self.translator is not None:
                query = self.translator.query(question, language, candidate_language)
            scores = self.lexical.search(query, candidate_language, self.candidates)
            top = max(scores.values(), default=0.0)
            for item_id, score in scores.items():
                scaled[item_id] = score / top
                languages[item_id] = candidate_language
        return scaled, languages

    def _numbered(self, question: str, language: str) -> dict[str, str]:
        """The passages (at most `candidates` an article language), with their article's
        language, that hold a number of two digits or more the question names: "What
        happened in 2020 in Belarus?" finds "Sie habe bei den Protesten 2020 klar
        gezeigt, ...", which the dense search ranked below passages about Belarus in
        general, and BM25 barely weighs for an English question against a German
        article (its words, unlike its digits, must be carried into German)."""
        if self.lexical is None or not self.number_weight:
            return {}
        numbers = [t for t in analyze(question, language) if t.isdigit() and len(t) >= 2]
        if not numbers:
            return {}
        self._catch_up()
        found: dict[str, str] = {}
        for article_language in self.lexical.languages():
            hits = self.lexical.search(" ".join(numbers), article_language, self.candidates)
            found.update(dict.fromkeys(hits, article_language))
        return found

    def search(self, question: str, k: int) -> Retrieval:
        """The k passages that best answer `question`, best first, and the query vector."""
        if k <= 0:
            raise ValueError(f"k must be greater than 0; got {k}")
        timings: dict[str, float] = {}
        mark = time.perf_counter()
        vector = self.query_vector(question)
        language = detect_language(question)
        timings["embed_ms"], mark = (time.perf_counter() - mark) * 1000, time.perf_counter()
        evidence_vector = self.evidence_vector(question)
        if evidence_vector is not None:
            timings["embed_evidence_ms"] = (time.perf_counter() - mark) * 1000
            mark = time.perf_counter()
        dense_hits = self.store.query_chunks(vector, self.candidates)
        dense = {hit.item_id: hit.similarity for hit in dense_hits}
        languages = {
            hit.item_id: str(hit.metadata.get("language") or DEFAULT_LANGUAGE) for hit in dense_hits
        }
        secondary = {
            hit.item_id for hit in dense_hits if hit.metadata.get("kind") in SECONDARY_KINDS
        }
        timings["dense_ms"], mark = (time.perf_counter() - mark) * 1000, time.perf_counter()
        scaled: dict[str, float] = {}
        if self.weights.same_language > 0 or self.weights.cross_language > 0:
            self._catch_up()
            scaled, lexical_languages = self._lexical(question, language)
            languages = {**lexical_languages, **languages}
            missing = [item_id for item_id in scaled if item_id not in dense]
            dense.update(self.store.similarities(vector, missing))
        numbered = self._numbered(question, language)
        if numbered:
            languages = {**numbered, **languages}
            dense.update(self.store.similarities(vector, [i for i in numbered if i not in dense]))
        timings["bm25_ms"], mark = (time.perf_counter() - mark) * 1000, time.perf_counter()
        weights = {
            item_id: self.weights.for_pair(language, languages.get(item_id, DEFAULT_LANGUAGE))
            for item_id in set(dense) | set(scaled)
        }
        fused = fuse_scaled(dense, scaled, weights)
        for item_id in numbered.keys() & fused.keys():
            fused[item_id] += self.number_weight
        ranked = sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))
        timings["fuse_ms"], mark = (time.perf_counter() - mark) * 1000, time.perf_counter()
        sentences: list[StoredSentence] | None = None
        if self.sentence_weight > 0:
            pool = dict(ranked[: max(k, self.rerank_pool)])
            rows = self.store.sentences_of(list(pool))
            rescored = rerank(pool, best_sentences(vector, rows), self.sentence_weight)
            ranked = sorted(rescored.items(), key=lambda pair: (-pair[1], pair[0]))
            kept = {item_id for item_id, _ in ranked[:k]}
            sentences = [row for row in rows if row.chunk_id in kept]
            timings["rerank_ms"], mark = (time.perf_counter() - mark) * 1000, time.perf_counter()
        # the same k passages, a teaser's or a caption's after the body's that is as close
        # (ordered by the penalised score; each keeps its own)
        ranked = sorted(
            ranked[:k],
            key=lambda pair: (
                -(pair[1] - self.secondary_penalty * (pair[0] in secondary)),
                pair[0],
            ),
        )
        chunks = self.store.get_chunks([item_id for item_id, _ in ranked])
        passages = [
            Passage(
                rank=rank,
                chunk_id=chunk.chunk_id,
                doc_id=chunk.doc_id,
                section=chunk.section,
                kind=chunk.kind,
                start=chunk.start,
                end=chunk.end,
                text=chunk.text,
                score=score,
            )
            for rank, ((_, score), chunk) in enumerate(zip(ranked, chunks, strict=True), start=1)
        ]
        timings["passages_ms"] = (time.perf_counter() - mark) * 1000
        return Retrieval(
            passages=passages,
            query_vector=vector,
            language=language,
            timings_ms=timings,
            sentences=sentences,
            evidence_vector=evidence_vector,
        )
