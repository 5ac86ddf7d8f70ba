"""Ingestion is idempotent: unchanged articles write nothing, changes replace, removals delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import StoreError
from index.settings import Settings
from index.store import ChromaStore
from index.wiring import build
from tests.fakes import HashEmbedding


def test_first_ingest_stores_chunks_with_exact_offsets(fake_components) -> None:  # type: ignore[no-untyped-def]
    store = fake_components.store
    documents = store.documents()
    assert set(documents) == {"stadtfest", "bibliothek"}
    assert store.titles() == {
        "stadtfest": "Stadtfest in Beispielstadt",
        "bibliothek": "Neue Bibliothek",
    }
    chunks = store.all_chunks()
    assert chunks
    for chunk in chunks:
        assert documents[chunk.doc_id][chunk.start : chunk.end] == chunk.text
    assert {c.section for c in chunks if "12000" in c.text} == {"Wird das Fest abgesagt?"}


def test_articles_can_be_read_for_a_few_ids(fake_components) -> None:  # type: ignore[no-untyped-def]
    store = fake_components.store
    everything = store.documents()
    assert store.documents(["bibliothek", "gone"]) == {"bibliothek": everything["bibliothek"]}
    assert store.documents([]) == {}


def test_reingesting_an_unchanged_corpus_writes_nothing(settings: Settings, chroma_client) -> None:  # type: ignore[no-untyped-def]
    embedder = HashEmbedding()
    components = build(settings, embedder=embedder, client=chroma_client)
    first = components.ingestor.ingest_folder(settings.corpus_dir)
    assert sorted(first.added) == ["bibliothek", "stadtfest"]
    count, embedded = components.store.count(), embedder.embedded_texts
    second = components.ingestor.ingest_folder(settings.corpus_dir)
    assert second.chunks_written == 0 and sorted(second.unchanged) == ["bibliothek", "stadtfest"]
    assert embedder.embedded_texts == embedded
    assert components.store.count() == count


def test_changed_article_is_replaced_and_removed_one_deleted(  # type: ignore[no-untyped-def]
    settings: Settings, chroma_client
) -> None:
    components = build(settings, embedder=HashEmbedding(), client=chroma_client)
    components.ingestor.ingest_folder(settings.corpus_dir)
    path = Path(settings.corpus_dir) / "bibliothek.md"
    path.write_text(path.read_text().replace("80.000 Bücher", "95.000 Bücher"))
    (Path(settings.corpus_dir) / "stadtfest.txt").unlink()
    report = components.ingestor.ingest_folder(settings.corpus_dir)
    assert report.updated == ["bibliothek"] and report.removed == ["stadtfest"]
    texts = " ".join(c.text for c in components.store.all_chunks())
    assert "95.000 Bücher" in texts and "80.000" not in texts and "Stadtfest" not in texts
    assert set(components.store.documents()) == {"bibliothek"}


def test_a_broken_file_is_reported_and_the_rest_is_ingested(  # type: ignore[no-untyped-def]
    settings: Settings, chroma_client
) -> None:
    (Path(settings.corpus_dir) / "kaputt.txt").write_bytes(b"\xff\xff not utf8")
    components = build(settings, embedder=HashEmbedding(), client=chroma_client)
    report = components.ingestor.ingest_folder(settings.corpus_dir)
    assert sorted(report.added) == ["bibliothek", "stadtfest"]
    assert len(report.problems) == 1 and "kaputt.txt" in report.problems[0]


def test_store_built_with_another_model_is_refused(settings: Settings, chroma_client) -> None:  # type: ignore[no-untyped-def]
    build(settings, embedder=HashEmbedding(), client=chroma_client)
    with pytest.raises(StoreError, match="ingest --rebuild"):
        ChromaStore(chroma_client, settings.collection, "another-model")


def test_dead_chroma_server_gives_a_clear_message(settings: Settings) -> None:
    from index.store import open_client

    with pytest.raises(StoreError, match=r"no Chroma server answers at 127\.0\.0\.1:9"):
        open_client(host="127.0.0.1", port=9)


def test_an_article_changed_to_yield_no_passages_loses_its_old_ones(fake_components) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    folder = Path(fake_components.settings.corpus_dir)
    path = folder / "bibliothek.md"
    assert "bibliothek" in fake_components.store.ids_by_doc()
    path.write_text("---\ntitle: Neue Bibliothek\n---\nÜberschrift ohne Satz\n")
    fake_components.ingestor.ingest_folder(folder)
    assert "bibliothek" not in fake_components.store.ids_by_doc()


def test_similarities_are_cosines_to_the_stored_chunk_vectors(fake_components) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes import hash_embed

    store = fake_components.store
    chunk = store.all_chunks()[0]
    query = hash_embed(f"{chunk.section}\n{chunk.text}" if chunk.section else chunk.text)
    found = store.similarities(query, [chunk.chunk_id])
    assert found[chunk.chunk_id] == pytest.approx(1.0, abs=1e-6)
    assert store.similarities(query, []) == {}
