"""The persisted BM25 index: ranks like the reference BM25, updates per article, stems by
the article's language, and catches up with a store changed by another process."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from index.retrieve.analyzers import analyze
from index.retrieve.bm25 import BM25
from index.retrieve.lexical import LexicalEntry, LexicalIndex, match_expression
from index.types import StoredChunk

GERMAN = {
    "a": "Putin reiste nach Minsk zu Lukaschenko.",
    "b": "Die Todesstrafe droht bei Landesverrat in Belarus.",
    "c": "Putin und Lukaschenko sprachen über Landesverrat und Manöver in Belarus.",
    "d": "Das Stadtfest findet trotz Regen statt.",
}


def _german_index(path: Path | None = None) -> LexicalIndex:
    index = LexicalIndex(path)
    index.replace("doc", "h1", [LexicalEntry(key, "de", text) for key, text in GERMAN.items()])
    return index


def test_ranking_matches_the_reference_bm25() -> None:
    question = "Was droht bei Landesverrat in Belarus?"
    reference = BM25([analyze(text, "de") for text in GERMAN.values()])
    expected = [
        key
        for score, key in sorted(
            zip(reference.scores(analyze(question, "de")), GERMAN, strict=True), reverse=True
        )
        if score > 0
    ]
    found = _german_index().search(question, "de", 10)
    assert list(found) == expected
    assert all(score > 0 for score in found.values())


def test_index_persists_and_updates_one_article_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "lexical.sqlite"
    _german_index(path).close()
    index = LexicalIndex(path)
    assert index.hashes() == {"doc": "h1"} and index.count() == 4
    index.replace("other", "h2", [LexicalEntry("e", "de", "Ein Zauberer liest vor.")])
    assert list(index.search("Zauberer", "de", 5)) == ["e"]
    index.replace("doc", "h3", [LexicalEntry("a2", "de", "Putin reiste nach Moskau.")])
    assert index.count() == 2
    assert index.search("Landesverrat", "de", 5) == {}
    index.delete("other")
    assert index.search("Zauberer", "de", 5) == {} and index.hashes() == {"doc": "h3"}


def test_english_articles_get_english_stemming_and_their_own_statistics() -> None:
    index = LexicalIndex()
    index.replace(
        "en-doc",
        "h",
        [
            LexicalEntry("en1", "en", "The soldiers were training near the border."),
            LexicalEntry("en2", "en", "The festival takes place despite rain."),
        ],
    )
    index.replace("de-doc", "h", [LexicalEntry("de1", "de", "Soldaten trainieren.")])
    assert list(index.search("Which soldier trains?", "en", 5)) == ["en1"]
    assert analyze("soldiers training", "en") == ["soldier", "train"]
    assert "de1" not in index.search("soldiers", "en", 5)
    assert index.languages() == ["de", "en"]


def test_query_syntax_cannot_leak_into_fts5() -> None:
    assert match_expression(['a"b', "NEAR", 'a"b']) == '"a""b" OR "NEAR"'
    assert _german_index().search('" OR NEAR(', "de", 3) == {}


class _Store:
    """A chunk source that records which articles' chunks were read."""

    def __init__(self, chunks: Sequence[StoredChunk], hashes: dict[str, str]) -> None:
        self.chunks = list(chunks)
        self.hashes = hashes
        self.read: list[list[str]] = []

    def document_hashes(self) -> dict[str, str]:
        return dict(self.hashes)

    def chunks_of(self, doc_ids: Sequence[str]) -> list[StoredChunk]:
        self.read.append(list(doc_ids))
        return [chunk for chunk in self.chunks if chunk.doc_id in doc_ids]


def _chunk(chunk_id: str, doc_id: str, text: str, language: str = "de") -> StoredChunk:
    return StoredChunk(chunk_id, doc_id, "", "paragraph", 0, len(text), text, language)


def test_sync_reads_only_articles_that_changed_and_drops_removed_ones() -> None:
    store = _Store(
        [_chunk("x1", "x", "Der Zauberer liest."), _chunk("y1", "y", "Ein Drache.")],
        {"x": "1", "y": "1"},
    )
    index = LexicalIndex()
    assert index.sync(store) == 2 and store.read == [["x", "y"]]
    store.chunks = [_chunk("x1", "x", "Der Zauberer liest."), _chunk("y2", "y", "Ein Ritter.")]
    store.hashes = {"x": "1", "y": "2"}
    assert index.sync(store) == 1 and store.read[-1] == ["y"]
    assert list(index.search("Ritter", "de", 3)) == ["y2"]
    store.hashes = {"y": "2"}
    index.sync(store)
    assert index.search("Zauberer", "de", 3) == {} and index.hashes() == {"y": "2"}


def test_search_rejects_bad_n() -> None:
    with pytest.raises(ValueError, match="n must be greater than 0"):
        LexicalIndex().search("Putin", "de", 0)
