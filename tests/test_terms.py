"""English questions against German articles: the dictionary's English-to-German side,
the question's terms in German, and sentence windows in evidence scoring."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.answer.evidence import score_evidence, window_vectors
from index.translate.dictionary import Dictionary, parse_reverse
from index.translate.terms import TermExtractor, content_words, coverage
from index.types import Passage, Retrieval, Sentence, StoredSentence

DING = "\n".join(
    [
        "# Version :: test",
        "Mannschaft {f}; Besatzung {f} | Mannschaften {pl} | Flugzeugbesatzung {f} [aviat.] "
        ":: crew | crews | flight crew; aircrew; aircraft crew",
        "Krieg {m} | Kriege {pl} :: war | wars",
        "eintreten {vi} | eintretend :: to enter | entering",
        "betreten {vt} :: to enter",
        "Zinssatz {m} :: interest rate",
        "Zins {m} :: interest",
        "vereint; vereinigt :: unites",
        "vereinen {vt} :: to unite",
        "Einheit {f} :: unit",
        "",
    ]
)


@pytest.fixture
def dictionary(tmp_path: Path) -> Dictionary:
    source = tmp_path / "de-en"
    source.write_text(DING, encoding="utf-8")
    return Dictionary(source, tmp_path / "de-en.sqlite")


def test_reverse_pairs_every_english_alternative_with_its_aligned_german_forms() -> None:
    pairs = set(parse_reverse(DING.splitlines()[1]))
    assert ("aircrew", "Flugzeugbesatzung") in pairs
    assert ("flight crew", "Flugzeugbesatzung") in pairs
    assert ("crew", "Besatzung") in pairs and ("crews", "Mannschaften") in pairs
    assert ("crew", "Flugzeugbesatzung") not in pairs  # segments stay aligned


def test_german_for_ranks_by_entries_and_finds_base_forms(dictionary: Dictionary) -> None:
    assert dictionary.german_for("aircrews") == ("Flugzeugbesatzung",)  # plural -> base
    assert set(dictionary.german_for("enter")) == {"eintreten", "betreten"}  # "to enter"
    assert dictionary.german_for("interest rate") == ("Zinssatz",)
    assert dictionary.german_for("nonsenseword") == ()
    # an inflected form's few senses are filled up with its base form's: "unites" is
    # "unite" (the shorter ending first), not "unit"
    found = dictionary.german_for("unites")
    assert set(found[:2]) == {"vereint", "vereinigt"} and found[2:] == ("vereinen",)
    assert set(dictionary.german_for("unites", 2)) == {"vereint", "vereinigt"}


def test_content_words_drop_the_questions_function_words_in_its_language() -> None:
    assert content_words("Does Belarus enter the war?", "en") == ["Belarus", "enter", "war"]
    assert content_words("Hat Belarus die Angriffe, wie viele?", "de") == ["Belarus", "Angriffe"]


def test_english_terms_match_german_compounds_and_zu_infinitives(dictionary: Dictionary) -> None:
    terms = TermExtractor(dictionary).terms("Did aircrews enter the war?", "en")
    assert [term.word for term in terms] == ["aircrews", "enter", "war"]
    german = "Flugzeugbesatzungen sollen ausgebildet werden, um in den Krieg einzutreten."
    assert coverage(terms, german) == 1.0
    assert coverage(terms, "Die Wirtschaft wächst.") == 0.0
    assert coverage([], german) == 0.0


def test_a_short_stem_matches_the_end_of_a_compound_only() -> None:
    from index.translate.terms import Term

    weapons = Term("weapons", ("Waffen",), ("waff",))
    assert coverage([weapons], "Einsätze mit Nuklearwaffen") == 1.0  # the compound's head
    assert coverage([weapons], "Die Waffen schweigen.") == 1.0
    assert coverage([weapons], "Ein Waffenstillstand.") == 0.0  # not its first part
    assert coverage([weapons], "Sie waff.") == 1.0  # the stem itself


def test_the_bm25_query_holds_the_dictionary_words_and_names(dictionary: Dictionary) -> None:
    query = TermExtractor(dictionary).query("What interest rate does Belarus pay?", "en")
    assert "Zinssatz" in query.split() and "Belarus" in query.split()
    # German questions and extractors without a dictionary keep the question's words
    assert TermExtractor(None).query("What interest rate?", "en") == "interest rate"
    assert TermExtractor(dictionary).query("Wie hoch ist der Zins?", "de") == "hoch Zins"


def _row(chunk: str, start: int, vector: list[float]) -> StoredSentence:
    return StoredSentence(Sentence("doc", start, start + 5, f"s{start}"), chunk, vector)


def test_a_sentence_window_adds_half_of_each_neighbour_in_the_same_passage() -> None:
    rows = [_row("c1", 0, [1.0, 0.0]), _row("c1", 10, [0.0, 1.0]), _row("c2", 20, [1.0, 1.0])]
    vectors = np.asarray([row.vector for row in rows])
    assert window_vectors(vectors, rows).tolist() == [[1.0, 0.5], [0.5, 1.0], [1.0, 1.0]]


def test_window_weight_lets_a_sentence_win_with_its_neighbours_subject() -> None:
    # question about "x": the second sentence alone points to "y", its neighbour to "x"
    rows = [
        _row("c1", 0, [1.0, 0.0, 0.0]),
        _row("c1", 10, [0.3, 1.0, 0.0]),
        _row("c2", 20, [0.45, 0.0, 1.0]),
    ]
    passages = [
        Passage(1, "c1", "doc", "", "body", 0, 15, "", 0.5),
        Passage(2, "c2", "doc", "", "body", 20, 25, "", 0.5),
    ]
    retrieval = Retrieval(passages=passages, query_vector=[1.0, 0.0, 0.0], language="en")
    plain = score_evidence(retrieval, rows, passage_weight=0.0)
    windowed = score_evidence(retrieval, rows, passage_weight=0.0, window_weight=0.5)
    assert [e.start for e in plain] == [0, 20, 10]
    assert [e.start for e in windowed] == [0, 10, 20]
    assert windowed[1].similarity == plain[2].similarity  # refusal still sees the sentence


def test_a_teasers_or_captions_sentence_yields_to_a_close_body_sentence() -> None:
    # the teaser's preview is a little closer to the question than the body's full report
    rows = [_row("t", 0, [1.0, 0.0]), _row("p", 10, [0.95, 0.3]), _row("c", 20, [1.0, 0.05])]
    passages = [
        Passage(1, "t", "doc", "Teaser", "teaser", 0, 5, "", 0.5),
        Passage(2, "p", "doc", "", "paragraph", 10, 15, "", 0.5),
        Passage(3, "c", "doc", "", "caption", 20, 25, "", 0.5),
    ]
    retrieval = Retrieval(passages=passages, query_vector=[1.0, 0.0], language="en")
    plain = score_evidence(retrieval, rows, passage_weight=0.0)
    body_first = score_evidence(retrieval, rows, passage_weight=0.0, secondary_penalty=0.1)
    assert [e.start for e in plain] == [0, 20, 10]
    assert [e.start for e in body_first] == [10, 0, 20]
    assert body_first[1].similarity == plain[0].similarity  # refusal still sees the cosine


def test_a_sentence_is_as_close_as_its_rendering_in_the_questions_language() -> None:
    # the German sentence s10 is far from the English question; its rendering is close
    rows = [_row("c1", 0, [0.8, 0.6]), _row("c1", 10, [0.3, 1.0]), _row("c2", 20, [0.5, 0.9])]
    passages = [
        Passage(1, "c1", "doc", "", "paragraph", 0, 15, "", 0.5),
        Passage(2, "c2", "doc", "", "paragraph", 20, 25, "", 0.5),
    ]
    retrieval = Retrieval(passages=passages, query_vector=[1.0, 0.0], language="en")
    plain = score_evidence(retrieval, rows, passage_weight=0.0)
    reader = [float("nan"), 0.95, 0.2]  # s0 has no rendering; s20's is farther than itself
    both = score_evidence(retrieval, rows, passage_weight=0.0, reader_similarities=reader)
    assert [e.start for e in plain] == [0, 20, 10]
    assert [e.start for e in both] == [10, 0, 20]
    assert both[0].similarity == pytest.approx(0.95)  # refusal sees the closer reading
    assert both[1].similarity == plain[0].similarity  # no rendering: its own cosine
    assert both[2].similarity == plain[1].similarity  # a farther rendering changes nothing


def test_a_form_with_an_umlaut_matches_the_dictionarys_form_without_one() -> None:
    from index.translate.terms import Term

    fighting = Term("fighting", ("Kampf",), ("kampf",))
    assert coverage([fighting], "In die Kämpfe mischte sich Minsk nicht ein.") == 1.0
    assert coverage([fighting], "Minsk kaufte Kampfjets.") == 1.0  # a compound, as before
    assert coverage([fighting], "Minsk kaufte Kapern.") == 0.0
