"""Why questions cite the neighbour that gives the best sentence's reason."""

from __future__ import annotations

from index.answer.why import asks_why, with_reason
from index.types import Evidence

CLOSER = "Im Zuge des Ukraine-Kriegs sind Russland und Belarus noch enger zusammengerückt."
BECAUSE = "Denn die vom Westen verhängten Sanktionen treffen auch Belarus."
LAST_VISIT = "In Belarus war er zuletzt vor drei Jahren gewesen."
THEREFORE = "Besonders von der Ukraine wurde das Treffen daher skeptisch beobachtet."
IN_ITSELF = "Momentan scheine das zu klappen, deswegen habe Lukaschenko recht."


def _article(*texts: str, section: str = "A") -> list[Evidence]:
    """Consecutive sentences of one section, one space apart, scored in falling order."""
    found, start = [], 0
    for number, text in enumerate(texts):
        found.append(
            Evidence("doc", section, start, start + len(text), text, 0.5, 0.5 - number / 10, 1)
        )
        start += len(text) + 1
    return found


def test_a_why_question_is_told_from_others() -> None:
    assert asks_why("Why have Russia and Belarus grown closer?")
    assert asks_why("Und warum?")
    assert asks_why("Weshalb wurde das Treffen skeptisch beobachtet?")
    assert not asks_why("Who welcomed Putin?")
    assert not asks_why("Was sagte Putin, warum er reiste?")  # the reason is not asked first


def test_the_next_sentence_opening_with_denn_gives_the_reason() -> None:
    closer, because = _article(CLOSER, BECAUSE)
    question = "Why have Russia and Belarus grown closer?"
    assert with_reason(question, [closer], [closer, because]) == [closer, because]
    # not for other questions, nor when the neighbour is not scored
    assert with_reason("Have Russia and Belarus grown closer?", [closer], [closer, because]) == [
        closer
    ]
    assert with_reason(question, [closer], [closer]) == [closer]


def test_a_daher_in_the_main_clause_draws_on_the_sentence_before() -> None:
    visit, therefore = _article(LAST_VISIT, THEREFORE)
    question = "Why was the meeting watched sceptically?"
    assert with_reason(question, [therefore], [therefore, visit]) == [visit, therefore]


def test_a_reason_given_in_the_sentence_itself_or_far_away_adds_nothing() -> None:
    visit, in_itself = _article(LAST_VISIT, IN_ITSELF)
    assert with_reason("Why is Lukashenko right?", [in_itself], [in_itself, visit]) == [in_itself]
    # a "Denn" sentence of another section is no neighbour
    closer = _article(CLOSER)[0]
    because = _article(CLOSER, BECAUSE, section="B")[1]
    assert with_reason("Why?", [closer], [closer, because]) == [closer]
