"""Hybrid retrieval returns ranked passages with exact offsets; fusion is a pure function."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index.retrieve.hybrid import FusionWeights, fuse


def test_fuse_blends_cosine_and_scaled_bm25() -> None:
    fused = fuse({"a": 0.8, "b": 0.6}, {"b": 10.0, "c": 5.0}, weight=0.5)
    assert fused == pytest.approx({"a": 0.4, "b": 0.8, "c": 0.25})


def test_fuse_with_zero_weight_is_dense_only() -> None:
    assert fuse({"a": 0.3}, {"b": 9.0}, weight=0.0) == pytest.approx({"a": 0.3, "b": 0.0})


def test_fusion_weights_are_checked() -> None:
    with pytest.raises(ValueError, match="same_language"):
        FusionWeights(same_language=1.5)


def test_retrieve_finds_the_passage_and_offsets_reproduce_it(fake_components) -> None:  # type: ignore[no-untyped-def]
    retriever = fake_components.answerer.retriever
    passages = retriever.search("Wie viele Besucher werden erwartet?", 3).passages
    assert [p.rank for p in passages] == [1, 2, 3]
    assert passages[0].score >= passages[1].score >= passages[2].score
    assert "12000 Besucher" in passages[0].text
    documents = fake_components.store.documents()
    for passage in passages:
        assert documents[passage.doc_id][passage.start : passage.end] == passage.text


def test_retrieve_rejects_bad_k(fake_components) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="k must be greater than 0"):
        fake_components.answerer.retriever.search("Bibliothek", 0)


def test_bm25_sees_an_article_changed_in_place(fake_components) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    retriever = fake_components.answerer.retriever
    retriever.search("Wann ist die Bibliothek geöffnet?", 2)  # builds the BM25 index
    path = Path(fake_components.settings.corpus_dir) / "bibliothek.md"
    path.write_text(
        path.read_text().replace(
            "Sonntags bleibt sie geschlossen.", "Sonntags liest dort ein Zauberer vor."
        )
    )
    fake_components.ingestor.ingest_folder(fake_components.settings.corpus_dir)
    passages = retriever.search("Welcher Zauberer liest vor?", 1).passages
    assert "Zauberer" in passages[0].text


def test_english_article_is_stored_as_english_and_gets_same_language_bm25(fake_components) -> None:  # type: ignore[no-untyped-def]
    from index.ingest.corpus import read_corpus

    folder = Path(fake_components.settings.corpus_dir)
    (folder / "harbour.md").write_text(
        "---\ntitle: Harbour\nlanguage: en\n---\nThe harbour reopens\n\n"
        "The old harbour reopened on Monday after the storms. Fishermen welcomed it.\n"
    )
    fake_components.ingestor.ingest_folder(folder)
    assert {c.language for c in fake_components.store.chunks_of(["harbour"])} == {"en"}
    assert {c.language for c in fake_components.store.chunks_of(["stadtfest"])} == {"de"}
    articles, _ = read_corpus(folder)
    assert {a.doc_id: a.language for a in articles}["harbour"] == "en"
    retriever = fake_components.answerer.retriever
    retriever.sentence_weight = 0.0  # the fused score itself, before the sentence rerank
    retrieval = retriever.search("When did the harbours reopen?", 3)
    top = retrieval.passages[0]
    assert top.doc_id == "harbour"
    dense = _dense_scores(fake_components.store, retrieval.query_vector)
    # weight 0.5 on a BM25 score scaled to 1: the English question was matched lexically
    assert top.score == pytest.approx(0.5 * dense[top.chunk_id] + 0.5)
    assert set(retrieval.timings_ms) == {
        "embed_ms",
        "embed_evidence_ms",
        "dense_ms",
        "bm25_ms",
        "fuse_ms",
        "passages_ms",
    }


def test_a_german_question_gets_no_bm25_on_an_english_article(fake_components) -> None:  # type: ignore[no-untyped-def]
    folder = Path(fake_components.settings.corpus_dir)
    (folder / "harbour.md").write_text(
        "---\ntitle: Harbour\nlanguage: en\n---\nThe Hafen reopens\n\n"
        "The Hafen reopened on Monday after the storms.\n"
    )
    fake_components.ingestor.ingest_folder(folder)
    retriever = fake_components.answerer.retriever
    retriever.sentence_weight = 0.0  # the fused score itself, before the sentence rerank
    retrieval = retriever.search("Wann öffnet der Hafen?", 5)
    dense = _dense_scores(fake_components.store, retrieval.query_vector)
    harbour = [p for p in retrieval.passages if p.doc_id == "harbour"]
    assert harbour
    for passage in harbour:
        assert passage.score == pytest.approx(dense[passage.chunk_id])


def test_rerank_blends_the_fused_score_with_the_best_sentence() -> None:
    from index.retrieve.hybrid import rerank

    rescored = rerank({"a": 0.6, "b": 0.5, "c": 0.4}, {"a": 0.2, "b": 0.9}, weight=0.5)
    # "b" holds the one sentence that matches: it overtakes "a"; "c" has no sentences
    assert rescored == pytest.approx({"a": 0.4, "b": 0.7, "c": 0.4})


def test_the_sentence_rerank_reorders_passages_and_hands_over_their_sentences(
    fake_components,
) -> None:  # type: ignore[no-untyped-def]
    from index.retrieve.hybrid import best_sentences

    retriever = fake_components.answerer.retriever
    store = fake_components.store
    question = "Wie viele Besucher werden erwartet?"
    retriever.secondary_penalty = 0.0  # the scores are the rerank's alone
    retriever.sentence_weight = 0.0
    plain = retriever.search(question, 3)
    assert plain.sentences is None and "rerank_ms" not in plain.timings_ms
    retriever.sentence_weight = 1.0  # the best sentence alone decides the order
    reranked = retriever.search(question, 3)
    ids = [p.chunk_id for p in reranked.passages]
    assert reranked.sentences == store.sentences_of(ids)  # read once, passed on
    best = best_sentences(reranked.query_vector, store.sentences_of(ids))
    assert [p.score for p in reranked.passages] == pytest.approx([best[i] for i in ids])
    assert [p.score for p in reranked.passages] == sorted(
        (p.score for p in reranked.passages), reverse=True
    )
    with pytest.raises(ValueError, match="sentence_weight"):
        type(retriever)(store, fake_components.embedder, sentence_weight=1.5)


def test_the_rerank_pool_promotes_a_candidate_from_below_the_top_k(fake_components) -> None:  # type: ignore[no-untyped-def]
    from index.retrieve.hybrid import HybridRetriever

    store = fake_components.store
    question = "Wie viele Besucher werden erwartet?"
    plain = HybridRetriever(store, fake_components.embedder, sentence_weight=0.0)
    order = [p.chunk_id for p in plain.search(question, 10).passages]
    assert len(order) >= 3
    last = order[-1]  # the weakest fused candidate of the pool

    class Favouring:
        """The store, with every sentence of `last` made a copy of the query vector."""

        def __getattr__(self, name: str) -> object:
            return getattr(store, name)

        def sentences_of(self, chunk_ids):  # type: ignore[no-untyped-def]
            vector = fake_components.embedder.get_query_embedding(question)
            return [
                replace(row, vector=list(vector)) if row.chunk_id == last else row
                for row in store.sentences_of(chunk_ids)
            ]

    pooled = HybridRetriever(
        Favouring(),  # type: ignore[arg-type]
        fake_components.embedder,
        sentence_weight=0.5,
        rerank_pool=len(order),
    )
    assert pooled.search(question, 2).passages[0].chunk_id == last
    # with a pool of k, a candidate below the top k is never read
    narrow = HybridRetriever(
        Favouring(),  # type: ignore[arg-type]
        fake_components.embedder,
        sentence_weight=0.5,
        rerank_pool=2,
    )
    assert last not in [p.chunk_id for p in narrow.search(question, 2).passages]


def test_sentences_of_reads_by_id_and_still_reads_chunks_stored_without_numbers(
    fake_components,
) -> None:  # type: ignore[no-untyped-def]
    store = fake_components.store
    ids = [chunk.chunk_id for chunk in store.chunks_of(["stadtfest"])]
    stored = store.chunks.get(ids=ids, include=["metadatas"])["metadatas"]
    assert all(isinstance(metadata["sentence_first"], int) for metadata in stored)
    reads: list[dict[str, object]] = []
    real_get = store.sentences.get

    def spy(**kwargs: object) -> object:
        reads.append(kwargs)
        return real_get(**kwargs)

    store.sentences.get = spy
    try:
        by_id = store.sentences_of(ids)
        assert by_id and {row.chunk_id for row in by_id} == set(ids)
        assert [sorted(read) for read in reads] == [["ids", "include"]]  # no metadata filter
        # a chunk stored by an older version has no sentence_first: the filter reads it
        store.chunks.update(ids=ids, metadatas=[{"sentence_first": None}] * len(ids))
        stored = store.chunks.get(ids=ids, include=["metadatas"])["metadatas"]
        assert all("sentence_first" not in metadata for metadata in stored)
        reads.clear()
        assert store.sentences_of(ids) == by_id
        assert [sorted(read) for read in reads] == [["include", "where"]]
        # numbers that do not match the stored sentences: read through the filter, none lost
        store.chunks.update(ids=ids, metadatas=[{"sentence_first": 1000}] * len(ids))
        assert store.sentences_of(ids) == by_id
    finally:
        store.sentences.get = real_get


def _dense_scores(store, vector) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The dense similarity of every chunk, as the retriever gets it from the store."""
    return {hit.item_id: hit.similarity for hit in store.query_chunks(vector, 50)}


