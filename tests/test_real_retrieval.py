"""Slow: the real EmbeddingGemma on the real article, English and German questions."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

CASES = [
    ("Does Belarus enter the war?", "bestritt auch nun wieder, in den Krieg einzutreten"),
    ("Tritt Belarus in den Krieg ein?", "bestritt auch nun wieder, in den Krieg einzutreten"),
    ("How many Russian soldiers could the joint unit have?", "bis zu 9000 russische Soldaten"),
    ("Wer ist Lisa Gürth?", "stellvertretende Leiterin des Russland-Programms"),
    ("What did Lukashenko joke about at the press conference?", "toxischsten Menschen"),
    ("Welche Strafe droht Militärangehörigen in Belarus bei Landesverrat?", "Todesstrafe"),
    ("Why is the visit surprising according to the expert?", "erste Besuch Putins seit drei"),
    ("What did Peskov call the rumours?", "alberne und unbegründete Erfindungen"),
]


@pytest.mark.parametrize(("question", "needle"), CASES)
def test_the_answering_passage_is_in_the_top_three(
    real_components, question: str, needle: str
) -> None:
    passages = real_components.answerer.retriever.search(question, 3).passages
    assert any(needle in passage.text for passage in passages), [p.text[:80] for p in passages]


def test_the_headline_question_is_answered_with_the_denial(real_components) -> None:  # type: ignore[no-untyped-def]
    answer = real_components.answerer.answer("Does Belarus enter the war?")
    assert not answer.abstained
    assert any("bestritt auch nun wieder" in c.text for c in answer.citations)
    source = real_components.store.documents()["putin-minsk-analyse"]
    for citation in answer.citations:
        assert source[citation.start : citation.end] == citation.text


def test_an_out_of_article_question_is_refused(real_components) -> None:  # type: ignore[no-untyped-def]
    answer = real_components.answerer.answer("What is the capital of France?")
    assert answer.abstained and not answer.citations


def test_a_follow_up_finds_the_sentence_beside_the_earlier_answer(real_components) -> None:  # type: ignore[no-untyped-def]
    from index.types import Turn

    history = [
        Turn("user", "What did Lukashenko joke about at the press conference?"),
        Turn("assistant", "..."),
    ]
    answer = real_components.answerer.answer("How did the two of them settle it?", history)
    assert [c.text for c in answer.citations] == [
        "Dann hätten sie sich dafür entschieden, sich die Position zu teilen."
    ]


def test_a_relation_the_article_does_not_name_is_refused(real_components) -> None:  # type: ignore[no-untyped-def]
    # the best sentence is about Lisa Gürth herself and names nobody else
    answer = real_components.answerer.answer("Who is Lisa Gürth's superior at the foundation?")
    assert answer.abstained and not answer.citations
    # the person asked about herself is still answered
    assert not real_components.answerer.answer("Who is Lisa Gürth?").abstained


@pytest.mark.parametrize(
    "question",
    [
        # a date counted back ("vor drei Jahren") says when, not how long
        "How long did the meeting in Minsk last?",
        # a number of years is no amount of oil
        "How much oil does Russia deliver to Belarus each year?",
        # a press secretary is not the minister asked for
        "What is the name of the Belarusian defence minister?",
    ],
)
def test_a_near_topic_question_the_article_does_not_answer_is_refused(
    real_components,  # type: ignore[no-untyped-def]
    question: str,
) -> None:
    answer = real_components.answerer.answer(question)
    assert answer.abstained and not answer.citations


def test_a_date_counted_back_answers_how_long_ago(real_components) -> None:  # type: ignore[no-untyped-def]
    answer = real_components.answerer.answer("How long ago was Putin last in Belarus?")
    assert not answer.abstained
    assert any("drei Jahren" in c.text for c in answer.citations)


def test_a_place_question_is_refused_by_sentences_that_name_no_place(real_components) -> None:  # type: ignore[no-untyped-def]
    # the closest sentence says when the force was announced ("Im Oktober"), not where
    answer = real_components.answerer.answer("In which city will the joint troops be stationed?")
    assert answer.abstained and not answer.citations
    # a place the article names is still found
    found = real_components.answerer.answer("Where did Putin meet Lukashenko?")
    assert not found.abstained and found.answer.startswith("In Minsk.")


def test_the_sentence_that_answers_is_cited_not_the_one_about_the_question(
    real_components,  # type: ignore[no-untyped-def]
) -> None:
    # By the search vector alone only "Besonders von der Ukraine wurde das Treffen daher
    # skeptisch beobachtet." is cited; the question-answering vector finds the worry.
    retrieval = real_components.answerer.retriever.search("Was befürchtet die Ukraine?", 5)
    assert retrieval.evidence_vector is not None
    assert retrieval.evidence_vector != retrieval.query_vector
    answer = real_components.answerer.answer("Was befürchtet die Ukraine?")
    assert any(c.text.startswith("Die Sorge: Putin könne") for c in answer.citations)
