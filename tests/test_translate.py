"""Renderings: the dictionary, the checks, the renderer's cache and candidate choice, and
how answers show them to a reader of another language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index.answer.extractive import ExtractiveComposer
from index.prompts import Prompts
from index.store import ChromaStore
from index.translate.checks import (
    clean_output,
    cognate_problems,
    name_problems,
    name_titles,
    negation_problems,
    number_problems,
    rendering_problems,
    source_names,
)
from index.translate.dictionary import Dictionary, parse_line
from index.translate.renderer import SentenceRenderer
from index.translate.spelling import place_compounds, reader_spelling, state_forms
from index.types import Evidence, Rendering
from tests.fakes import HashEmbedding, ScriptedGenerator

DING = """# Version :: test
Finte {f} (Boxen) [sport] | Finten {pl} :: feint (boxing) | feints
Kniff {m}; List {f}; Finte {f} | Kniffe {pl}; Listen {pl}; Finten {pl} :: ruse | ruses
Scheinangriff {m}; Finte {f} [mil.] | Scheinangriffe {pl} :: feint attack; feint | feint attacks
etw. überbewerten {vt} | überbewertend :: to overvalue sth. | overvaluing
Moskau (Hauptstadt von Russland) [geogr.] :: Moscow (capital of Russia) <Moskva>
Truppe {f} | Truppen {pl} :: troop | troops
Treffen {n} | Treffen {pl} :: meeting | meetings
Republik {f} [pol.] | Republiken {pl} :: republic | republics
Belarus {n} [geogr.] :: Belarus
belarussisch {adj} [geogr.] :: Belarusian
rot {adj}; Rote {m,f} | roten :: red; Red | Reds
kollektiv {adj} :: collective
Reise {f} | Reisen {pl} :: trip | trips
Stand {m} | Stände {pl} :: stand | stands
Nachbarland {n} | Nachbarländer {pl} :: neighbouring country | neighbouring countries
schädlich {adj} :: harmful
"""


@pytest.fixture
def dictionary(tmp_path: Path) -> Dictionary:
    source = tmp_path / "de-en"
    source.write_text(DING, encoding="utf-8")
    return Dictionary(source, tmp_path / "de-en.sqlite")


def senses_of(dictionary: Dictionary, count: int = 2):  # type: ignore[no-untyped-def]
    def senses(word: str) -> tuple[str, ...]:
        entry = dictionary.lookup(word, senses=count)
        return entry.senses if entry else ()

    return senses


def test_ding_lines_pair_each_german_form_with_its_aligned_english_segment() -> None:
    pairs = list(parse_line("Finte {f} (Boxen) [sport] | Finten {pl} :: feint (boxing) | feints"))
    assert pairs == [("Finte", "feint"), ("Finten", "feints")]
    assert list(parse_line("# comment :: no")) == []


def test_lookup_ranks_senses_by_entries_and_handles_inflection(dictionary: Dictionary) -> None:
    entry = dictionary.lookup("Finte")
    assert entry is not None and entry.senses[0] == "feint" and entry.lines == 3
    assert dictionary.lookup("überzubewerten").senses[0] == "to overvalue"  # zu-infinitive
    assert dictionary.lookup("Treffens").senses[0] == "meeting"  # genitive ending
    assert dictionary.lookup("schädlichsten").senses[0] == "harmful"  # superlative
    assert dictionary.lookup("Quatschwort") is None


def test_german_only_words_are_dictionary_words_that_are_no_english_words(
    dictionary: Dictionary,
) -> None:
    assert dictionary.german_only("Finten") and dictionary.german_only("Truppen")
    assert not dictionary.german_only("Belarus")  # translated as itself
    assert not dictionary.german_only("Stand")  # an English word too
    assert not dictionary.german_only("Lukaschenko")  # a name the dictionary lacks


def test_a_missing_dictionary_says_how_to_install_it(tmp_path: Path) -> None:
    from index.errors import ModelError

    missing = Dictionary(tmp_path / "nope", tmp_path / "nope.sqlite")
    assert not missing.available
    with pytest.raises(ModelError, match="trans-de-en"):
        missing.lookup("Finte")


@pytest.mark.parametrize(
    ("source", "rendering", "problem"),
    [
        ("Bis zu 9000 Soldaten könnten kommen.", "Up to 900 soldiers could come.", "9000"),
        ("Bis zu 9.000 Soldaten könnten kommen.", "Up to 9,000 soldiers could come.", None),
        ("Drei Tage dauerte es.", "It took three days.", None),
        ("Es dauerte lange.", "It took 3 days.", "number 3 is not in the source"),
        # "beiden" is two, and "both" says two
        (
            "Die beiden Staatschefs lachten.",
            "The heads of state laughed.",
            "number 2 of the source is missing",
        ),
        ("Die beiden Staatschefs lachten.", "Both heads of state laughed.", None),
        ("Die beiden Staatschefs lachten.", "The two heads of state laughed.", None),
        (
            "Er nennt Daten und Fakten.",
            "He gives both data and facts.",
            "number 2 is not in the source",
        ),
    ],
)
def test_numbers_must_survive_the_rendering(
    source: str, rendering: str, problem: str | None
) -> None:
    found = number_problems(source, rendering)
    assert (problem is None and not found) or (problem and problem in " ".join(found))


def test_a_flipped_negation_is_caught() -> None:
    source = "Minsk bestritt, in den Krieg einzutreten."
    assert negation_problems(source, "Minsk denied entering the war.") == []
    assert negation_problems(source, "Minsk announced it will enter the war.")
    assert negation_problems(
        "Putin hat Auslandsreisen gemieden.", "Putin has made trips abroad."
    )  # "avoided" lost


def test_names_may_change_spelling_but_not_identity(dictionary: Dictionary) -> None:
    senses = senses_of(dictionary)
    source = "Gestern empfing Lukaschenko Putin in Moskau."
    assert name_problems(source, "Yesterday Lukashenko received Putin in Moscow.", senses) == []
    assert any(
        "Selensky" in p
        for p in name_problems(source, "Yesterday Lukashenko received Selensky in Moscow.", senses)
    )
    assert any(
        "Lukaschenko" in p
        for p in name_problems(source, "Yesterday the president received Putin in Moscow.", senses)
    )
    # without a dictionary nothing says which source words are names: only invented ones count
    assert name_problems(source, "Yesterday the president received Putin in Moscow.") == []


def test_an_answers_both_is_not_a_claimed_number_but_a_renderings_is() -> None:
    from index.text.numbers import claimed_numbers

    assert claimed_numbers("Both Putin and Lukashenko spoke.") == set()
    assert claimed_numbers("Both Putin and Lukashenko spoke.", with_both=True) == {"2"}


@pytest.mark.parametrize(
    ("rendering", "missing"),
    [
        ("He met the Belarusian ruler on the red carpet.", False),
        ("He met the ruler of Belarus on the red carpet.", False),  # the country for its adjective
        ("He met the belarussian ruler on the red carpet.", True),  # English capitalises it
        ("He met the Belarussian ruler on the red carpet.", True),  # not the English spelling
        ("He met the Russian ruler on the red carpet.", True),
    ],
)
def test_a_nationality_must_be_kept_in_its_english_spelling(
    dictionary: Dictionary, rendering: str, missing: bool
) -> None:
    source = "Er traf den belarussischen Machthaber auf dem roten Teppich."
    found = name_problems(source, rendering, senses_of(dictionary))
    assert any("belarussischen" in problem for problem in found) == missing
    assert not any("roten" in problem for problem in found)  # red is no nationality


@pytest.mark.parametrize(
    ("rendering", "respelled"),
    [
        ("He met the belarussian ruler.", "He met the Belarusian ruler."),
        ("He met the Belarussian ruler.", "He met the Belarusian ruler."),
        ("He met the belarusian ruler.", "He met the Belarusian ruler."),
        ("He met two Belarussians.", "He met two Belarusians."),
        ("He met the ruler of Belarus.", "He met the ruler of Belarus."),  # a country stays
        ("He met the red ruler.", "He met the red ruler."),  # nothing to respell
    ],
)
def test_nationalities_are_respelled_the_english_way_before_the_checks(
    dictionary: Dictionary, rendering: str, respelled: str
) -> None:
    source = "Er traf den belarussischen Machthaber."
    assert reader_spelling(source, rendering, senses_of(dictionary)) == respelled
    assert reader_spelling("Er traf ihn.", rendering, senses_of(dictionary)) == rendering


@pytest.mark.parametrize(
    ("rendering", "restored"),
    [
        (
            "the armed forces of Belarus in the operation.",
            "the armed forces of the Republic of Belarus in the operation.",
        ),
        (
            "a wider involvement of the Belarusian armed forces in the operation.",
            "a wider involvement of the armed forces of the Republic of Belarus in the operation.",
        ),
        ("the forces of the Republic of Belarus", "the forces of the Republic of Belarus"),
        ("the Belarusian and Russian forces", "the Belarusian and Russian forces"),
        ("the forces of the country", "the forces of the country"),
    ],
)
def test_a_dropped_state_form_is_put_back(rendering: str, restored: str) -> None:
    source = "Fragen einer Beteiligung der Streitkräfte der Republik Belarus an der Operation."
    assert state_forms(source, rendering) == restored


def test_a_state_form_is_left_alone_when_the_source_has_the_adjective_too() -> None:
    source = "Die belarussischen Soldaten der Republik Belarus."
    assert state_forms(source, "The Belarusian soldiers.") == "The Belarusian soldiers."


@pytest.mark.parametrize(
    ("source", "reply", "shown"),
    [
        # a nationality respelled the English way
        (
            "Er sah die belarussischen Truppen.",
            "He saw the belarussian troops.",
            "He saw the Belarusian troops.",
        ),
        # a dropped state form put back
        (
            "Man erwartet eine Beteiligung der Truppen der Republik Belarus.",
            "A participation of the Belarusian troops is expected.",
            "A participation of the troops of the Republic of Belarus is expected.",
        ),
    ],
)
def test_the_renderers_edits_come_before_the_checks_and_let_the_candidate_pass(
    fake_components: Any, dictionary: Dictionary, source: str, reply: str, shown: str
) -> None:
    llm = ScriptedGenerator(reply, source)
    rendering = make_renderer(fake_components, llm, dictionary).render(source, "de", "en")
    assert rendering == Rendering("en", shown, True)
    assert len(llm.prompts) == 2  # the first candidate passed once edited


def test_a_title_before_a_name_belongs_to_it_but_a_genitive_does_not(
    dictionary: Dictionary,
) -> None:
    senses = senses_of(dictionary)
    source = "Die Truppen der Republik Belarus kamen zum Treffen."
    assert name_titles(source, senses) == ["Republik"]
    assert (
        name_problems(source, "The troops of the Republic of Belarus came to the meeting.", senses)
        == []
    )
    assert name_problems(source, "The troops of Belarus came to the meeting.", senses) == [
        "title 'Republik' of a name is missing"
    ]
    assert name_titles("Es war die erste Reise Putins nach Minsk.", senses) == []
    # a country described before its name: the name alone says which one
    described = "Er will das Nachbarland Belarus nicht einverleiben."
    assert name_titles(described, senses) == []
    assert "Belarus" in " ".join(name_problems(described, "He does not want to annex it.", senses))


def test_a_dropped_cognate_is_caught(dictionary: Dictionary) -> None:
    senses = senses_of(dictionary)
    source = "Sie setzen auf kollektive Sicherheit."
    assert cognate_problems(source, "They rely on collective security.", senses) == []
    assert cognate_problems(source, "They rely on security.", senses) == [
        "'kollektive' of the source is missing (as collective)"
    ]
    assert "collective" not in " ".join(rendering_problems(source, "They rely on security."))
    # a separable verb's particle lives on in an English compound
    assert (
        cognate_problems(
            "Gemeinsam halten wir dem Druck stand.", "Together we withstand the pressure.", senses
        )
        == []
    )


def test_common_nouns_and_compounds_are_not_taken_for_names(dictionary: Dictionary) -> None:
    names = source_names("Die Kampftruppe kam zum Treffen nach Moskau.", senses_of(dictionary))
    assert names == ["Moskau"]


def test_form_checks_reject_empty_runaway_and_german_output() -> None:
    source = "Das Treffen dauerte drei Stunden."
    assert rendering_problems(source, "") == ["empty"]
    assert rendering_problems(source, "The meeting lasted three hours. " * 10)
    assert rendering_problems(source, "Das Treffen dauerte drei Stunden.") == ["not English"]
    assert rendering_problems(source, "The meeting lasted three hours.") == []


def test_llm_output_is_cleaned_of_labels_and_quotes() -> None:
    assert clean_output('English: "The meeting lasted."\nextra') == "The meeting lasted."


# --- the renderer ---------------------------------------------------------------------


def make_renderer(
    components: Any,
    generator: ScriptedGenerator,
    dictionary: Dictionary | None = None,
    min_similarity: float = -1.0,
    min_round_trip: float = -1.0,
) -> SentenceRenderer:
    return SentenceRenderer(
        generator,
        Prompts(),
        HashEmbedding(),
        components.store,
        "fake-llm",
        dictionary,
        min_similarity=min_similarity,
        min_round_trip=min_round_trip,
    )


SOURCE = "Die Veranstalter lehnten eine Absage ab."


def test_a_passing_rendering_is_cached_and_not_made_again(fake_components: Any) -> None:
    llm = ScriptedGenerator(
        "The organisers rejected a cancellation.", "Die Veranstalter lehnten eine Absage ab."
    )
    renderer = make_renderer(fake_components, llm)
    first = renderer.render(SOURCE, "de", "en")
    assert first == Rendering("en", "The organisers rejected a cancellation.", True)
    assert len(llm.prompts) == 2  # the translation and its round trip
    again = make_renderer(fake_components, ScriptedGenerator()).render(SOURCE, "de", "en")
    assert again == first  # from the store: a fresh renderer asked no LLM


def test_a_rendering_is_read_with_slavic_names_the_english_way(fake_components: Any) -> None:
    source = "Peskow lehnte eine Absage ab."
    llm = ScriptedGenerator("Peskow rejected a cancellation.", "Peskow lehnte eine Absage ab.")
    made = make_renderer(fake_components, llm).render(source, "de", "en")
    assert made == Rendering("en", "Peskov rejected a cancellation.", True)
    # The store keeps the LLM's text; a later reader gets the same respelled rendering.
    cached = make_renderer(fake_components, ScriptedGenerator()).cached([source], "de", "en")
    assert cached[source] == made


def test_a_checked_rendering_keeps_its_vector_as_the_reader_reads_it(
    fake_components: Any,
) -> None:
    source = "Peskow lehnte eine Absage ab."
    llm = ScriptedGenerator("Peskow rejected a cancellation.", source)
    renderer = make_renderer(fake_components, llm)
    renderer.render(source, "de", "en")
    vectors = renderer.vectors([source, SOURCE], "de", "en")
    assert list(vectors) == [source]  # SOURCE has no rendering
    shown = HashEmbedding().get_text_embedding("Peskov rejected a cancellation.")
    assert vectors[source] == pytest.approx(shown)  # the respelled text, as shown
    # another embedding model's store does not read it
    store = fake_components.store
    other = ChromaStore(store.client, store.name, "another-model", check_model=False)
    assert other.rendering_vectors([renderer.key(source, "de", "en")]) == {}


def test_an_unchecked_rendering_gets_no_vector(fake_components: Any) -> None:
    llm = ScriptedGenerator(*["The organisers announced a cancellation."] * 2)
    renderer = make_renderer(fake_components, llm)
    assert not renderer.render(SOURCE, "de", "en").checked
    assert renderer.vectors([SOURCE], "de", "en") == {}
    assert renderer.ensure_vectors([SOURCE], "de", "en") == 0


def test_a_rendering_cached_without_a_vector_gets_one_once(fake_components: Any) -> None:
    renderer = make_renderer(fake_components, ScriptedGenerator())
    key = renderer.key(SOURCE, "de", "en")
    text = "The organisers rejected a cancellation."
    fake_components.store.save_renderings({key: Rendering("en", text, True)})
    assert renderer.vectors([SOURCE], "de", "en") == {}
    assert renderer.ensure_vectors([SOURCE], "de", "en") == 1
    assert renderer.vectors([SOURCE], "de", "en")[SOURCE] == pytest.approx(
        HashEmbedding().get_text_embedding(text)
    )
    assert renderer.ensure_vectors([SOURCE], "de", "en") == 0  # nothing left to embed


def test_the_cache_key_follows_model_and_text(fake_components: Any) -> None:
    renderer = make_renderer(fake_components, ScriptedGenerator())
    key = renderer.key(SOURCE, "de", "en")
    assert key == renderer.key(" Die  Veranstalter lehnten eine Absage ab. ", "de", "en")
    assert key != renderer.key(SOURCE + " Neu.", "de", "en")
    other = SentenceRenderer(
        ScriptedGenerator(), Prompts(), HashEmbedding(), fake_components.store, "other-llm"
    )
    assert other.key(SOURCE, "de", "en") != key


def test_a_failing_candidate_is_never_marked_checked(fake_components: Any) -> None:
    llm = ScriptedGenerator(
        "The organisers announced a cancellation.",  # negation lost
        "The organisers announced a cancellation.",
    )
    rendering = make_renderer(fake_components, llm).render(SOURCE, "de", "en")
    assert not rendering.checked and any("negation" in p for p in rendering.problems)
    assert len(llm.prompts) == 2  # the plain and the close candidate; no round trip


def test_the_glossary_candidate_is_tried_and_a_plain_one_after_it(
    fake_components: Any, dictionary: Dictionary
) -> None:
    source = "Manche halten das für eine Finte."
    llm = ScriptedGenerator(
        "Some think this is a fine of 5 euros.",  # invents a number
        "Some consider this a feint.",
        "Manche halten das für eine Finte.",
    )
    renderer = make_renderer(fake_components, llm, dictionary)
    assert renderer.glossary(source) == [("Finte", "feint / ruse")]
    rendering = renderer.render(source, "de", "en")
    assert "Glossary: Finte = feint / ruse" in llm.prompts[0][1]
    assert "Glossary" not in llm.prompts[1][1]
    assert rendering.checked and rendering.text == "Some consider this a feint."


def test_a_word_that_negates_by_meaning_is_hinted_first(
    fake_components: Any, dictionary: Dictionary
) -> None:
    renderer = make_renderer(fake_components, ScriptedGenerator(), dictionary)
    source = "Lange hat Putin jede Finte gemieden."
    assert renderer.glossary(source) == [("gemieden", "avoided"), ("Finte", "feint / ruse")]
    renderer.glossary_size = 1  # the size counts the rare words: a negation hint is extra
    assert renderer.glossary(source) == [("gemieden", "avoided"), ("Finte", "feint / ruse")]
    renderer.glossary_size = 0  # no glossary at all
    assert renderer.glossary(source) == []


def test_a_close_translation_with_the_glossary_is_the_last_candidate(
    fake_components: Any, dictionary: Dictionary
) -> None:
    source = "Manche halten das für eine Finte."
    llm = ScriptedGenerator(
        "Some think this is a fine of 5 euros.",
        "Some think this is a fine of 5 euros.",
        "Some consider this a feint.",
        "Manche halten das für eine Finte.",
    )
    rendering = make_renderer(fake_components, llm, dictionary).render(source, "de", "en")
    assert rendering.checked and rendering.text == "Some consider this a feint."
    systems = [system for system, _ in llm.prompts]
    assert systems[0] == systems[1] != systems[2]  # another system prompt for the third
    assert "Translate closely" in systems[2] and "Glossary: Finte" in llm.prompts[2][1]


def test_a_garbled_round_trip_gets_a_second_closer_back_translation(
    fake_components: Any,
) -> None:
    llm = ScriptedGenerator(
        "The organisers rejected a cancellation.",
        "Die Ausrichter verwarfen eine Wartung.",  # the first way back garbles it
        SOURCE,  # the close one comes back to the source
    )
    renderer = make_renderer(fake_components, llm, min_round_trip=0.99)
    rendering = renderer.render(SOURCE, "de", "en")
    assert rendering.checked and rendering.text == "The organisers rejected a cancellation."
    assert "Wort für Wort" in llm.prompts[2][0]  # the second back-translation's own prompt


def test_a_rendering_far_from_the_source_both_ways_back_is_rejected(
    fake_components: Any,
) -> None:
    garbled = "Die Ausrichter verwarfen eine Wartung."
    llm = ScriptedGenerator(
        "The organisers rejected a cancellation.",
        garbled,
        garbled,
        "The organisers rejected a cancellation.",
        garbled,
        garbled,
    )
    rendering = make_renderer(fake_components, llm, min_round_trip=0.99).render(SOURCE, "de", "en")
    assert not rendering.checked and "round trip drifted" in rendering.problems[0]
    assert rendering.problems[0].count(repr(garbled)) == 2  # both ways back are reported


def test_a_rendering_without_a_passing_candidate_says_why_each_failed(
    fake_components: Any,
) -> None:
    llm = ScriptedGenerator("Nobody wanted anything at all.", "Nothing was wanted by anyone.")
    rendering = make_renderer(fake_components, llm, min_similarity=0.99).render(SOURCE, "de", "en")
    assert not rendering.checked
    assert rendering.text == "Nobody wanted anything at all."  # the first candidate is kept
    assert "meaning drifted" in rendering.problems[0]
    second = [p for p in rendering.problems if p.startswith("candidate 2 ")]
    assert second and "'Nothing was wanted by anyone.'" in second[0]
    assert "meaning drifted" in second[0]


def test_low_similarity_rejects_a_rendering(fake_components: Any) -> None:
    llm = ScriptedGenerator("Nobody wanted anything at all.", "Nobody wanted anything at all.")
    rendering = make_renderer(fake_components, llm, min_similarity=0.9).render(SOURCE, "de", "en")
    assert not rendering.checked and "meaning drifted" in rendering.problems[0]


# --- answers for a reader of another language -------------------------------------------


class TableRenderer:
    """A renderer double: fixed renderings by source text; records what it was asked."""

    def __init__(self, table: dict[str, Rendering]) -> None:
        self.table = table
        self.asked: list[str] = []

    def cached(self, texts: Any, source: str, target: str) -> dict[str, Rendering]:
        return {text: self.table[text] for text in texts if text in self.table}

    def render(self, text: str, source: str, target: str) -> Rendering:
        self.asked.append(text)
        return Rendering(target, "", False, ("no rendering",))


def evidence(text: str, start: int = 0) -> Evidence:
    return Evidence(
        doc_id="fest",
        section="",
        start=start,
        end=start + len(text),
        text=text,
        similarity=0.7,
        score=0.7,
        passage_rank=1,
    )


def test_english_reader_gets_the_verdict_and_the_checked_rendering() -> None:
    denial = evidence(SOURCE)
    renderer = TableRenderer(
        {SOURCE: Rendering("en", "The organisers rejected a cancellation.", True)}
    )
    composed = ExtractiveComposer(Prompts(), renderer).compose_answer(
        "Will the city festival be cancelled?", "en", [denial]
    )
    assert composed.text == "No. The organisers rejected a cancellation [1]."
    assert composed.direct_answer == composed.text
    citation = composed.citations[0]
    assert citation.text == SOURCE  # the article's own words stay in the citation
    assert citation.rendering and citation.rendering.checked


def test_a_sentence_without_a_checked_rendering_is_quoted_in_german_with_a_note() -> None:
    other = "Das Fest beginnt am Freitag."
    renderer = TableRenderer({other: Rendering("en", "The party starts at Friday.", False)})
    composed = ExtractiveComposer(Prompts(), renderer).compose_answer(
        "When does the festival start?", "en", [evidence(other)]
    )
    # the asked-for value comes first, in English, from the sentence itself
    assert composed.text == (
        'On Friday. In German (no checked translation): "Das Fest beginnt am Freitag." [1]'
    )
    assert composed.direct_answer.startswith("On Friday.")
    assert composed.citations[0].rendering is None
    assert renderer.asked == []  # it was cached (unchecked): not rendered again


def test_what_the_reader_can_read_comes_before_a_german_quote() -> None:
    announced = 'Das Unterhaus zieht Konsequenzen für "Saboteure".'
    details = "Demnach sollen Betroffene härter bestraft werden."
    renderer = TableRenderer(
        {details: Rendering("en", "Accordingly, those affected are to be punished harder.", True)}
    )
    composer = ExtractiveComposer(Prompts(), renderer)
    question = "What did the lower house decide about saboteurs?"
    pair = [evidence(announced), evidence(details, start=len(announced) + 1)]
    composed = composer.compose_answer(question, "en", pair)
    assert composed.text == (
        "Accordingly, those affected are to be punished harder [1]. "
        'In German (no checked translation): "Das Unterhaus zieht Konsequenzen für '
        '"Saboteure"." [2]'
    )
    assert [c.text for c in composed.citations] == [details, announced]
    # a German reader gets both quoted in the article's order
    german = composer.compose_answer("Was beschloss das Unterhaus?", "de", pair)
    assert [c.text for c in german.citations] == [announced, details]


def test_a_who_question_opens_with_the_person_in_the_readers_spelling() -> None:
    sentence = "Den Vorschlag machte Dmitri Peskow am Montag."
    renderer = TableRenderer({})
    known = {"vorschlag": ("proposal",), "montag": ("Monday",)}
    composer = ExtractiveComposer(Prompts(), renderer, senses=lambda w: known.get(w.lower()))
    composed = composer.compose_answer("Who made the proposal?", "en", [evidence(sentence)])
    assert composed.text.startswith("Dmitri Peskov. In German (no checked translation):")
    assert composed.direct_answer.startswith("Dmitri Peskov.")
    # without a dictionary there is no way to tell names from nouns: no lead
    plain = ExtractiveComposer(Prompts(), renderer).compose_answer(
        "Who made the proposal?", "en", [evidence(sentence)]
    )
    assert plain.text.startswith("In German")


def test_german_reader_gets_german_quotes_and_no_rendering() -> None:
    renderer = TableRenderer({})
    composed = ExtractiveComposer(Prompts(), renderer).compose_answer(
        "Wird das Fest abgesagt?", "de", [evidence(SOURCE)]
    )
    assert composed.text == "Nein. Laut Artikel: „Die Veranstalter lehnten eine Absage ab.“ [1]"
    assert renderer.asked == []


def test_without_on_demand_rendering_a_missing_one_is_not_made() -> None:
    renderer = TableRenderer({})
    ExtractiveComposer(Prompts(), renderer, render_missing=False).compose_answer(
        "Will it be cancelled?", "en", [evidence(SOURCE)]
    )
    assert renderer.asked == []


def test_german_words_left_in_a_rendering_are_caught_but_names_are_not() -> None:
    from index.translate.checks import untranslated_problems

    source = 'Peskow nannte die Gerüchte "alberne Erfindungen", sagte Marie Illner in Sotschi.'
    german = {"alberne", "Erfindungen", "Marie", "Sotschi", "Gerüchte"}.__contains__

    def senses(word: str) -> tuple[str, ...]:
        return ("Sochi",) if word == "Sotschi" else ()

    left = "Peskov called the alberne Erfindungen rumours, said Marie Illner in Sotschi."
    assert untranslated_problems(source, left, german, senses) == [
        "left in German: 'alberne', 'Erfindungen'"
    ]
    half = 'Peskov called the rumours "alberne inventions", said Marie Illner in Sotschi.'
    assert untranslated_problems(source, half, german, senses) == ["left in German: 'alberne'"]
    # the quotation given whole in the speaker's own words is a quotation, not leftovers
    kept = 'Peskov called the rumours "alberne Erfindungen", said Marie Illner in Sotschi.'
    assert untranslated_problems(source, kept, german, senses) == []
    kept = 'Marie Illner in Sotschi said Peskov called the rumours "alberne Erfindungen."'
    assert untranslated_problems(source, kept, german, senses) == []
    # "Marie" is part of a name, "Sotschi" a place the dictionary renders as a name
    done = 'Peskov called the rumours "silly inventions", said Marie Illner in Sotschi.'
    assert untranslated_problems(source, done, german, senses) == []


def test_a_candidate_that_leaves_german_words_is_not_kept(
    fake_components: Any, dictionary: Dictionary
) -> None:
    source = "Manche halten das für eine Finte."
    llm = ScriptedGenerator(
        "Some think it is a Finte.", "Some think it is a feint.", "Manche halten es für eine Finte."
    )
    made = make_renderer(fake_components, llm, dictionary).render(source, "de", "en")
    assert made == Rendering("en", "Some think it is a feint.", True)


def test_a_cached_rendering_with_german_words_left_is_not_shown(
    fake_components: Any, dictionary: Dictionary
) -> None:
    source = "Manche halten das für eine Finte."
    renderer = make_renderer(fake_components, ScriptedGenerator(), dictionary)
    key = renderer.key(source, "de", "en")
    fake_components.store.save_renderings({key: Rendering("en", "Some think it is a Finte.", True)})
    shown = renderer.cached([source], "de", "en")[source]
    assert not shown.checked and shown.problems == ("left in German: 'Finte'",)
    # without the dictionary there is no telling German words: the rendering stands
    plain = make_renderer(fake_components, ScriptedGenerator()).cached([source], "de", "en")
    assert plain[source].checked


QUOTE_DING = """# Version :: test
albern {adj} :: silly
albern; läppisch {adj} :: frivolous
albern {adj} :: fatuous
grundlos {adj} :: unfounded
Erfindung {f} | Erfindungen {pl} :: invention | inventions
Gerücht {n} | Gerüchte {pl} :: rumour | rumours
"""


@pytest.fixture
def quote_dictionary(tmp_path: Path) -> Dictionary:
    source = tmp_path / "quotes-de-en"
    source.write_text(QUOTE_DING, encoding="utf-8")
    return Dictionary(source, tmp_path / "quotes-de-en.sqlite")


QUOTE_SOURCE = 'Peskow nannte die Gerüchte "alberne und grundlose Erfindungen".'


def test_a_short_quotation_must_be_rendered_by_its_words_meanings(
    quote_dictionary: Dictionary,
) -> None:
    from index.translate.checks import quote_problems, quoted_words

    senses = senses_of(quote_dictionary, 8)
    assert quoted_words(QUOTE_SOURCE) == ["alberne", "grundlose", "Erfindungen"]
    wrong = 'Peskov called the rumours "alleged and unexplained inventions".'
    found = quote_problems(QUOTE_SOURCE, wrong, senses)
    assert [problem.split(" is ")[0] for problem in found] == [
        "quoted 'alberne'",
        "quoted 'grundlose'",
    ]
    right = 'Peskov called the rumours "silly and unfounded inventions".'
    assert quote_problems(QUOTE_SOURCE, right, senses) == []
    # a long quotation is a whole statement, rendered like the rest of the sentence
    statement = '"Wir halten die alberne und unbegründete Erfindung für falsch", sagte er.'
    assert quoted_words(statement) == []


def test_a_misrendered_quotation_is_given_in_the_speakers_own_words(
    quote_dictionary: Dictionary,
) -> None:
    from index.translate.checks import with_source_quotes

    senses = senses_of(quote_dictionary, 8)
    wrong = 'Peskov called the rumours "alleged and unexplained inventions".'
    assert with_source_quotes(QUOTE_SOURCE, wrong, senses) == (
        'Peskov called the rumours "alberne und grundlose Erfindungen".'
    )
    # nothing to give back: a right quotation, or quotations that do not pair up
    right = 'Peskov called the rumours "silly and unfounded inventions".'
    assert with_source_quotes(QUOTE_SOURCE, right, senses) == ""
    assert with_source_quotes(QUOTE_SOURCE, "Peskov called the rumours lies.", senses) == ""
    # quotations that pair up by count but not by length are not this one's rendering
    two = 'Er nannte sie "Lügen" und "alberne Erfindungen".'
    other = 'He called them "lies" and a "fabrication invented by those who want war".'
    assert with_source_quotes(two, other, senses) == ""
    # a full stop inside the English quotation marks stays where it was
    inside = 'Peskov called the rumours "alleged and unexplained inventions."'
    assert with_source_quotes(QUOTE_SOURCE, inside, senses) == (
        'Peskov called the rumours "alberne und grundlose Erfindungen."'
    )


def test_a_renderer_keeps_a_right_quotation_and_else_the_speakers_words(
    fake_components: Any, quote_dictionary: Dictionary
) -> None:
    wrong = 'Peskov called the rumours "alleged and unexplained inventions".'
    right = 'Peskov called the rumours "silly and unfounded inventions".'
    back = QUOTE_SOURCE
    # a later candidate with the quotation right is preferred to giving it in German
    llm = ScriptedGenerator(wrong, back, right, back)
    made = make_renderer(fake_components, llm, quote_dictionary).render(QUOTE_SOURCE, "de", "en")
    assert made == Rendering("en", right, True)
    # no candidate renders it: the first passing one, with the speaker's own words
    source = QUOTE_SOURCE.replace("nannte", "nannte erneut")  # another sentence: not cached
    wrong = wrong.replace("called", "again called")
    llm = ScriptedGenerator(wrong, source, wrong, wrong)  # the same candidate each time
    made = make_renderer(fake_components, llm, quote_dictionary).render(source, "de", "en")
    assert made.checked and made.text == (
        'Peskov again called the rumours "alberne und grundlose Erfindungen".'
    )


def test_the_words_of_a_short_quotation_are_hinted_before_rare_words(
    fake_components: Any, quote_dictionary: Dictionary
) -> None:
    renderer = make_renderer(fake_components, ScriptedGenerator(), quote_dictionary)
    assert renderer.glossary(QUOTE_SOURCE)[:3] == [
        ("alberne", "silly / frivolous / fatuous"),
        ("grundlose", "unfounded"),
        ("Erfindungen", "inventions"),
    ]


PLACES = {
    "Russland": ("Russia",),
    "Ukraine": ("Ukraine",),
    "Expertin": ("expert",),
    "Programms": ("schedule", "computer program"),
    "Kriegs": ("war",),
}


@pytest.mark.parametrize(
    ("source", "rendering", "expected"),
    [
        # the expert is an expert on Russia, not a Russian
        (
            "Das meint Russland-Expertin Lisa Gürth.",
            "So says Russian expert Lisa Gürth.",
            "So says Russia expert Lisa Gürth.",
        ),
        # a multi-word sense by its last word
        (
            "Sie leitet das Russland-Programm.",
            "She heads the Russian program.",
            "She heads the Russia program.",
        ),
        (
            "Im Zuge des Ukraine-Kriegs.",
            "In the course of the Ukrainian war, Ukrainian soldiers fell.",
            "In the course of the Ukraine war, Ukrainian soldiers fell.",
        ),
        # the adjective before another word, a possessive, no compound: unchanged
        (
            "Die Russland-Expertin sprach über russische Soldaten.",
            "Russia's expert spoke about Russian soldiers.",
            "Russia's expert spoke about Russian soldiers.",
        ),
        (
            "Die russische Expertin sprach.",
            "The Russian expert spoke.",
            "The Russian expert spoke.",
        ),
        # the source's own adjective may be the one rendered: left as it is
        (
            "Die Russland-Expertin traf russische Experten.",
            "The Russian expert met Russian experts.",
            "The Russian expert met Russian experts.",
        ),
    ],
)
def test_a_place_compound_keeps_its_place_a_noun(
    source: str, rendering: str, expected: str
) -> None:
    assert place_compounds(source, rendering, lambda word: PLACES.get(word, ())) == expected


def test_a_stored_rendering_is_read_with_its_place_compounds_as_nouns() -> None:
    from index.translate.renderer import for_reader

    source = "Das meint Russland-Expertin Lisa Gürth."
    stored = Rendering("en", "So says Russian expert Lisa Gürth.", True)
    shown = for_reader(source, stored, senses=lambda word: PLACES.get(word, ()))
    assert shown == Rendering("en", "So says Russia expert Lisa Gürth.", True)
    assert for_reader(source, stored) == stored  # no dictionary: read as stored


def test_a_space_before_a_closing_quotation_mark_is_taken_out_when_read() -> None:
    from index.translate.renderer import for_reader

    source = '"Grundsätzlich ist die Reise nicht überzubewerten", meint Gürth.'
    stored = Rendering("en", '"Generally, the trip is not to be overrated, " says Gürth.', True)
    assert (
        for_reader(source, stored).text
        == '"Generally, the trip is not to be overrated," says Gürth.'
    )
    # an opening mark after a comma keeps its space
    opening = Rendering("en", 'He said, "We stand together."', True)
    assert for_reader("Er sagte: „Wir halten zusammen.“", opening).text == opening.text
