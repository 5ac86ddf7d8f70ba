"""A question that names its source ("according to the expert") is answered by what
that source says."""

from __future__ import annotations

import pytest

from index.answer.evidence import prefer_source
from index.answer.sources import may_speak_for, source_of, speaks_for
from index.translate.terms import TermExtractor
from index.types import Evidence, Passage

OBSERVERS = "Manche Beobachter halten das für eine Finte."
REPORT = "Man dürfe nicht vergessen, dass Belarus den Krieg befürworte und aktiv unterstütze."
PASSAGE = f'"Die Reise ist nicht überzubewerten", meint Russland-Expertin Lisa Gürth. {REPORT}'


class _Lexicon:
    def german_for(self, phrase: str, limit: int = 4) -> tuple[str, ...]:
        return {"expert": ("Experte", "Expertin")}.get(phrase, ())[:limit]


@pytest.mark.parametrize(
    ("question", "source"),
    [
        ("Does Belarus oppose the war, according to the expert?", "expert"),
        ("According to Lisa Gürth, is the trip important?", "Lisa Gürth"),
        ("Was verbindet die beiden laut Putin?", "Putin"),
        ("In welchem Bündnis ist Belarus laut der Expertin?", "Expertin"),
        ("What matters in the expert's view?", "expert"),
        ("Does Belarus enter the war?", ""),
    ],
)
def test_the_source_a_question_names(question: str, source: str) -> None:
    assert source_of(question) == source


def test_a_sentence_is_the_sources_when_it_names_it_or_reports_under_its_name() -> None:
    expert = TermExtractor(_Lexicon()).terms("expert", "en")
    assert speaks_for(expert, "Das meint Russland-Expertin Lisa Gürth.", "")
    assert speaks_for(expert, REPORT, PASSAGE)  # reported speech, its speaker named nearby
    assert not speaks_for(expert, REPORT, "Manche Beobachter sagen das.")
    assert not speaks_for(expert, OBSERVERS, PASSAGE)  # said plainly, by someone else
    assert may_speak_for(expert, REPORT) and not may_speak_for(expert, OBSERVERS)


def _evidence(start: int, text: str, score: float, rank: int) -> Evidence:
    return Evidence("doc", "Expertin", start, start + len(text), text, score, score, rank)


def test_the_sources_sentence_goes_first_within_the_margin() -> None:
    expert = TermExtractor(_Lexicon()).terms("expert", "en")
    passages = [
        Passage(1, "c1", "doc", "", "paragraph", 0, 50, OBSERVERS, 0.6),
        Passage(2, "c2", "doc", "", "paragraph", 60, 200, PASSAGE, 0.5),
    ]
    ranked = [_evidence(0, OBSERVERS, 0.56, 1), _evidence(150, REPORT, 0.53, 2)]
    moved = prefer_source(expert, ranked, 0.05, passages)
    assert [e.start for e in moved] == [150, 0]
    assert [e.start for e in prefer_source(expert, ranked, 0.01, passages)] == [0, 150]
    assert [e.start for e in prefer_source([], ranked, 0.05, passages)] == [0, 150]
    # a best sentence that reports speech may be the source's: it stays first
    reported = [_evidence(150, REPORT, 0.56, 2), _evidence(0, OBSERVERS, 0.55, 1)]
    assert [e.start for e in prefer_source(expert, reported, 0.05, passages)] == [150, 0]
