"""A follow-up's answer beside the earlier answer (index.answer.conversation)."""

from __future__ import annotations

from index.answer.conversation import (
    beside_the_earlier_answer,
    is_joined,
    value_beside_the_earlier_answer,
)
from index.answer.neighbours import sentences_apart
from index.types import Evidence

JOKE = '"Lukaschenko hat ... scherzhaft gesagt, ... wer denn nun schlimmer sei", sagt Gürth.'
SETTLED = "Dann hätten sie sich dafür entschieden, sich die Position zu teilen."
TOLD = "Das erzählte sie im Gespräch."
MORE = '"An diesem scheinbaren Scherz ist jedoch mehr dran", meint die Expertin.'
FAR = "Die Kampftruppe könnten bis zu 9000 russische Soldaten angehören."


def _sentences(*texts: str, section: str = "A", gap: int = 1) -> list[Evidence]:
    """Consecutive sentences of one section, `gap` characters apart (similarity 0.5)."""
    found, start = [], 0
    for text in texts:
        found.append(Evidence("doc", section, start, start + len(text), text, 0.5, 0.5, 1))
        start += len(text) + gap
    return found


def _scored(item: Evidence, similarity: float) -> Evidence:
    return Evidence(
        item.doc_id, item.section, item.start, item.end, item.text, similarity, similarity, 1
    )


def test_a_joined_follow_up_is_told_from_a_rewritten_one() -> None:
    question = "How did they settle it?"
    assert is_joined(question, f"{question} (What did Lukashenko joke about?)")
    assert not is_joined(question, question)
    assert not is_joined("What does she think?", "What does Lisa Gürth think?")


def test_sentences_apart_walks_adjacent_sentences_only() -> None:
    joke, settled, told, more = _sentences(JOKE, SETTLED, TOLD, MORE)
    assert sentences_apart(joke, settled, [joke, settled]) == 1
    assert sentences_apart(more, joke, [joke, settled, told, more]) == -3
    # the sentence between them was not read: how far apart they are is unknown
    assert sentences_apart(joke, more, [joke, more]) is None
    (other,) = _sentences(FAR, section="B")
    assert sentences_apart(joke, other, [joke, other]) is None


def test_the_follow_ups_own_best_beside_the_earlier_answer_is_cited() -> None:
    joke, settled, told, more = _sentences(JOKE, SETTLED, TOLD, MORE)
    joined = [_scored(joke, 0.56), _scored(settled, 0.4), told, more]
    alone = [_scored(settled, 0.28), _scored(joke, 0.19)]
    assert beside_the_earlier_answer([joined[0]], joined, alone) == [alone[0]]
    # two sentences on is still beside it; three are not
    alone = [_scored(told, 0.43), _scored(joke, 0.12)]
    assert beside_the_earlier_answer([joined[0]], joined, alone) == [alone[0]]
    alone = [_scored(more, 0.43), _scored(joke, 0.12)]
    assert beside_the_earlier_answer([joined[0]], joined, alone) == [joined[0]]


def test_the_joined_choice_stands_when_the_follow_up_alone_says_too_little() -> None:
    joke, settled, told, more = _sentences(JOKE, SETTLED, TOLD, MORE)
    joined = [_scored(joke, 0.56), settled, told, more]
    best = [joined[0]]
    # under the floor
    assert beside_the_earlier_answer(best, joined, [_scored(settled, 0.2)]) == best
    # not clearly preferred over the earlier answer's sentence
    alone = [_scored(settled, 0.3), _scored(joke, 0.26)]
    assert beside_the_earlier_answer(best, joined, alone) == best
    # the same sentence, or none at all
    assert beside_the_earlier_answer(best, joined, [_scored(joke, 0.5)]) == best
    assert beside_the_earlier_answer(best, joined, []) == best
    assert beside_the_earlier_answer([], joined, [_scored(settled, 0.5)]) == []


def test_a_sentence_far_from_the_earlier_answer_is_another_topic() -> None:
    texts = [JOKE, SETTLED, TOLD, MORE, FAR]
    joke, settled, told, more, far = _sentences(*texts)
    joined = [_scored(joke, 0.56), settled, told, more, far]
    alone = [_scored(far, 0.6), _scored(joke, 0.2)]
    assert beside_the_earlier_answer([joined[0]], joined, alone) == [joined[0]]


def test_a_follow_up_for_a_value_finds_it_beside_the_earlier_answer() -> None:
    government = "Die Regierung sei der wichtigste Verbündete, nicht aber die Bevölkerung."
    protests = "Sie habe bei den Protesten 2020 klar gezeigt, dass sie den Kurs nicht stützt."
    path = "Deswegen wandert Lukaschenko weiter einen schmalen Grat."
    best, shown, later = _sentences(government, protests, path)
    statements = [_scored(best, 0.32), _scored(later, 0.3), _scored(shown, 0.17)]
    offering = [statements[2]]  # the one sentence holding a time
    assert value_beside_the_earlier_answer(statements, offering, 0.3) == [statements[2]]
    # the earlier answer's sentence itself too far from the question, or the value far
    assert value_beside_the_earlier_answer(statements, offering, 0.33) == []
    (far,) = _sentences(FAR, section="B")
    assert value_beside_the_earlier_answer(statements, [_scored(far, 0.2)], 0.3) == []
    assert value_beside_the_earlier_answer([], offering, 0.3) == []
