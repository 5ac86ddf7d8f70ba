"""Reading articles: header, exact text, structure, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import CorpusError
from index.ingest.corpus import blocks, read_article, read_corpus
from index.ingest.html import html_to_text

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus" / "putin-minsk-analyse.txt"


def test_article_text_after_header_is_the_source_as_received() -> None:
    article = read_article(ROOT / "corpus" / "putin-minsk-analyse.txt")
    if SHARED.is_file():
        assert article.text == SHARED.read_text(encoding="utf-8")
    assert article.doc_id == "putin-minsk-analyse"
    assert article.language == "de"
    assert article.metadata["author"] == "Marie Illner"


def test_structure_of_the_real_article() -> None:
    article = read_article(ROOT / "corpus" / "putin-minsk-analyse.txt")
    found = blocks(article)
    text = article.text
    kinds = {text[b.start : b.end]: b.kind for b in found}
    assert kinds["Tritt Belarus in den Krieg ein?"] == "heading"
    assert kinds["Mehr News zum Krieg in der Ukraine"] == "boilerplate"
    assert kinds["Russischer Präsident Wladimir Putin bei einer Rede."] == "caption"
    assert kinds['Expertin: "Reise nicht überbewerten"'] == "heading"
    teasers = [text[b.start : b.end] for b in found if b.kind == "teaser"]
    assert len(teasers) == 3 and all(not t.startswith("•") for t in teasers)
    sections = {b.section for b in found if "9000" in text[b.start : b.end]}
    assert sections == {"Tritt Belarus in den Krieg ein?"}


def test_blocks_keep_exact_offsets(fixture_corpus: Path) -> None:
    article = read_article(fixture_corpus / "stadtfest.txt")
    for block in blocks(article):
        piece = article.text[block.start : block.end]
        assert piece == piece.strip() and piece


def test_broken_files_are_skipped_with_a_reason(fixture_corpus: Path) -> None:
    (fixture_corpus / "binary.txt").write_bytes(b"\xff\xfe\x00garbage")
    (fixture_corpus / "empty.md").write_text("---\ntitle: x\n---\n   \n")
    (fixture_corpus / "image.png").write_bytes(b"\x89PNG")
    articles, problems = read_corpus(fixture_corpus)
    assert sorted(a.doc_id for a in articles) == ["bibliothek", "stadtfest"]
    assert any("binary.txt" in p and "UTF-8" in p for p in problems)
    assert any("empty.md" in p and "empty" in p for p in problems)
    assert any("image.png" in p and "unsupported" in p for p in problems)


def test_bad_header_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("---\ntitle: ok\nno colon here\n---\nText.\n")
    with pytest.raises(CorpusError, match="line 3"):
        read_article(path)


def test_html_scripts_are_dropped_and_blocks_become_lines() -> None:
    page = html_to_text(
        "<html><head><title>T</title><script>alert(1)</script></head>"
        "<body><h1>Überschrift</h1><p>Erster Satz &amp; mehr.</p></body></html>"
    )
    assert "alert" not in page.text
    assert "Überschrift\n\nErster Satz & mehr." in page.text
    assert page.title == "T" and not page.text.startswith("T\n")


def test_html_entities_are_decoded_once_and_tables_and_lists_stay_readable() -> None:
    page = html_to_text(
        "<body><p>A &amp;lt;b&amp;gt; tag</p><ul><li>eins</li><li>zwei</li>"
        "</ul><table><tr><th>Land</th><th>Truppen</th></tr>"
        "<tr><td>Belarus</td><td>9000</td></tr></table>"
        "<iframe src='x'>frame</iframe><p onclick='evil()'>Ende.</p></body>"
    )
    assert "A &lt;b&gt; tag" in page.text  # not "<b>": one decoding only
    assert "- eins\n\n- zwei" in page.text
    assert "Land | Truppen\n\nBelarus | 9000" in page.text
    assert "frame" not in page.text and "evil" not in page.text


def test_html_title_is_plain_text() -> None:
    page = html_to_text("<title>Gipfel <script>alert(1)</script> &amp; mehr</title><p>Text.</p>")
    assert page.title == "Gipfel & mehr"  # script code is no part of a title


def test_doc_ids_spell_out_umlauts() -> None:
    from index.ingest.corpus import doc_id_for

    assert doc_id_for(Path("Öffnungszeiten der Bücherei.md")) == "oeffnungszeiten-der-buecherei"
