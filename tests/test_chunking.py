"""Sentences and chunks: German abbreviations and dates, exact offsets, stable ids."""

from __future__ import annotations

from pathlib import Path

from index.ingest.chunking import chunk_article, punkt_splitter, sentences_of
from index.ingest.corpus import blocks, read_article
from index.types import Article

ROOT = Path(__file__).resolve().parent.parent


def _article(text: str) -> Article:
    return Article(doc_id="d", text=text, path="d.txt")


def test_german_punkt_keeps_abbreviations_and_dates_together() -> None:
    text = (
        "Am Montag (19.) traf sich Dr. Müller mit dem Minister. Es ging um 3 Mio. Euro "
        "für den 1. Bauabschnitt. Danach reiste er ab."
    )
    article = _article(text)
    block = blocks(article)[0]
    sentences = [s.text for s in sentences_of(article, block, punkt_splitter("german"))]
    assert sentences == [
        "Am Montag (19.) traf sich Dr. Müller mit dem Minister.",
        "Es ging um 3 Mio. Euro für den 1. Bauabschnitt.",
        "Danach reiste er ab.",
    ]


def test_chunks_reproduce_the_source_and_respect_the_budget() -> None:
    article = read_article(ROOT / "corpus" / "putin-minsk-analyse.txt")
    chunks = chunk_article(article, punkt_splitter("german"), lambda t: len(t.split()), 40)
    assert chunks
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        for sentence in chunk.sentences:
            assert article.text[sentence.start : sentence.end] == sentence.text
        if len(chunk.sentences) > 1:
            assert sum(len(s.text.split()) for s in chunk.sentences) <= 40
    headings = {chunk.section for chunk in chunks}
    assert "Tritt Belarus in den Krieg ein?" in headings
    assert not any(chunk.text == "Tritt Belarus in den Krieg ein?" for chunk in chunks)


def test_teaser_bullets_form_one_chunk_and_ids_are_stable() -> None:
    article = read_article(ROOT / "corpus" / "putin-minsk-analyse.txt")
    first = chunk_article(article, punkt_splitter("german"), lambda t: len(t.split()), 128)
    again = chunk_article(article, punkt_splitter("german"), lambda t: len(t.split()), 128)
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    teaser = [c for c in first if c.kind == "teaser"]
    assert len(teaser) == 1 and teaser[0].text.count("•") == 2  # all three bullets
    assert len({c.chunk_id for c in first}) == len(first)


def test_a_changed_sentence_changes_only_its_chunk_id() -> None:
    text = "Erster Absatz bleibt.\n\nZweiter Absatz ändert sich.\n"
    before = chunk_article(_article(text), punkt_splitter("german"), lambda t: 1, 128)
    after = chunk_article(
        _article(text.replace("ändert", "änderte")), punkt_splitter("german"), lambda t: 1, 128
    )
    assert before[0].chunk_id == after[0].chunk_id
    assert before[1].chunk_id != after[1].chunk_id