def test_a_repeated_question_reuses_its_vector_and_the_cache_is_bounded(fake_components) -> None:  # type: ignore[no-untyped-def]
    from index.retrieve.hybrid import HybridRetriever

    asked: list[str] = []
    embedder = fake_components.embedder

    class Recording:
        def get_query_embedding(self, query: str) -> list[float]:
            asked.append(query)
            return embedder.get_query_embedding(query)

    retriever = HybridRetriever(
        fake_components.store,
        Recording(),  # type: ignore[arg-type]
        vector_cache=2,
    )
    first = retriever.search("Wann ist die Bibliothek geöffnet?", 2)
    again = retriever.search("Wann ist die Bibliothek geöffnet?", 2)
    assert asked == ["Wann ist die Bibliothek geöffnet?"]
    assert again.passages == first.passages
    retriever.search("Wer kommt?", 1)
    retriever.search("Was kostet es?", 1)
    retriever.search("Wann ist die Bibliothek geöffnet?", 1)  # evicted: embedded again
    assert len(asked) == 4
    with pytest.raises(ValueError, match="vector_cache"):
        HybridRetriever(fake_components.store, embedder, vector_cache=-1)


def test_a_teaser_or_caption_passage_ranks_below_the_body(fake_components) -> None:  # type: ignore[no-untyped-def]
    from index.retrieve.hybrid import HybridRetriever

    store = fake_components.store
    question = "Wie viele Besucher werden erwartet?"
    plain = HybridRetriever(store, fake_components.embedder)
    order = [p.chunk_id for p in plain.search(question, 3).passages]
    first = order[0]

    class Captioned:
        """The store, with the best passage labelled a caption."""

        def __getattr__(self, name: str) -> object:
            return getattr(store, name)

        def query_chunks(self, vector, k):  # type: ignore[no-untyped-def]
            return [
                replace(
                    hit,
                    metadata={
                        **hit.metadata,
                        "kind": "caption" if hit.item_id == first else "paragraph",
                    },
                )
                for hit in store.query_chunks(vector, k)
            ]

    def ranked(penalty: float) -> list[str]:
        retriever = HybridRetriever(
            Captioned(),  # type: ignore[arg-type]
            fake_components.embedder,
            secondary_penalty=penalty,
        )
        return [p.chunk_id for p in retriever.search(question, 3).passages]

    assert ranked(0.0) == order  # no penalty: the label changes nothing
    assert ranked(1.0)[:2] == order[1:3] and first not in ranked(1.0)[:2]
    with pytest.raises(ValueError, match="secondary_penalty"):
        HybridRetriever(store, fake_components.embedder, secondary_penalty=-0.1)


