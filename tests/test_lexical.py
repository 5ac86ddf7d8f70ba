"""Folding, stemming, BM25 and language detection."""

from __future__ import annotations

import pytest

from index.retrieve.bm25 import BM25
from index.text.language import detect_language
from index.text.tokens import fold, tokens


def test_fold_spells_out_umlauts_and_lowercases() -> None:
    assert fold("Gürth ÄUSSERT Straße") == "guerth aeussert strasse"


def test_tokens_stem_inflections_together_and_split_compounds() -> None:
    assert tokens("Kriegseintritt") == tokens("kriegseintritts")
    assert set(tokens("Russland-Expertin")) >= set(tokens("Expertin")) | set(tokens("Russland"))
    assert "der" not in tokens("der Krieg")


def test_bm25_ranks_the_document_with_rare_shared_terms_first() -> None:
    documents = [
        tokens("Putin reiste nach Minsk."),
        tokens("Die Todesstrafe bei Landesverrat."),
        tokens("Putin und Lukaschenko sprachen."),
    ]
    scores = BM25(documents).scores(tokens("Was gilt bei Landesverrat?"))
    assert scores[1] > 0 and scores[0] == 0 and scores[2] == 0


def test_bm25_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="b=2"):
        BM25([], b=2)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Does Belarus enter the war?", "en"),
        ("Tritt Belarus in den Krieg ein?", "de"),
        ("Wer ist Lisa Gürth?", "de"),
        ("What does she think about the trip?", "en"),
        ("Warum ist das überraschend?", "de"),
        ("How many soldiers?", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("question", "evidence", "offers"),
    [
        ("How many soldiers?", "Bis zu 9000 russische Soldaten.", True),
        ("Wie alt ist sie?", "Lisa Gürth ist stellvertretende Leiterin.", False),
        ("Wie viele wurden bei den Protesten 2020 festgenommen?", "Bei den Protesten 2020.", False),
        ("When was he last in Belarus?", "Er war zuletzt vor drei Jahren dort.", True),
        ("When will the cosmonauts fly?", "Pläne, Kosmonauten ins All zu schicken.", False),
        ("Wann kündigten sie den Verbund an?", "Im Oktober hatten sie ihn angekündigt.", True),
        ("Who is Lisa Gürth?", "Lisa Gürth ist stellvertretende Leiterin.", True),
        # "die beiden" names two things already known; it is not a counted answer
        ("Wie viele Soldaten könnten dazu gehören?", "Die beiden Staaten kündigten ihn an.", False),
        # a duration needs a number of units, or "since" with a point in time
        ("Wie lange ist er schon an der Macht?", "Die beiden seien die schädlichsten.", False),
        ("Wie lange ist der Besuch her?", "Er war zuletzt vor drei Jahren dort.", True),
        ("How long has he ruled?", "He has ruled since 1994.", True),
        # a date counted back from now says when, not how long something lasted ...
        ("How long did the meeting last?", "Er war zuletzt vor drei Jahren dort.", False),
        ("How long did the talks last?", "They last met three years ago.", False),
        ("How long did the talks last?", "They talked for three hours.", True),
        # ... unless the question counts back too
        ("How long ago was his last visit?", "Er war zuletzt vor drei Jahren dort.", True),
        ("How long has it been since his last visit?", "He was there three years ago.", True),
        ("When was he born?", "He said so today.", False),
        # a count of days is not answered by a number of years ...
        ("How many days did he stay?", "Es war sein erster Besuch seit drei Jahren.", False),
        ("How many days did the trip last?", "Die Reise dauerte zwei Tage.", True),
        ("Wie viele Tagungen gab es?", "Es gab drei Treffen.", True),  # no unit
        # an amount of something else is not a number of years
        ("How much oil does Russia deliver?", "Der erste Besuch seit drei Jahren.", False),
        ("Wie viel Öl liefert Russland?", "Der erste Besuch seit drei Jahren.", False),
        ("How much oil does Russia deliver?", "Russland liefert 20 Millionen Tonnen.", True),
        ("How old is Lukashenko?", "Lukaschenko ist 68 Jahre alt.", True),
        # an age, not a year
        ("Wie alt ist Lukaschenko?", "Sie habe bei den Protesten 2020 klar gezeigt.", False),
        ("Wie alt ist Lukaschenko?", "Der 68-jährige Lukaschenko sagte es.", True),
        # ... nor a count of one group by the number of another
        ("How many Belarusian soldiers?", "Bis zu 9000 russische Soldaten.", False),
        ("Wie viele belarussische Soldaten?", "Bis zu 9000 russische Soldaten.", False),
        ("How many Russian soldiers?", "Bis zu 9000 russische Soldaten.", True),
        ("How many Belarusian soldiers?", "Up to 9,000 soldiers could join.", True),
        # ... also when the question names the group's country as its owner
        ("Wie viele Soldaten hat Belarus?", "Bis zu 9000 russische Soldaten.", False),
        ("How many soldiers does Belarus have?", "Bis zu 9000 russische Soldaten.", False),
        ("How many soldiers could Russia send?", "Bis zu 9000 russische Soldaten.", True),
        ("Wie viele Soldaten könnten dazugehören?", "Bis zu 9000 russische Soldaten.", True),
        # a count asked for as it stands now is not answered by a possible one ...
        (
            "Wie viele russische Soldaten sind derzeit in Belarus stationiert?",
            "Der Kampftruppe könnten bis zu 9000 russische Soldaten angehören.",
            False,
        ),
        ("How many Russian troops are there now?", "Up to 9,000 troops could join.", False),
        # ... but by one the evidence states, or when the question asks what is possible
        ("How many Russian troops are there now?", "9,000 troops are there.", True),
        ("How many Russian troops could be there now?", "Up to 9,000 could join.", True),
        ("Wie viele sind derzeit dort?", "Derzeit könnten es 9000 sein.", True),
        # the asked-for thing is a measure: a rate, a population, a price
        ("What interest rate does Russia charge?", "Belarus depends on cheap credit.", False),
        ("Welchen Zinssatz verlangt Russland?", "Belarus hängt von günstigen Krediten ab.", False),
        ("What is the population of Belarus?", "Belarus has 9.2 million inhabitants.", True),
        ("What is the population of Belarus?", "The population of Belarus is opposed.", False),
        ("What does the population think of the war?", "The population is opposed.", True),
    ],
)
def test_quantity_and_time_questions_need_such_a_value(
    question: str, evidence: str, offers: bool
) -> None:
    from index.answer.refusal import expected_answer_kind, offers_answer_kind

    assert offers_answer_kind(expected_answer_kind(question), question, evidence) is offers


