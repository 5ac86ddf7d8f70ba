"""The answer first: the value a "how many", "how long" or "when" question asks for,
copied from the sentence that answers it."""

from __future__ import annotations

import pytest

from index.answer.lead import value_lead

SOLDIERS = "Die Kampftruppe könnten bis zu 9000 russische Soldaten angehören."
VISIT = "In Belarus war er zuletzt vor drei Jahren gewesen, danach stets in Moskau."
MONDAY = "Am Montag (19.) traf sich Kreml-Chef Wladimir Putin mit Lukaschenko."


@pytest.mark.parametrize(
    ("kind", "question", "sentence", "language", "lead"),
    [
        ("quantity", "How many Russian soldiers could serve?", SOLDIERS, "en", "Up to 9000"),
        ("quantity", "Wie viele Soldaten könnten es sein?", SOLDIERS, "de", "Bis zu 9000"),
        ("quantity", "How many soldiers?", "Rund 9.000 Soldaten.", "en", "About 9000"),
        ("duration", "How long ago was his last visit?", VISIT, "en", "3 years ago"),
        ("duration", "Wie lange ist der Besuch her?", VISIT, "de", "Vor drei Jahren"),
        ("duration", "How long has he ruled?", "Er regiert seit 28 Jahren.", "en", "For 28 years"),
        # the first visit in three years: the last one was three years ago
        (
            "duration",
            "How long ago was Putin's previous visit?",
            "Es ist der erste Besuch Putins seit drei Jahren.",
            "en",
            "3 years ago",
        ),
        ("time", "On which day did Putin meet Lukashenko?", MONDAY, "en", "On Monday"),
        ("time", "Wann trafen sie sich?", MONDAY, "de", "Am Montag"),
        (
            "time",
            "When was the unit announced?",
            "Im Oktober kündigten sie ihn an.",
            "en",
            "In October",
        ),
        (
            "time",
            "In which year were the protests?",
            "Die Proteste 2020 scheiterten.",
            "en",
            "In 2020",
        ),
    ],
)
def test_the_value_comes_from_the_sentence(
    kind: str, question: str, sentence: str, language: str, lead: str
) -> None:
    assert value_lead(kind, question, sentence, language) == lead


@pytest.mark.parametrize(
    ("kind", "question", "sentence"),
    [
        # two different numbers: which one answers is not clear, so no lead
        ("quantity", "How many?", "Sie schicken 9000 Soldaten und 300 Panzer."),
        # the number the question already holds is no answer; "die beiden" is no count
        ("quantity", "How many of the 9000 soldiers?", SOLDIERS),
        ("quantity", "How many states?", "Die beiden Staaten kündigten ihn an."),
        # three years are no answer to "how many days"
        ("quantity", "How many days did he stay?", "Der erste Besuch seit drei Jahren."),
        # a day and a month: no single value
        ("time", "When did they meet?", "Am Montag im Mai trafen sie sich."),
        ("time", "On which Monday did they meet?", MONDAY),  # only the day the question names
        ("", "Who met Putin?", MONDAY),  # not a question for a value
        ("duration", "How long did it last?", "Es dauerte lange."),
    ],
)
def test_no_lead_without_one_clear_value(kind: str, question: str, sentence: str) -> None:
    assert value_lead(kind, question, sentence, "en") == ""


def test_no_lead_for_a_third_language() -> None:
    assert value_lead("quantity", "Combien de soldats ?", SOLDIERS, "fr") == ""
