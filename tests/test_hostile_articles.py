"""Hostile and confusing article files: each bad one is reported by name, the rest are
ingested, nothing indexed before is lost, nothing is written outside the corpus folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from index.errors import CorpusError
from index.ingest.corpus import MAX_ARTICLE_BYTES, read_corpus

GOOD = (
    "---\ntitle: Radweg\n---\nDie Stadt baut einen neuen Radweg am Fluss. Er soll im "
    "Herbst fertig sein.\n"
)


def _tree(folder: Path, skip: Path) -> set[str]:
    return {
        str(path.relative_to(folder)) for path in folder.rglob("*") if not path.is_relative_to(skip)
    }


def _names(problems: list[str]) -> list[str]:
    return [problem.split(":")[0] for problem in problems]


def test_second_file_for_an_id_is_reported_and_never_displaces_the_original(
    fake_components: Any,
) -> None:
    corpus = Path(fake_components.settings.corpus_dir)
    original = fake_components.store.documents()["stadtfest"]
    # "Stadtfest.md" sorts before "stadtfest.txt" and maps to the same id.
    (corpus / "Stadtfest.md").write_text(
        "---\ntitle: Kopie\n---\nDas Fest fällt aus.\n", encoding="utf-8"
    )
    report = fake_components.ingestor.ingest_folder(corpus)
    assert fake_components.store.documents()["stadtfest"] == original
    assert report.problems == [
        "Stadtfest.md: document id 'stadtfest' is already used by stadtfest.txt; skipped"
    ]
    assert report.added == report.updated == report.removed == []


def test_metadata_id_is_validated_like_a_file_name(fixture_corpus: Path) -> None:
    (fixture_corpus / "evil.md").write_text(
        "---\ndoc_id: ../../etc/passwd <script>\n---\nEin Satz über nichts.\n", encoding="utf-8"
    )
    articles, problems = read_corpus(fixture_corpus)
    assert "evil" not in {a.doc_id for a in articles}
    assert len(problems) == 1 and problems[0].startswith("evil.md: doc_id '../../etc/passwd")
    assert "not a valid id" in problems[0]


def test_exact_duplicate_under_another_name_is_reported_once(fake_components: Any) -> None:
    corpus = Path(fake_components.settings.corpus_dir)
    (corpus / "zz-copy.txt").write_bytes(
        (corpus / "stadtfest.txt")
        .read_bytes()
        .replace(b"title: Stadtfest in Beispielstadt", b"title: Noch einmal")
    )
    report = fake_components.ingestor.ingest_folder(corpus)
    assert report.problems == [
        "zz-copy.txt: the same text as stadtfest.txt; skipped as a duplicate"
    ]
    assert set(fake_components.store.documents()) == {"stadtfest", "bibliothek"}


def test_symlink_out_of_the_corpus_folder_is_refused(fixture_corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Das Passwort lautet geheim. Es steht hier.\n", encoding="utf-8")
    (fixture_corpus / "link.txt").symlink_to(secret)
    articles, problems = read_corpus(fixture_corpus)
    assert "link" not in {a.doc_id for a in articles}
    assert problems == ["link.txt: a link to a file outside the corpus folder; refused"]


def test_a_file_without_passages_is_reported_not_added(fake_components: Any) -> None:
    corpus = Path(fake_components.settings.corpus_dir)
    (corpus / "nur-titel.md").write_text("Nur eine Überschrift\n", encoding="utf-8")
    for _run in range(2):  # and again on the next run: never "added"
        report = fake_components.ingestor.ingest_folder(corpus)
        assert report.added == []
        assert report.problems == [
            "nur-titel.md: no passages could be made from this text; not indexed"
        ]


def test_bad_files_reported_by_name_rest_ingested_nothing_lost_nothing_outside(
    fake_components: Any, tmp_path: Path
) -> None:
    corpus = Path(fake_components.settings.corpus_dir)
    before_ids = fake_components.store.ids_by_doc()
    outside_before = _tree(tmp_path, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "latin1.txt").write_bytes("Die Straße wird gebaut.".encode("latin-1"))
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    with (corpus / "huge.txt").open("wb") as handle:  # sparse: no real 2 MB written
        handle.truncate(MAX_ARTICLE_BYTES + 1)
    (corpus / "copy-of-bibliothek.md").write_bytes((corpus / "bibliothek.md").read_bytes())
    (corpus / "page.html").write_text(
        "<html><head><title>Rat<script>alert(1)</script></title><style>p{}</style></head>"
        "<body><script>steal()</script><iframe src='x'>Rahmen</iframe>"
        "<p onclick='steal()'>Der Rat beschließt den Haushalt. Er gilt ab Mai.</p>"
        "<img src=x onerror='steal()'></body></html>",
        encoding="utf-8",
    )
    (corpus / "radweg.md").write_text(GOOD, encoding="utf-8")
    report = fake_components.ingestor.ingest_folder(corpus)
    assert sorted(_names(report.problems)) == sorted(
        ["binary.txt", "copy-of-bibliothek.md", "empty.txt", "huge.txt", "latin1.txt"]
    )
    assert sorted(report.added) == ["page", "radweg"]
    after_ids = fake_components.store.ids_by_doc()
    for doc_id, ids in before_ids.items():
        assert after_ids[doc_id] == ids
    page = fake_components.store.documents()["page"]
    assert page == "Der Rat beschließt den Haushalt. Er gilt ab Mai.\n"
    assert fake_components.store.titles()["page"] == "Rat"
    assert _tree(tmp_path, corpus) == outside_before


def test_upload_names_with_dot_dot_or_nul_stay_inside_the_corpus(
    fake_components: Any, tmp_path: Path
) -> None:
    corpus = Path(fake_components.settings.corpus_dir)
    upload = tmp_path / "upload.bin"
    upload.write_text(GOOD, encoding="utf-8")
    added = fake_components.library.add_file(upload, name="../../etc/pass\x00wd.txt")
    assert (corpus / added.file).is_file() and "/" not in added.file and "\x00" not in added.file
    assert not (tmp_path / "etc").exists()


def test_uploading_an_exact_copy_is_refused(fake_components: Any, tmp_path: Path) -> None:
    corpus = Path(fake_components.settings.corpus_dir)
    before = sorted(os.listdir(corpus))
    upload = tmp_path / "copy.txt"
    upload.write_bytes((corpus / "stadtfest.txt").read_bytes())
    with pytest.raises(CorpusError, match="same text as the article 'stadtfest'"):
        fake_components.library.add_file(upload)
    assert sorted(os.listdir(corpus)) == before


@pytest.mark.parametrize(
    "files", [1_000, pytest.param(10_000, marks=pytest.mark.slow)]
)  # 10,000: about 12 s here
def test_thousands_of_tiny_files_are_read_and_bad_ones_named(tmp_path: Path, files: int) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for number in range(files):
        body = "" if number % 100 == 7 else f"Meldung {number}: Der Rat tagt am Montag.\n"
        (corpus / f"m{number:05d}.txt").write_text(body, encoding="utf-8")
    articles, problems = read_corpus(corpus)
    assert len(articles) == files - files // 100
    assert _names(problems) == [f"m{n:05d}.txt" for n in range(7, files, 100)]


def test_removal_moves_the_file_to_the_trash_and_can_be_undone(fake_components: Any) -> None:
    corpus = Path(fake_components.settings.corpus_dir)
    message = fake_components.library.remove("stadtfest")
    assert "moved to .trash/" in message and not (corpus / "stadtfest.txt").exists()
    (trashed,) = (corpus / ".trash").iterdir()
    assert "stadtfest" not in fake_components.store.documents()
    os.replace(trashed, corpus / "stadtfest.txt")  # the undo
    report = fake_components.ingestor.ingest_folder(corpus)
    assert report.added == ["stadtfest"]
