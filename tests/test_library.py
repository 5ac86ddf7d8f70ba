"""Adding and removing articles from the page: validation, unique names, instant search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index.errors import CorpusError
from index.ingest.corpus import MAX_ARTICLE_BYTES
from index.ingest.library import slug

RADWEG = (
    "Die Stadt baut einen neuen Radweg am Fluss. Der Radweg soll im Herbst fertig sein "
    "und kostet 1,2 Millionen Euro.\n"
)


def _files(components: Any) -> set[str]:
    return {path.name for path in Path(components.settings.corpus_dir).iterdir()}


def test_list_shows_every_indexed_article_with_title_and_file(fake_components: Any) -> None:
    rows = fake_components.library.rows()
    assert [(row.doc_id, row.title, row.file) for row in rows] == [
        ("bibliothek", "Neue Bibliothek", "bibliothek.md"),
        ("stadtfest", "Stadtfest in Beispielstadt", "stadtfest.txt"),
    ]
    assert all(row.passages > 0 and row.chars > 0 for row in rows)


def test_pasted_article_is_saved_ingested_and_answerable_at_once(fake_components: Any) -> None:
    steps: list[tuple[float, str]] = []
    added = fake_components.library.add_text(
        "Neuer Radweg", RADWEG, lambda f, m: steps.append((f, m))
    )
    assert (added.doc_id, added.file) == ("neuer-radweg", "neuer-radweg.md")
    saved = (Path(fake_components.settings.corpus_dir) / added.file).read_text(encoding="utf-8")
    assert saved.startswith("---\ntitle: Neuer Radweg\nlanguage: de\n") and saved.endswith(RADWEG)
    assert steps and steps[-1][0] == 1.0
    answer = fake_components.answerer.answer("Wann ist der Radweg fertig?")
    assert answer.citations and answer.citations[0].doc_id == "neuer-radweg"
    document = fake_components.store.documents()["neuer-radweg"]
    citation = answer.citations[0]
    assert document[citation.start : citation.end] == citation.text


def test_an_existing_file_is_never_overwritten(fake_components: Any) -> None:
    library = fake_components.library
    before = (Path(fake_components.settings.corpus_dir) / "stadtfest.txt").read_bytes()
    added = library.add_text("Stadtfest", RADWEG)
    assert added.file == "stadtfest-2.md" and added.doc_id == "stadtfest-2"
    assert (Path(fake_components.settings.corpus_dir) / "stadtfest.txt").read_bytes() == before
    assert library.add_text("Stadtfest", RADWEG.replace("Fluss", "See")).file == "stadtfest-3.md"


def test_title_defaults_to_the_first_line(fake_components: Any) -> None:
    added = fake_components.library.add_text("  ", "Radweg fertig\n\n" + RADWEG)
    assert added.title == "Radweg fertig"


@pytest.mark.parametrize(
    ("title", "text", "message"),
    [
        ("T", "   \n", "empty"),
        ("x" * 201, RADWEG, "title has 201"),
        ("T", "ä" * (MAX_ARTICLE_BYTES // 2 + 1), "limit"),
    ],
)
def test_bad_pasted_input_is_refused_and_nothing_changes(
    fake_components: Any, title: str, text: str, message: str
) -> None:
    files, documents = _files(fake_components), fake_components.store.documents()
    with pytest.raises(CorpusError, match=message):
        fake_components.library.add_text(title, text)
    assert _files(fake_components) == files
    assert fake_components.store.documents() == documents


def test_uploaded_html_is_added_under_its_own_name(fake_components: Any, tmp_path: Path) -> None:
    upload = tmp_path / "upload" / "Radweg Bericht.html"
    upload.parent.mkdir()
    upload.write_text(
        f"<html><title>Radweg</title><body><p>{RADWEG}</p></body></html>", encoding="utf-8"
    )
    added = fake_components.library.add_file(upload)
    assert (added.file, added.title) == ("radweg-bericht.html", "Radweg")
    assert "radweg-bericht" in fake_components.store.documents()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bild.png", b"\x89PNG", "unsupported file type"),
        ("leer.txt", b"", "empty"),
        ("binaer.txt", b"\xff\xfe\x00\x01", "not UTF-8"),
        ("gross.md", b"a" * (MAX_ARTICLE_BYTES + 1), "limit"),
    ],
)
def test_bad_uploads_are_refused_and_leave_no_file(
    fake_components: Any, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    upload = tmp_path / name
    upload.write_bytes(content)
    files, documents = _files(fake_components), fake_components.store.documents()
    with pytest.raises(CorpusError, match=message):
        fake_components.library.add_file(upload)
    assert _files(fake_components) == files
    assert fake_components.store.documents() == documents


def test_failed_ingest_removes_the_new_file(
    fake_components: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("embedding failed")

    monkeypatch.setattr(fake_components.ingestor, "sync", broken)
    files = _files(fake_components)
    with pytest.raises(RuntimeError):
        fake_components.library.add_text("Radweg", RADWEG)
    assert _files(fake_components) == files
    assert "radweg" not in fake_components.store.documents()


def test_remove_deletes_file_and_passages(fake_components: Any) -> None:
    library = fake_components.library
    message = library.remove("bibliothek")
    assert "Neue Bibliothek" in message and "bibliothek.md" in message
    assert "bibliothek.md" not in _files(fake_components)
    assert "bibliothek" not in fake_components.store.documents()
    assert "bibliothek" not in fake_components.store.ids_by_doc()
    assert [row.doc_id for row in library.rows()] == ["stadtfest"]


def test_remove_unknown_article_is_a_clear_error(fake_components: Any) -> None:
    with pytest.raises(CorpusError, match="no article with id 'nope'"):
        fake_components.library.remove("nope")
    with pytest.raises(CorpusError, match="Choose"):
        fake_components.library.remove("")


def test_slug_is_a_safe_file_stem() -> None:
    assert (
        slug("Putin in Minsk – droht ein Kriegseintritt?")
        == "putin-in-minsk-droht-ein-kriegseintritt"
    )
    assert slug("Öffnungszeiten für Straßen") == "oeffnungszeiten-fuer-strassen"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("Café") == "cafe"
    assert slug("???") == "article"