@pytest.mark.parametrize(
    ("question", "language", "unknown"),
    [
        ("What did Zelensky say about the meeting?", "en", ["Zelensky"]),
        ("Wie reagierte die NATO auf das Treffen?", "de", ["NATO"]),
        ("What did Lukashenko joke about?", "en", []),
        ("What did Peskov call the rumours about Belarusian involvement?", "en", []),
        ("What does Serhiy Nayev expect from Moscow?", "en", []),
        ("Did they meet on Monday in Minsk?", "en", []),
        ("Was hält die Expertin von der Reise?", "de", []),
        # a government's seat stands for its country, as a capital does
        ("What was Minsk afraid the Kremlin would do?", "en", []),
        ("What does the White House say?", "en", ["House", "White"]),
    ],
)
def test_unknown_names(question: str, language: str, unknown: list[str]) -> None:
    from index.answer.refusal import unknown_names

    evidence = (
        "Lukaschenko scherzte. Peskow nannte die Gerüchte um einen belarussischen "
        "Kriegseintritt Erfindungen. Serhij Najew sprach über Moskau und Minsk. "
        "Die Sorge: Russland könne Belarus drängen."
    )
    assert unknown_names(question, language, evidence) == unknown


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did Putin meet Lukashenko?", "time"),
        ("On which day of the week did Putin meet Lukashenko?", "time"),
        ("What day did they meet?", "time"),
        ("In which month was the alliance announced?", "time"),
        ("An welchem Wochentag trafen sie sich?", "time"),
        ("Welcher Tag war das?", "time"),
        ("Which days does the article mention?", ""),  # a list, not one point in time
        ("Which daycare was closed?", ""),
        ("How many soldiers could join?", "quantity"),
        ("Who met Putin?", ""),
        # a "when" clause of another question asks for no time
        ("Who welcomed Putin when he arrived in Minsk?", ""),
        ("In which year were the protests?", "time"),
        ("And how many soldiers could it have?", "quantity"),
        # a follow-up read with the question before it: the follow-up's kind
        ("Und von wem? (Wann wurde der Truppenverbund angekündigt?)", ""),
        ("When? (Where did Putin travel?)", "time"),
    ],
)
def test_the_kind_of_answer_a_question_asks_for(question: str, kind: str) -> None:
    from index.answer.refusal import expected_answer_kind

    assert expected_answer_kind(question) == kind