def test_a_passage_holding_a_number_the_question_names_is_found_in_any_language(
    fake_components,  # type: ignore[no-untyped-def]
) -> None:
    from index.retrieve.hybrid import HybridRetriever

    retriever = fake_components.answerer.retriever
    question = "What happened with 12000 people?"  # English words; the article is German
    store, embedder, lexical = fake_components.store, fake_components.embedder, retriever.lexical
    # the fused score itself (no sentence rerank): the weight is added to it
    plain = HybridRetriever(store, embedder, lexical=lexical, sentence_weight=0.0)
    anchored = HybridRetriever(
        store, embedder, lexical=lexical, sentence_weight=0.0, number_weight=1.0
    )
    before = {p.chunk_id: p for p in plain.search(question, 20).passages}
    after = anchored.search(question, 20).passages
    assert "12000" in after[0].text
    # the number's passage gains the weight; the others keep their scores
    assert after[0].score == pytest.approx(before[after[0].chunk_id].score + 1.0)
    for passage in after[1:]:
        assert "12000" not in passage.text
        assert passage.score == pytest.approx(before[passage.chunk_id].score)
    # a single digit is no anchor (articles and counts too common), nor is a question
    # without a number
    assert anchored._numbered("What happened at 9?", "en") == {}
    assert anchored._numbered("What happened?", "en") == {}
    with pytest.raises(ValueError, match="number_weight"):
        HybridRetriever(fake_components.store, fake_components.embedder, number_weight=2.0)
