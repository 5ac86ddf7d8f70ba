"""The question's second vector, under the embedder's question-answering prompt, orders
the retrieved sentences as answers; refusal keeps the search vector's cosines."""

from __future__ import annotations

import dataclasses

import pytest

from index.answer.evidence import in_order_of, scored_as
from index.retrieve.hybrid import HybridRetriever
from index.types import Evidence
from tests.fakes import hash_embed

QA_PROMPT = "task: question answering | query: "


def _evidence(start: int, score: float, similarity: float) -> Evidence:
    return Evidence("doc", "", start, start + 5, f"s{start}", similarity, score, 1)


def test_sentences_are_ordered_by_the_answer_scores_and_keep_their_own_cosine() -> None:
    ranked = [_evidence(0, 0.6, 0.6), _evidence(10, 0.5, 0.45)]
    as_answers = [_evidence(10, 0.7, 0.7), _evidence(0, 0.4, 0.4)]
    found = scored_as(ranked, as_answers)
    assert [e.start for e in found] == [10, 0]
    assert [e.score for e in found] == [0.7, 0.4]
    assert [e.similarity for e in found] == [0.45, 0.6]  # refusal reads the search cosine


class _TaskEmbedder:
    """Questions under a prompt get the prompt's words in their bag; counts the calls."""

    def __init__(self) -> None:
        self.prompted = 0

    def get_query_embedding(self, query: str) -> list[float]:
        return hash_embed(query)

    def get_text_embedding_batch(self, texts: list[str], show_progress: bool = False, **_: object):  # type: ignore[no-untyped-def]
        return [hash_embed(text) for text in texts]

    def get_prompted_query_embedding(self, query: str, prompt: str) -> list[float]:
        self.prompted += 1
        return hash_embed(prompt + query)


class _PlainEmbedder:
    def get_query_embedding(self, query: str) -> list[float]:
        return hash_embed(query)

    def get_text_embedding_batch(self, texts: list[str], show_progress: bool = False, **_: object):  # type: ignore[no-untyped-def]
        return [hash_embed(text) for text in texts]


def test_the_retriever_embeds_the_question_under_the_evidence_prompt_once(
    fake_components,  # type: ignore[no-untyped-def]
) -> None:
    embedder = _TaskEmbedder()
    retriever = HybridRetriever(fake_components.store, embedder, evidence_prompt=QA_PROMPT)
    question = "Was kostete das Stadtfest?"
    first = retriever.search(question, 3)
    assert first.evidence_vector == pytest.approx(hash_embed(QA_PROMPT + question))
    assert first.query_vector == pytest.approx(hash_embed(question))  # search is unchanged
    assert "embed_evidence_ms" in first.timings_ms
    again = retriever.search(question, 3)
    assert again.evidence_vector == first.evidence_vector and embedder.prompted == 1


def test_the_vector_cache_keeps_as_many_questions_with_their_evidence_vectors(
    fake_components,  # type: ignore[no-untyped-def]
) -> None:
    embedder = _TaskEmbedder()
    retriever = HybridRetriever(
        fake_components.store, embedder, evidence_prompt=QA_PROMPT, vector_cache=2
    )
    for question in ("Wer kommt?", "Was kostet es?", "Wer kommt?"):
        retriever.search(question, 1)
    assert embedder.prompted == 2  # both questions kept, each with both vectors
    retriever.search("Wann ist die Bibliothek geöffnet?", 1)  # the oldest, "Was kostet es?", goes
    retriever.search("Wer kommt?", 1)
    assert embedder.prompted == 3
    retriever.search("Was kostet es?", 1)
    assert embedder.prompted == 4


def test_no_evidence_vector_without_a_prompt_or_an_embedder_that_takes_one(
    fake_components,  # type: ignore[no-untyped-def]
) -> None:
    store = fake_components.store
    off = HybridRetriever(store, _TaskEmbedder(), evidence_prompt="")
    assert off.search("Was kostete das Stadtfest?", 3).evidence_vector is None
    plain = HybridRetriever(store, _PlainEmbedder(), evidence_prompt=QA_PROMPT)
    assert plain.search("Was kostete das Stadtfest?", 3).evidence_vector is None


def test_the_evidence_vector_orders_the_sentences_and_refusal_keeps_the_search_cosines(
    fake_components,  # type: ignore[no-untyped-def]
) -> None:
    answerer = fake_components.answerer
    retrieval = answerer.retriever.search("Was kostete das Stadtfest?", 5)
    ranked = answerer.ranked(retrieval)  # by the search vector
    plain = dataclasses.replace(retrieval, evidence_vector=None)
    assert answerer.scored("q", plain) == (ranked, ranked)
    assert len(ranked) >= 2
    last = ranked[-1]
    (row,) = [
        row
        for row in answerer.store.sentences_of([p.chunk_id for p in retrieval.passages])
        if row.sentence.start == last.start and row.sentence.doc_id == last.doc_id
    ]
    # a question-answering vector that points at the last sentence puts it first
    pointed = dataclasses.replace(retrieval, evidence_vector=row.vector)
    about, as_answers = answerer.scored("q", pointed)
    assert about == ranked
    assert (as_answers[0].doc_id, as_answers[0].start) == (last.doc_id, last.start)
    search_cosine = {(e.doc_id, e.start): e.similarity for e in ranked}
    assert {(e.doc_id, e.start): e.similarity for e in as_answers} == search_cosine
    # the composer (the LLM's context) still gets them in the search vector's order
    question = "Was kostete das Stadtfest?"
    given, _, _ = answerer.evidence(question, question, "de", pointed)
    assert [(e.doc_id, e.start) for e in given] == [(e.doc_id, e.start) for e in ranked]
    assert given == in_order_of(as_answers, ranked)


def test_in_order_of_puts_sentences_in_another_order() -> None:
    answers = [_evidence(10, 0.7, 0.5), _evidence(0, 0.4, 0.6), _evidence(20, 0.3, 0.2)]
    about = [_evidence(0, 0.6, 0.6), _evidence(20, 0.5, 0.2), _evidence(10, 0.45, 0.5)]
    found = in_order_of(answers, about)
    assert [(e.start, e.score) for e in found] == [(0, 0.4), (20, 0.3), (10, 0.7)]


def test_the_renderings_vectors_are_read_once_a_question(fake_components) -> None:  # type: ignore[no-untyped-def]
    class Recording:
        def __init__(self) -> None:
            self.reads = 0

        def vectors(self, texts, source: str, target: str) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
            self.reads += 1
            return {}

    answerer = fake_components.answerer
    readings = Recording()
    answerer.reader_vectors = readings
    answerer.answer("Was zahlt die Stadt für das Stadtfest?")  # scored by two vectors
    assert readings.reads == 1  # German question: English renderings are the one other side
