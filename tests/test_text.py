"""The one text toolkit: names across spellings, numbers, markers, language."""

from __future__ import annotations

import numpy as np
import pytest

from index.answer.refusal import unknown_names
from index.text.language import DEFAULT_LANGUAGE, detect_language, identify_language
from index.text.markers import cite, find_markers, markers_of, renumber, without_markers
from index.text.names import mentions, same_name
from index.text.numbers import claimed_numbers, normalise_number, numbers_in
from index.text.vectors import cosine, cosine_matrix, cosine_rows


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("Lukashenko", "Lukaschenko"),
        ("Zelensky", "Selenskyj"),
        ("Peskov", "Peskow"),
        ("Nayev", "Najew"),
        ("Sochi", "Sotschi"),
        ("Lukashenko's", "Lukaschenkos"),
    ],
)
def test_english_and_german_spellings_are_one_name(english: str, german: str) -> None:
    assert same_name(english, german)
    assert mentions(f"Am Montag sprach {german} in Minsk.", english)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Scholz", "Das war schon lange so."),
        ("Putin", "Die Pute war gut."),
        ("Zelensky", "Peskow sprach von Gerüchten."),
    ],
)
def test_no_prefix_false_matches(name: str, text: str) -> None:
    assert not mentions(text, name)


def test_exonyms_match_across_languages() -> None:
    assert mentions("Putin reiste nach Moskau.", "Moscow")
    assert mentions("Weißrussland und Russland", "Belarus")


def test_a_capital_stands_for_its_country_in_the_refusal_check() -> None:
    evidence = "Das Unterhaus des russischen Parlaments zieht Konsequenzen."
    assert unknown_names("Which body in Moscow wants tougher punishment?", "en", evidence) == []
    assert unknown_names("What does Moscow's parliament want?", "en", evidence) == []
    assert unknown_names("How did Kyiv view it?", "en", evidence) == ["Kyiv"]
    assert unknown_names("How did Kyiv view it?", "en", "Die Ukraine sah es skeptisch.") == []


def test_unknown_names_use_the_same_matcher() -> None:
    evidence = "Selenskyj sagte, Lukaschenko habe nichts versprochen."
    assert unknown_names("What did Zelensky say about Lukashenko?", "en", evidence) == []
    assert unknown_names("What did Scholz say?", "en", "Das war schon so.") == ["Scholz"]
    assert unknown_names("Was sagt die NATO?", "de", evidence) == ["NATO"]


def test_german_names_are_told_from_nouns_with_the_dictionary() -> None:
    # a stand-in for the Ding dictionary: nouns have lower-case senses, names capitalised
    # ones or none; compounds end in a known noun
    known = {"treffen": ("meeting",), "einheit": ("unit",), "agenda": ("agenda",)}

    def senses(word: str) -> tuple[str, ...] | None:
        return known.get(word.lower())

    evidence = "Besonders von der Ukraine wurde das Treffen skeptisch beobachtet."
    question = "Was denkt Selenskyj über das Treffen?"
    assert unknown_names(question, "de", evidence, senses) == ["Selenskyj"]
    assert unknown_names(question, "de", evidence) == []  # without the dictionary: acronyms
    assert unknown_names("Was steht auf der Agenda?", "de", evidence, senses) == []
    assert unknown_names("Wie groß ist die Kampfeinheit?", "de", evidence, senses) == []
    assert unknown_names("Was sagt die Ukraine?", "de", evidence, senses) == []


def test_numbers_in_every_spelling() -> None:
    assert normalise_number("9.000") == normalise_number("9,000") == "9000"
    assert normalise_number("1,5") == "1.5"
    assert numbers_in("drei Tage und 9.000 Soldaten", with_words=True) == {"3", "9000"}
    assert claimed_numbers("one of the three") == {"3"}  # "one" is mostly an article


def test_markers_parse_write_and_renumber() -> None:
    text = "A [1, 2]. B [3][1]."
    assert markers_of(text) == [1, 2, 3, 1]
    assert [m.numbers for m in find_markers(text)] == [(1, 2), (3,), (1,)]
    assert without_markers(text) == "A. B."
    assert cite("No.", 2) == "No [2]."
    assert renumber(text, {3: 1}) == "A. B [1]."


def test_language_by_library_with_one_default() -> None:
    assert detect_language("Who is Lisa Gürth?") == "en"
    assert detect_language("Wer ist Lisa Gürth?") == "de"
    assert detect_language("Is there an Absage of the Stadtfest?") == "en"  # English grammar
    assert detect_language("9000") == DEFAULT_LANGUAGE
    assert identify_language("Кто такой Лукашенко и что он сказал о войне?") == "ru"
    assert identify_language("Tritt Belarus in den Krieg ein?") == "de"


@pytest.mark.parametrize(
    ("question", "language"),
    [
        # lingua alone says English (0.53 and 0.57): names and words both languages share
        ("War Putin oft in Belarus?", "de"),
        ("Ist Belarus neutral?", "de"),
        ("Is Belarus neutral?", "en"),
        ("Sanctions against Belarus?", "en"),
    ],
)
def test_one_function_word_decides_a_close_call(question: str, language: str) -> None:
    assert detect_language(question) == language


@pytest.mark.parametrize(
    ("question", "language"),
    [
        # lingua says German for the first (Turkish among all languages): the names decide
        ("And Serhiy Nayev?", "en"),
        ("And Peskov?", "en"),
        ("Und Peskow?", "de"),
        # keywords without grammar: the lower-case words tell (lingua read the first German)
        ("Lukashenko joke", "en"),
        ("Lukaschenko Scherz", "de"),
    ],
)
def test_a_function_word_among_names_decides(question: str, language: str) -> None:
    assert detect_language(question) == language


def test_cosine_helpers_agree() -> None:
    assert cosine([1, 0], [0, 1]) == 0.0 and cosine([0, 0], [1, 0]) == 0.0
    matrix = cosine_matrix([[1, 0], [1, 1]], [[1, 0]])
    assert [row[0] for row in matrix] == pytest.approx([1.0, 0.7071068])
    with pytest.raises(ValueError, match="differ in length"):
        cosine([1, 0], [1, 0, 0])
    rows = np.asarray([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.0, -2.0]])
    expected = [cosine([1, 1], row) for row in rows]
    assert cosine_rows([1, 1], rows).tolist() == pytest.approx(expected)
    with pytest.raises(ValueError, match="differ in length"):
        cosine_rows([1, 0, 0], rows)
