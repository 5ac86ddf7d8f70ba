"""A "where" question cites a close sentence that names a place first."""

from __future__ import annotations

import pytest

from index.answer.evidence import prefer_place
from index.answer.where import asks_for_place, names_a_new_place
from index.types import Evidence

# A stand-in for the Ding dictionary: common nouns have lower-case senses, places
# capitalised ones (or only themselves); unknown words give None.
SENSES = {
    "gespräche": ("talks", "conversations"),
    "gesprächen": ("talks", "conversations"),
    "krieg": ("war",),
    "moskau": ("Moscow",),
    "belarus": ("Belarus",),
    "minsk": ("Minsk",),
    "oktober": ("October",),
    "montag": ("Monday",),
}


def senses(word: str) -> tuple[str, ...] | None:
    return SENSES.get(word.lower())


TALKS = 'Die Staatschefs sprachen von "ergebnisreichen" Gesprächen.'
PLACES = (
    "In Belarus war er zuletzt vor drei Jahren gewesen, Gespräche hatten danach stets in "
    "Moskau oder Sotschi stattgefunden."
)
WAR = "Minsk bestritt, in den Krieg einzutreten."


def _ev(start: int, text: str, score: float) -> Evidence:
    return Evidence("d", "s", start, start + 1, text, score, score, 1)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Where did earlier talks take place?", True),
        ("From where did Putin travel?", True),
        ("In which city did they meet?", True),
        ("Wo fanden die Gespräche statt?", True),
        ("Wohin reiste Putin?", True),
        ("In welchem Land fanden die Gespräche statt?", True),
        # other questions that start alike
        ("Wofür will Russland Flugzeugbesatzungen ausbilden?", False),
        ("Worauf haben sie sich geeinigt?", False),
        ("When did they meet?", False),
    ],
)
def test_which_questions_ask_for_a_place(question: str, expected: bool) -> None:
    assert asks_for_place(question) is expected


def test_a_place_is_a_name_after_a_preposition_not_a_common_noun() -> None:
    assert names_a_new_place("Where did they talk?", PLACES, senses)  # Moskau, Sotschi
    assert not names_a_new_place("Where did they talk?", TALKS, senses)
    assert not names_a_new_place("Where is the war?", WAR, senses)  # Krieg = war
    # a month or a weekday is a time, though the dictionary renders it capitalised
    assert not names_a_new_place(
        "In which city?", "Im Oktober hatten sie einen Verbund angekündigt.", senses
    )
    assert not names_a_new_place("Where did they meet?", "Sie trafen sich am Montag.", senses)
    assert not names_a_new_place("Where?", "They met in October.", senses)
    # places the question names already are no answer to it
    assert not names_a_new_place(
        "Where in Belarus, Moscow or Sochi?", "Sie trafen sich in Moskau.", senses
    )


def test_a_where_question_cites_a_close_sentence_that_names_a_place_first() -> None:
    talks, places, far_places = _ev(0, TALKS, 0.44), _ev(10, PLACES, 0.40), _ev(10, PLACES, 0.3)
    question = "Where did earlier talks between the two leaders take place?"
    assert prefer_place(question, [talks, places], 0.05, senses) == [places, talks]
    assert prefer_place(question, [talks, far_places], 0.05, senses) == [talks, far_places]
    # not a question for a place, or no dictionary: the order stays
    assert prefer_place("How did the talks go?", [talks, places], 0.05, senses) == [talks, places]
    assert prefer_place(question, [talks, places], 0.05, None) == [talks, places]


def test_a_where_question_opens_with_the_place_in_the_readers_spelling() -> None:
    from index.answer.where import place_lead

    talks = "Gespräche hatten danach stets in Moskau oder Sotschi stattgefunden."
    rendering = "Conversations always took place in Moscow or Sochi."
    asked = "Where did earlier talks take place?"
    assert place_lead(asked, talks, "en", senses, rendering) == "In Moscow or Sochi"
    assert place_lead("Wo fanden Gespräche statt?", talks, "de", senses) == "In Moskau oder Sotschi"
    # without a rendering: the dictionary's English name, else the word as written
    assert place_lead(asked, talks, "en", senses) == "In Moscow or Sotschi"
    # the place the question names is no answer; two place phrases are no one answer
    assert place_lead("Where in Moscow did they meet?", talks, "en", senses) == ""
    both = "In Belarus war er lange nicht, Gespräche fanden in Moskau statt."
    assert place_lead(asked, both, "en", senses) == ""
    assert place_lead("Who met in Moscow?", talks, "en", senses) == ""  # not a where question
    # a genitive is no place of its own: "in Moskaus Einflusssphäre" is not "in Moscow"
    sphere = "Belarus liege in Moskaus traditioneller Einflusssphäre."
    assert place_lead("Where is Belarus?", sphere, "en", senses) == ""
