"""A long sentence matched clause by clause (index.answer.clauses)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pytest

from index.answer.clauses import ClauseCosines, StoredClauseEmbedder
from index.answer.evidence import score_evidence
from index.models.text_cache import CachedTextEmbedder
from index.text.clauses import clauses
from index.types import Passage, Retrieval, Sentence, StoredSentence
from tests.fakes import HashEmbedding, hash_embed

COSMONAUTS = (
    '"Öffentlich wurde die russische Invasion in der Ukraine gar nicht direkt angesprochen '
    "und es ging explizit auch um andere Themen, darunter zum Beispiel auch Pläne "
    'belarussische Kosmonauten ins All zu schicken", sagt Gürth.'
)


def test_a_long_sentence_is_cut_into_readable_clauses() -> None:
    assert clauses(COSMONAUTS) == [
        "Öffentlich wurde die russische Invasion in der Ukraine gar nicht direkt angesprochen",
        "es ging explizit auch um andere Themen",
        # "sagt Gürth." is too short to stand alone: it joins the clause before it
        "darunter zum Beispiel auch Pläne belarussische Kosmonauten ins All zu schicken "
        "sagt Gürth.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Nach dem Treffen wurde zunächst nicht viel über dessen Inhalte bekannt.",  # short
        # long, but nothing to cut at
        "Das Repräsentantenhaus von Belarus billigte einen Gesetzentwurf zur Einführung der "
        "Todesstrafe im Falle von Landesverrat für Militärangehörige bald.",
    ],
)
def test_a_short_or_uncut_sentence_is_matched_whole(text: str) -> None:
    assert clauses(text) == []


def test_the_closest_clause_gives_a_long_sentences_cosine() -> None:
    embedder = HashEmbedding()
    cosines = ClauseCosines(CachedTextEmbedder(embedder))
    query = hash_embed("Pläne Kosmonauten ins All schicken")
    short = "Putin reiste nach Minsk."
    found = cosines.cosines(query, [COSMONAUTS, short])
    assert found is not None
    whole = sum(a * b for a, b in zip(query, hash_embed(COSMONAUTS), strict=True))
    assert found[0] > whole + 0.2  # the clause about the cosmonauts, undiluted
    assert math.isnan(found[1])
    # the clauses are embedded once: asked again, nothing new is embedded
    before = embedder.embedded_texts
    cosines.cosines(query, [COSMONAUTS])
    assert embedder.embedded_texts == before
    assert cosines.cosines(query, [short]) is None  # nothing long enough to split


def _row(start: int, vector: list[float]) -> StoredSentence:
    return StoredSentence(Sentence("doc", start, start + 5, f"s{start}"), "c", vector)


def test_a_sentence_is_as_close_as_its_closest_clause() -> None:
    rows = [_row(0, [0.8, 0.6]), _row(10, [0.3, 1.0])]
    passages = [Passage(1, "c", "doc", "", "paragraph", 0, 15, "", 0.5)]
    retrieval = Retrieval(passages=passages, query_vector=[1.0, 0.0], language="de")
    plain = score_evidence(retrieval, rows, passage_weight=0.0)
    clause = [0.3, 0.9]  # s0's best clause is farther than itself: no change
    both = score_evidence(retrieval, rows, passage_weight=0.0, clause_similarities=clause)
    assert [e.start for e in plain] == [0, 10]
    assert [e.start for e in both] == [10, 0]
    assert both[0].similarity == pytest.approx(0.9)  # refusal sees the closer clause
    assert both[1].similarity == plain[0].similarity


class _DictStore:
    def __init__(self) -> None:
        self.kept: dict[str, list[float]] = {}
        self.reads = 0

    def clause_vectors(self, texts: Sequence[str]) -> dict[str, list[float]]:
        self.reads += 1
        return {text: self.kept[text] for text in texts if text in self.kept}

    def save_clause_vectors(self, items: Mapping[str, Sequence[float]]) -> None:
        self.kept.update({text: list(vector) for text, vector in items.items()})


def test_clause_vectors_are_read_from_the_store_and_what_is_made_is_kept_there() -> None:
    embedder, store = HashEmbedding(), _DictStore()
    store.kept["kept clause"] = [1.0, 0.0]
    stored = StoredClauseEmbedder(embedder, store)
    got = stored.get_text_embedding_batch(["kept clause", "new clause", "new clause"])
    assert got[0] == [1.0, 0.0]  # read, not embedded
    assert got[1] == got[2] == hash_embed("new clause")
    assert embedder.embedded_texts == 1  # only the missing text, once
    assert store.kept["new clause"] == hash_embed("new clause")  # kept for every process


def test_the_ingest_keeps_the_clauses_of_long_sentences(settings, chroma_client) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from index.wiring import build

    (Path(settings.corpus_dir) / "treffen.txt").write_text(
        "Das Treffen\n\n" + COSMONAUTS.replace('"', "") + "\n", encoding="utf-8"
    )
    components = build(settings, embedder=HashEmbedding(), client=chroma_client)
    components.ingestor.ingest_folder(settings.corpus_dir)
    store = components.store
    long = [text for text in store.sentence_texts() if clauses(text)]
    assert long, "the article's long sentence is stored"
    wanted = [clause for text in long for clause in clauses(text)]
    kept = store.clause_vectors(wanted)
    assert set(kept) == set(wanted)
    assert kept[wanted[0]] == pytest.approx(hash_embed(wanted[0]), abs=1e-6)
    # with clause evidence off, the ingest keeps none
    off = build(
        settings.model_copy(update={"clause_evidence": False, "collection": "off"}),
        embedder=HashEmbedding(),
        client=chroma_client,
    )
    off.ingestor.ingest_folder(settings.corpus_dir)
    assert off.store.clause_vectors(wanted) == {}


def test_clause_vectors_not_kept_still_serve_the_answer() -> None:
    from index.errors import StoreError

    class _ReadOnly(_DictStore):
        def save_clause_vectors(self, items: Mapping[str, Sequence[float]]) -> None:
            raise StoreError("the store is read-only")

    stored = StoredClauseEmbedder(HashEmbedding(), _ReadOnly())
    assert stored.get_text_embedding_batch(["a clause"]) == [hash_embed("a clause")]
