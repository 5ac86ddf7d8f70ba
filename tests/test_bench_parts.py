"""The benchmark's pure parts: percentiles, the manual-page corpus, derived vectors."""

from __future__ import annotations

import math

import pytest

from eval.bench import percentile
from eval.benchcorpus import ManPage, article_file, cut, interleave, roff_to_text, write_corpus
from eval.derived import DerivedEmbedding
from tests.fakes import HashEmbedding

ROFF = r""".\" comment
.TH LS 1 "2022"
.SH BEZEICHNUNG
ls \- Verzeichnisinhalte auflisten
.SH BESCHREIBUNG
.PP
Auflistung von \fBInformationen\fP über die
DATEIen \(em sortiert.
.TP
\fB\-a\fP, \fB\-\-all\fP
Einträge nicht ignorieren
"""


def test_roff_becomes_headings_and_one_line_paragraphs() -> None:
    assert roff_to_text(ROFF) == (
        "Bezeichnung\n\nls - Verzeichnisinhalte auflisten\n\n"
        "Beschreibung\n\nAuflistung von Informationen über die "
        "DATEIen — sortiert.\n\n-a, --all Einträge nicht ignorieren"
    )


def test_cut_ends_at_a_paragraph_and_the_header_names_language_and_licence() -> None:
    assert cut("one\n\ntwo\n\nthree", 9) == "one\n\ntwo"
    page = ManPage("ls.1", "de", "manpages-de", "GPL-3+", "Text.")
    assert article_file(page, 100).startswith("---\ntitle: ls.1 (de)\nlanguage: de\n")


def test_copies_of_pages_are_labelled_and_read_as_articles_of_their_own(tmp_path) -> None:
    from index.ingest.corpus import read_corpus

    text = "Beschreibung\n\nDer Befehl listet Dateien auf, sortiert nach Namen."
    pages = [ManPage("ls.1", "de", "manpages-de", "GPL-3+", text)]
    assert write_corpus(pages, tmp_path, 3, max_chars=10**9) == 3
    articles, problems = read_corpus(tmp_path)
    assert problems == [] and len(articles) == 3  # no copy is skipped as a duplicate
    assert sorted(article.title for article in articles) == [
        "ls.1 (de)",
        "ls.1 copy 1 (de)",
        "ls.1 copy 2 (de)",
    ]


def test_interleave_mixes_languages_in_proportion() -> None:
    german = [ManPage(f"g{i}", "de", "", "", "") for i in range(4)]
    english = [ManPage(f"e{i}", "en", "", "", "") for i in range(2)]
    mixed = [page.language for page in interleave(german, english)]
    assert sorted(mixed) == ["de"] * 4 + ["en"] * 2 and mixed[:3].count("en") == 1


def test_percentile_is_nearest_rank_and_rejects_nothing() -> None:
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0
    assert percentile(list(map(float, range(101))), 95) == 95.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_derived_vectors_are_deterministic_unit_and_near_their_real_source() -> None:
    real = HashEmbedding()
    pool = [real.get_text_embedding("Putin reist nach Minsk")]
    derived = DerivedEmbedding(pool, real, noise=0.35)
    first, again = derived.get_text_embedding("x"), derived.get_text_embedding("x")
    assert first == again
    assert math.isclose(sum(v * v for v in first), 1.0, rel_tol=1e-5)
    assert sum(a * b for a, b in zip(first, pool[0], strict=True)) > 0.8
    assert derived.get_query_embedding("Minsk") == real.get_query_embedding("Minsk")
