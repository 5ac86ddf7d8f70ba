"""A question for an organisation is answered by a sentence that names one."""

from __future__ import annotations

import pytest

from index.answer.evidence import prefer_organisation
from index.answer.organisations import asks_for_organisation, names_an_organisation
from index.types import Evidence

FES = (
    "Lisa Gürth ist stellvertretende Leiterin des Russland-Programms bei der "
    "Friedrich-Ebert-Stiftung (FES)."
)
TEASER = "Eine Russland-Expertin gibt Antworten und verweist auf einen Satz, der hängen blieb."
QUESTION = "Für welche Organisation arbeitet die befragte Russland-Expertin?"


@pytest.mark.parametrize(
    "question",
    [
        QUESTION,
        "Bei welcher Stiftung arbeitet Lisa Gürth?",
        "In welchem Bündnis ist Belarus?",
        "Which organisation does she work for?",
        "What foundation does the expert work for?",
    ],
)
def test_questions_for_an_organisation(question: str) -> None:
    assert asks_for_organisation(question)


@pytest.mark.parametrize(
    "question", ["Who is Lisa Gürth?", "Welche Strafe droht?", "Which city did they meet in?"]
)
def test_other_questions_are_not(question: str) -> None:
    assert not asks_for_organisation(question)


def test_an_organisation_is_a_compound_of_its_kind_or_an_acronym() -> None:
    assert names_an_organisation(QUESTION, FES)
    assert names_an_organisation(QUESTION, "Belarus ist Mitglied der OVKS.")
    assert names_an_organisation(QUESTION, "Zwei Parteien und drei Stiftungen klagten.")
    assert not names_an_organisation(QUESTION, TEASER)
    # one the question names already is no answer
    assert not names_an_organisation("Für wen arbeitet man bei der FES?", "Die FES lädt ein.")


def _evidence(start: int, text: str, score: float) -> Evidence:
    return Evidence("doc", "", start, start + len(text), text, score, score, 1)


def test_the_sentence_naming_an_organisation_goes_first_within_the_margin() -> None:
    ranked = [_evidence(0, TEASER, 0.464), _evidence(500, FES, 0.458)]
    assert [e.start for e in prefer_organisation(QUESTION, ranked, 0.05)] == [500, 0]
    # farther than the margin, or another kind of question: the order stays
    assert [e.start for e in prefer_organisation(QUESTION, ranked, 0.005)] == [0, 500]
    assert [e.start for e in prefer_organisation("Wer gibt Antworten?", ranked, 0.05)] == [0, 500]
