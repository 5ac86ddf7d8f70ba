"""Slavic names in the English transcription (index.text.transliteration)."""

from __future__ import annotations

import pytest

from index.text.names import same_name
from index.text.transliteration import english_spelling, looks_slavic, respelled


@pytest.mark.parametrize(
    ("german", "english"),
    [
        ("Lukaschenko", "Lukashenko"),
        ("Peskow", "Peskov"),
        ("Najew", "Nayev"),
        ("Lawrow", "Lavrov"),
        ("Medwedew", "Medvedev"),
        ("Serhij", "Serhiy"),
        ("Selenskyj", "Selensky"),
        ("Janukowitsch", "Yanukovich"),
        ("Timoschenko", "Timoshenko"),
    ],
)
def test_transcribed_slavic_names_get_the_english_spelling(german: str, english: str) -> None:
    assert respelled(german) == english
    assert same_name(german, english)  # the name checks see one name


@pytest.mark.parametrize(
    "word",
    [
        *("Gürth", "Scholz", "Merkel", "Wagenknecht", "Putin", "Minsk", "Moskau", "Wie"),
        # English names that end like Slavic ones, and a Polish name that keeps its w
        *("Andrew", "Matthew", "Iowa", "Lewandowski", "Crew", "Show"),
    ],
)
def test_other_names_and_words_are_left_alone(word: str) -> None:
    assert not looks_slavic(word)
    assert respelled(word) == word


DICTIONARY = {"interview", "glasgow", "kitsch", "kautschuk", "talkshow", "bungalow"}


@pytest.mark.parametrize("word", ["Interview", "Glasgow", "Kitsch", "Kautschuk", "Talkshow"])
def test_words_the_dictionary_knows_are_left_alone(word: str) -> None:
    assert looks_slavic(word)  # by its ending alone it would be respelled
    assert respelled(word, lambda w: w.lower() in DICTIONARY) == word


def test_only_names_copied_from_the_source_are_respelled() -> None:
    source = "Er wurde von Alexander Lukaschenko empfangen, sagte Peskows Sprecher."
    rendering = "He was received by Alexander Lukaschenko, said Peskow's spokesman."
    assert english_spelling(source, rendering) == (
        "He was received by Alexander Lukashenko, said Peskov's spokesman."
    )
    # A name the source does not hold is the LLM's, not the article's: left as it is.
    assert english_spelling("Ein anderer Satz.", rendering) == rendering


def test_a_copied_german_genitive_becomes_the_english_possessive() -> None:
    source = "Sie habe 2020 gezeigt, dass sie den Kurs Lukaschenkos nicht unterstützt."
    for copied in ("Lukaschenkos'", "Lukaschenkos", "Lukaschenkos’"):
        rendering = f"It showed in 2020 that it did not support {copied} course."
        assert english_spelling(source, rendering) == (
            "It showed in 2020 that it did not support Lukashenko's course."
        )
    # only a Slavic name's genitive, and only one the source holds
    assert english_spelling("Der Kurs des Landes.", "The Lands course.") == "The Lands course."
    assert english_spelling(source, "Peskows course.") == "Peskows course."
