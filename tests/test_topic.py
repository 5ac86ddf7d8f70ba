"""Topic questions: the topic's words find the sentence (index.answer.topic)."""

from __future__ import annotations

from index.answer.topic import anchored_by_topic, topic_of
from index.translate.terms import TermExtractor
from index.types import Evidence

GERMAN = {"oil": ("Öl",), "weather": ("Wetter",)}


class _Lexicon:
    def german_for(self, phrase: str, limit: int = 4) -> tuple[str, ...]:
        return GERMAN.get(phrase, ())[:limit]


TERMS = TermExtractor(_Lexicon())
OIL = Evidence("doc", "A", 0, 80, "Belarus ist stark von russischem Öl abhängig.", 0.26, 0.28, 1)
TALKS = Evidence("doc", "A", 90, 150, "Die Staatschefs sprachen von Gesprächen.", 0.27, 0.30, 1)


def test_the_topic_is_what_follows_the_filler() -> None:
    assert topic_of("What does the article say about oil?") == "oil"
    assert topic_of("Tell me about the sanctions.") == "the sanctions"
    assert topic_of("Was steht im Artikel über Öl?") == "Öl"
    assert topic_of("Was schreibt die Expertin zu den Sanktionen?") == "den Sanktionen"
    assert topic_of("Anything about nuclear weapons?") == "nuclear weapons"
    assert topic_of("Is there anything else on the sanctions?") == "the sanctions"
    assert topic_of("Gibt es etwas zu den Sanktionen?") == "den Sanktionen"
    assert topic_of("What did Putin say about the trip?") == ""  # a question of its own


def test_the_best_sentence_holding_the_topic_is_cited() -> None:
    ranked = [TALKS, OIL]  # the filler's neighbour scores first
    assert anchored_by_topic("What does the article say about oil?", "en", ranked, TERMS) == [OIL]
    assert anchored_by_topic("Was steht im Artikel über Öl?", "de", ranked, TERMS) == [OIL]


def test_no_sentence_holding_the_topic_or_too_far_is_no_answer() -> None:
    ranked = [TALKS, OIL]
    assert (
        anchored_by_topic("What does the article say about the weather?", "en", ranked, TERMS) == []
    )
    far = Evidence("doc", "A", 0, 80, OIL.text, 0.1, 0.1, 1)
    assert anchored_by_topic("What does the article say about oil?", "en", [far], TERMS) == []
    # not a topic question, or no dictionary: nothing
    assert anchored_by_topic("Is Belarus dependent on oil?", "en", ranked, TERMS) == []
    assert anchored_by_topic("What does the article say about oil?", "en", ranked, None) == []
