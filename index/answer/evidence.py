"""Sentence-level evidence: every sentence of the retrieved passages scored against the question,
and the choice of the sentences to cite.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.text.vectors import cosine
from index.types import Evidence, Passage, Retrieval, StoredSentence


def score_evidence(
    retrieval: Retrieval,
    sentence_rows: Sequence[StoredSentence],
    passage_weight: float,
) -> list[Evidence]:
    """Every sentence of the retrieved passages, best first.

    score = (1 - passage_weight) * cosine(question, sentence)
            + passage_weight * fused score of the sentence's passage.
    """
    by_chunk: dict[str, Passage] = {p.chunk_id: p for p in retrieval.passages}
    query = retrieval.query_vector
    result = []
    for row in sentence_rows:
        passage = by_chunk.get(row.chunk_id)
        if passage is None:
            continue
        sentence = row.sentence
        similarity = cosine(query, row.vector)
        score = (1 - passage_weight) * similarity + passage_weight * passage.score
        result.append(
            Evidence(
                doc_id=passage.doc_id,
                section=passage.section,
                start=sentence.start,
                end=sentence.end,
                text=sentence.text,
                similarity=similarity,
                score=score,
                passage_rank=passage.rank,
            )
        )
    return sorted(result, key=lambda item: (-item.score, item.doc_id, item.start))


def choose_evidence(
    ranked: Sequence[Evidence], threshold: float, limit: int, margin: float
) -> list[Evidence]:
    """The sentences to cite: the best one if it clears the threshold, plus close runners-up.

    Returns [] (abstain) when the best sentence's cosine similarity is under `threshold`.
    """
    if not ranked or ranked[0].similarity < threshold:
        return []
    best = ranked[0]
    chosen = [best]
    for item in ranked[1:]:
        if len(chosen) >= limit:
            break
        if item.score >= best.score - margin and item.similarity >= threshold:
            chosen.append(item)
    return chosen  # best first: [1] is the sentence that answers most directly
