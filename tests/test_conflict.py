"""Two articles that contradict each other: the answer says so and cites both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.answer.conflict import find_conflict
from index.answer.extractive import ExtractiveComposer
from index.prompts import Prompts
from index.types import Evidence


def _evidence(doc_id: str, text: str, start: int = 0) -> Evidence:
    return Evidence(
        doc_id=doc_id,
        section="",
        start=start,
        end=start + len(text),
        text=text,
        similarity=0.8,
        score=0.8,
        passage_rank=1,
    )


YES = _evidence("a", "Belarus tritt in den Krieg ein.")
NO = _evidence("b", "Lukaschenko bestritt, in den Krieg einzutreten.")
ALSO_YES = _evidence("b", "Belarus schickt Soldaten.", 40)


def test_conflict_needs_two_articles_and_opposite_polarity() -> None:
    assert find_conflict([YES, NO]) == (YES, NO)
    assert find_conflict([YES, ALSO_YES]) is None  # two articles, same polarity
    same_article = _evidence("a", "Belarus tritt nicht in den Krieg ein.", 50)
    assert find_conflict([YES, same_article]) is None  # one article: not our call
    assert find_conflict([YES, ALSO_YES, NO]) == (YES, NO)


def test_extractive_answer_names_the_conflict_and_cites_both() -> None:
    composer = ExtractiveComposer(Prompts())
    text, citations = composer.compose("Tritt Belarus in den Krieg ein?", "de", [YES, NO])
    assert text.startswith("Die Artikel widersprechen sich hier.")
    assert [(c.n, c.doc_id) for c in citations] == [(1, "a"), (2, "b")]
    assert "[1]" in text and "[2]" in text
    english, _ = composer.compose("Does Belarus enter the war?", "en", [YES, NO])
    assert english.startswith("The articles contradict each other")


def test_pipeline_answer_cites_both_contradicting_articles(fake_components: Any) -> None:
    corpus = Path(fake_components.settings.corpus_dir)
    (corpus / "absage.md").write_text(
        "---\ntitle: Absage\n---\nDas Stadtfest wird wegen des Regens abgesagt.\n", encoding="utf-8"
    )
    (corpus / "keine-absage.md").write_text(
        "---\ntitle: Keine Absage\n---\nDas Stadtfest wird trotz des Regens nicht abgesagt.\n",
        encoding="utf-8",
    )
    fake_components.ingestor.ingest_folder(corpus)
    answer = fake_components.answerer.answer("Wird das Stadtfest abgesagt?")
    assert answer.answer.startswith("Die Artikel widersprechen sich hier.")
    assert {c.doc_id for c in answer.citations} == {"absage", "keine-absage"}
