"""Who wrote the article: the author the metadata names, cited where the text names them."""

from __future__ import annotations

import pytest

from index.answer.author import asks_for_author, naming_the_author
from index.types import Evidence


@pytest.mark.parametrize(
    "question",
    [
        "Who wrote the analysis?",
        "Who wrote this article?",
        "Who is the author?",
        "Which journalist's judgement shapes this piece?",
        "Wer hat den Artikel geschrieben?",
        "Wer ist die Autorin?",
        "Wer ist der Autor des Artikels?",
        "Von wem stammt der Text?",
    ],
)
def test_questions_about_the_author(question: str) -> None:
    assert asks_for_author(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who wrote the law?",
        "Who wrote to Putin?",
        "Wer hat das Gesetz verfasst?",
        "Who is Lisa Gürth?",
    ],
)
def test_other_questions(question: str) -> None:
    assert not asks_for_author(question)


def test_the_best_sentence_naming_its_articles_author_is_cited() -> None:
    about = Evidence(
        "a", "", 0, 50, "Die Analyse gibt Einschätzungen von Marie Illner wieder.", 0.2, 0.2, 1
    )
    other = Evidence("b", "", 0, 40, "Illner sagte nichts dazu.", 0.3, 0.3, 1)
    top = Evidence("a", "", 60, 90, "Putin reiste nach Minsk.", 0.3, 0.4, 1)
    authors = {"a": "Marie Illner"}
    assert naming_the_author([top, other, about], authors) == [about]  # b's author is unknown
    assert naming_the_author([top], authors) == []
    assert naming_the_author([about], {}) == []


def test_the_store_records_the_author_and_the_answer_cites_where_the_text_names_them(
    fake_components,  # type: ignore[no-untyped-def]
) -> None:
    store = fake_components.store
    assert store.authors(["stadtfest", "bibliothek", "missing"]) == {"stadtfest": "Max Muster"}
    answer = fake_components.answerer.answer("Wer hat den Bericht geschrieben?")
    assert [c.text for c in answer.citations] == [
        "Dieser Text enthält eine Einordnung aktueller Ereignisse von Max Muster."
    ]


def test_the_author_is_quoted_in_generative_mode_too(fake_components) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes import ScriptedGenerator
    from tests.test_generate import make_answerer

    llm = ScriptedGenerator("Der Bericht stammt von der Redaktion [1].")
    answer = make_answerer(fake_components, llm).answer("Wer hat den Bericht geschrieben?")
    assert llm.prompts == []  # the LLM knows no header: it is not asked
    assert answer.mode == "extractive"
    assert "Max Muster" in answer.answer
