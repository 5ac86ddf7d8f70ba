"""The newsroom's termbase: its file format, its place before the dictionary, and how the
renderer hints its terms both ways and keys its cache by them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index.errors import SettingsError
from index.prompts import Prompts
from index.settings import load_settings
from index.translate.dictionary import Dictionary
from index.translate.renderer import SentenceRenderer, backwards
from index.translate.termbase import Termbase, load_termbase, parse_termbase
from index.wiring import dictionary_of
from tests.fakes import HashEmbedding, ScriptedGenerator
from tests.test_translate import DING

TERMS = """# comment
Unterhaus\tlower house
Staatschef\thead of state
Finte\tdecoy; feint
"""


@pytest.fixture
def termbase() -> Termbase:
    return parse_termbase(TERMS)


@pytest.fixture
def dictionary(tmp_path: Path, termbase: Termbase) -> Dictionary:
    source = tmp_path / "de-en"
    source.write_text(DING, encoding="utf-8")
    return Dictionary(source, tmp_path / "de-en.sqlite", termbase)


def renderer_with(components: Any, llm: ScriptedGenerator, dictionary: Dictionary) -> Any:
    return SentenceRenderer(
        llm,
        Prompts(),
        HashEmbedding(),
        components.store,
        "fake-llm",
        dictionary,
        min_similarity=-1.0,
        min_round_trip=-1.0,
    )


def test_a_termbase_line_is_a_word_a_tab_and_its_renderings(termbase: Termbase) -> None:
    assert termbase.senses("unterhaus") == ("lower house",)
    assert termbase.senses("FINTE") == ("decoy", "feint")
    assert termbase.senses("Oberhaus") is None
    assert termbase.german_for("Lower House") == ("Unterhaus",)
    assert parse_termbase("# only a comment\n\n").terms == {}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Unterhaus lower house\n", "line 1"),  # no tab
        ("# c\nUnterhaus\t\n", "line 2"),  # no rendering
        ("Langzeit Staatschef\thead of state\n", "one German word"),
        ("Unterhaus\tlower house\nunterhaus\tbasement\n", "listed twice"),
    ],
)
def test_a_malformed_termbase_is_refused_with_its_line(text: str, reason: str) -> None:
    with pytest.raises(SettingsError, match=reason):
        parse_termbase(text, "terms.tsv")


def test_the_shipped_termbase_loads_and_a_broken_one_stops_the_start(tmp_path: Path) -> None:
    shipped = load_termbase(load_settings().termbase_file)
    assert shipped.senses("Unterhaus") == ("lower house",)
    broken = tmp_path / "terms.tsv"
    broken.write_text("Unterhaus = lower house\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"terms\.tsv, line 1"):
        dictionary_of(load_settings(termbase_path=str(broken)))
    with pytest.raises(SettingsError, match="cannot read"):
        dictionary_of(load_settings(termbase_path=str(tmp_path / "missing.tsv")))


def test_the_termbase_comes_before_the_dictionary(dictionary: Dictionary) -> None:
    finte = dictionary.lookup("Finten")  # an inflected form, found by its base form
    assert finte is not None
    assert (
        finte.senses[:2] == ("decoy", "feint")
        and "ruse" in dictionary.lookup("Finte", senses=3).senses
    )
    only_here = dictionary.lookup("Unterhauses")
    assert only_here is not None and only_here.senses == ("lower house",)
    assert dictionary.knows("Unterhaus")
    plain = dictionary.lookup("Treffen")
    assert plain is not None and plain.senses[0] == "meeting"
    assert dictionary.german_for("lower house") == ("Unterhaus",)
    assert dictionary.curated("Staatschefs") == ("head of state",)
    assert dictionary.curated("Treffen") == ()


def test_terms_are_hinted_first_also_as_the_last_part_of_a_compound(
    fake_components: Any, dictionary: Dictionary
) -> None:
    renderer = renderer_with(fake_components, ScriptedGenerator(), dictionary)
    source = "Das Unterhaus kritisierte die Finte der Langzeit-Staatschefs."
    assert renderer.terms(source) == [
        ("Unterhaus", "lower house"),
        ("Finte", "decoy / feint"),
        ("Langzeit-Staatschefs", "head of state"),
    ]
    assert renderer.glossary(source)[:3] == renderer.terms(source)
    renderer.glossary_size = 1  # the rare words' limit: every term is still hinted
    assert len(renderer.terms(source)) == 3
    renderer.glossary_size = 0  # no glossary at all
    assert renderer.terms(source) == []


def test_the_round_trip_reads_the_terms_backwards(
    fake_components: Any, dictionary: Dictionary
) -> None:
    source = "Das Unterhaus tagte."
    llm = ScriptedGenerator("The lower house met.", "Das Unterhaus tagte.")
    rendering = renderer_with(fake_components, llm, dictionary).render(source, "de", "en")
    assert rendering.checked and rendering.text == "The lower house met."
    assert "Glossary: Unterhaus = lower house" in llm.prompts[0][1]
    assert "Glossar: lower house = Unterhaus" in llm.prompts[1][1]  # the way back
    # a candidate that does not use the term's rendering gets no hint back
    glossary = renderer_with(fake_components, ScriptedGenerator(), dictionary).glossary(source)
    assert backwards(glossary, "The basement met.") == []


def test_a_changed_term_renders_again_only_the_sentences_that_hold_it(
    fake_components: Any, tmp_path: Path
) -> None:
    source = tmp_path / "de-en"
    source.write_text(DING, encoding="utf-8")

    def renderer(terms: str) -> Any:
        dictionary = Dictionary(source, tmp_path / "de-en.sqlite", parse_termbase(terms))
        return renderer_with(fake_components, ScriptedGenerator(), dictionary)

    before = renderer("Unterhaus\tlower house\nStaatschef\thead of state\n")
    after = renderer("Unterhaus\tHouse of Representatives\nStaatschef\thead of state\n")
    held, other = "Das Unterhaus tagte.", "Der Staatschef reiste."
    assert before.key(held, "de", "en") != after.key(held, "de", "en")
    assert before.key(other, "de", "en") == after.key(other, "de", "en")
    assert before.article_mark("hash", "en") != after.article_mark("hash", "en")


def test_every_hint_the_candidate_took_is_read_backwards(
    fake_components: Any, dictionary: Dictionary
) -> None:
    renderer = renderer_with(fake_components, ScriptedGenerator(), dictionary)
    source = "Das Unterhaus schickte Truppen."  # a term, and a rare word of the dictionary
    glossary = renderer.glossary(source)
    assert ("Truppen", "troops") in glossary
    assert backwards(glossary, "The lower house sent troops.") == [
        ("lower house", "Unterhaus"),
        ("troops", "Truppen"),
    ]
    assert backwards(glossary, "The basement sent soldiers.") == []
