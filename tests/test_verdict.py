"""The "No" verdict of yes/no questions: only when the best sentence denies what is asked."""

from __future__ import annotations

import pytest

from index.answer.verdict import verdict
from index.text.polarity import (
    contrasted_clauses,
    negates_its_claim,
    set_apart,
    without_framed_quotes,
)
from index.translate.terms import TermExtractor
from index.types import Evidence

DENIAL = (
    "In die Kämpfe in der Ukraine mischte sich Minsk bislang aber nicht selbst aktiv ein "
    "und bestritt auch nun wieder, in den Krieg einzutreten."
)
EXCLUSION = (
    "Die belarussische Regierung sei der wichtigste Verbündete Russlands und der einzige "
    "in Europa, nicht aber die belarussische Bevölkerung."
)
TURN = (
    "Lange hat Präsident Putin offizielle Auslandsreisen gemieden, nun ist er Anfang der "
    "Woche nach Minsk gereist."
)
AFFIRMATION = (
    '"Deswegen wandert Lukaschenko weiter einen schmalen Grat zwischen klarer Unterstützung '
    'Putins und der demonstrierten Unabhängigkeit von Belarus", analysiert Gürth.'
)


GERMAN = {
    "population": ("Bevölkerung",),
    "government": ("Regierung",),
    "ally": ("Verbündete",),
    "side": ("Seite",),
    "abroad": ("Ausland",),
    "travel": ("reisen",),
    "visit": ("besuchen",),
    "military": ("militärisch",),
    "issues": ("Fragen",),
    "discussed": ("diskutieren",),
    "involved": ("Involvierung",),
    "enter": ("eintreten",),
    "war": ("Krieg",),
    "sign": ("unterzeichnen",),
    "treaty": ("Vertrag",),
    "nuclear": ("nuklear",),
    "weapons": ("Waffen",),
}


class _Lexicon:
    """A few English words with their German equivalents (the Ding dictionary's role)."""

    def german_for(self, phrase: str, limit: int = 4) -> tuple[str, ...]:
        return GERMAN.get(phrase, ())[:limit]


TERMS = TermExtractor(_Lexicon())


def _best(text: str, similarity: float = 0.6) -> Evidence:
    return Evidence("doc", "", 0, len(text), text, similarity, similarity, 1)


FAR = 0.44  # a sentence's cosine to a question it shares only names with


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Does Belarus enter the war?", DENIAL, "no"),
        ("Tritt Belarus in den Krieg ein?", DENIAL, "no"),
        # a negation that only sets the population apart affirms the government
        ("Is the Belarusian government Russia's ally?", EXCLUSION, None),
        # an affirming sentence is no "No" to a negated question (the answer is rather yes)
        ("Is Lukashenko right that nobody can tear them apart?", AFFIRMATION, None),
        # both negated: no disagreement
        ("Has Belarus not entered the war?", DENIAL, None),
        # wh-questions get no verdict
        ("What did Minsk deny?", DENIAL, None),
    ],
)
def test_no_only_when_the_sentence_denies_what_is_asked(
    question: str, sentence: str, expected: str | None
) -> None:
    assert verdict(question, _best(sentence)) == expected


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        # asked about what the sentence sets apart: its negation answers
        ("Is the Belarusian population on Russia's side as well?", "en", "no"),
        ("Steht die Bevölkerung auf der Seite Russlands?", "de", "no"),
        # asked about what it affirms: no verdict
        ("Is the Belarusian government Russia's ally?", "en", None),
        ("Is Belarus Russia's only ally in Europe?", "en", None),
    ],
)
def test_an_exclusion_answers_no_only_about_what_it_sets_apart(
    question: str, language: str, expected: str | None
) -> None:
    assert verdict(question, _best(EXCLUSION), TERMS, language) == expected
    assert verdict(question, _best(EXCLUSION)) is None  # without terms: never a verdict


def test_an_exclusion_at_the_end_is_no_denial_of_the_rest() -> None:
    assert not negates_its_claim(EXCLUSION)
    assert negates_its_claim(DENIAL)
    # a real negation beside the exclusion still counts
    assert negates_its_claim("Minsk greift nicht ein, nicht aber Moskau.")
    # "aber nicht" without the comma is the predicate's negation
    assert negates_its_claim("Minsk mischte sich aber nicht ein.")
    assert set_apart(EXCLUSION) == (
        "Die belarussische Regierung sei der wichtigste Verbündete Russlands und der "
        "einzige in Europa.",
        ", nicht aber die belarussische Bevölkerung",
    )
    assert set_apart(DENIAL) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the negated clause holds what is asked (Ausland, Putin)
        ("Did Putin travel abroad often?", "no"),
        # the affirmed clause holds as much of it (Minsk against Putin): no verdict
        ("Is Putin planning to visit Minsk again?", None),
    ],
)
def test_a_turn_from_no_to_yes_answers_no_only_about_the_negated_clause(
    question: str, expected: str | None
) -> None:
    assert verdict(question, _best(TURN), TERMS, "en") == expected
    assert verdict(question, _best(TURN)) is None  # without terms: never a verdict


def test_only_a_new_main_clause_splits_a_sentence() -> None:
    assert contrasted_clauses(TURN) == [
        "Lange hat Präsident Putin offizielle Auslandsreisen gemieden",
        "nun ist er Anfang der Woche nach Minsk gereist.",
    ]
    # the comma before an infinitive keeps the negation's scope: no split
    assert contrasted_clauses(DENIAL) == [DENIAL]


CONCESSION = (
    "Bei dem Treffen seien zwar militärische Fragen diskutiert worden, so Gürth, aber trotz "
    "verschiedener Andeutungen einer weiteren Involvierung Belarus deute darauf faktisch "
    "momentan wenig hin."
)


def test_a_question_about_opposing_gets_no_verdict_from_a_denial() -> None:
    # "against" is negative in meaning: the sentence's exclusion would mean "yes"
    asked = "Is the Belarusian population against Lukashenko's course?"
    assert verdict(asked, _best(EXCLUSION), TERMS) is None
    assert verdict("Does the government reject the war?", _best(DENIAL), TERMS) is None
    assert verdict("Does Belarus enter the war?", _best(DENIAL), TERMS) == "no"


def test_a_new_subject_after_und_opens_a_clause_of_its_own() -> None:
    topics = (
        '"Öffentlich wurde die russische Invasion gar nicht direkt angesprochen und es ging '
        'auch um andere Themen, darunter Pläne belarussische Kosmonauten ins All zu schicken", '
        "sagt Gürth."
    )
    assert len(contrasted_clauses(topics)) == 2
    assert contrasted_clauses(DENIAL) == [DENIAL]  # "und bestritt": the same subject
    lexicon = {"cosmonauts": ("Kosmonauten",), "space": ("All",), "invasion": ("Invasion",)}

    class _Space:
        def german_for(self, phrase: str, limit: int = 4) -> tuple[str, ...]:
            return lexicon.get(phrase, ())[:limit]

    space = TermExtractor(_Space())
    assert verdict("Will cosmonauts go to space?", _best(topics), space) is None
    assert verdict("Was the invasion addressed?", _best(topics), space) == "no"


def test_a_concession_turns_at_its_aber() -> None:
    assert contrasted_clauses(CONCESSION) == [
        "Bei dem Treffen seien zwar militärische Fragen diskutiert worden, so Gürth",
        "aber trotz verschiedener Andeutungen einer weiteren Involvierung Belarus deute "
        "darauf faktisch momentan wenig hin.",
    ]
    # the conceded clause holds what is asked: no "No" from the "wenig" after the turn
    asked = "Were military issues discussed at the meeting?"
    assert verdict(asked, _best(CONCESSION), TERMS) is None
    # the clause after the turn holds it: "No"
    assert verdict("Is Belarus getting more involved?", _best(CONCESSION), TERMS) == "no"
    # neither holds it: the point of a concession is after its "aber", yet a sentence far
    # from the question holding none of its words denies nothing it asks
    assert verdict("Are there signs of new developments?", _best(CONCESSION), TERMS) == "no"
    signs = "Are there signs of new developments?"
    assert verdict(signs, _best(CONCESSION, FAR), TERMS) is None
    # "aber" without a "zwar" before it and no finite verb after it: no split
    plain = "Minsk half, aber ohne eigene Truppen."
    assert contrasted_clauses(plain) == [plain]


FRAMED = (
    "Momentan scheine das zu noch zu klappen, deswegen habe Lukaschenko mit dieser Aussage "
    'aus der Pressekonferenz vorerst sicher recht: "Wenn jemand meint, uns heute '
    'auseinanderreißen zu können, dann wird das nicht funktionieren."'
)
JOKE = (
    '"Lukaschenko hat auf der Pressekonferenz zu Putins Besuch scherzhaft gesagt, dass er '
    'und Putin die beiden schädlichsten und toxischsten Menschen seien", sagt Gürth.'
)


def test_a_quoted_statement_framed_as_evidence_does_not_negate_the_sentence() -> None:
    assert not negates_its_claim(FRAMED)
    assert verdict("Did Lukashenko make a joke?", _best(FRAMED)) is None
    # a verb of saying makes the quotation the claim; so does a quotation standing alone
    said = 'Peskow erklärte am Montag: "Belarus wird nicht in den Krieg eintreten, nie."'
    assert negates_its_claim(said)
    assert negates_its_claim('"Wenn jemand meint, uns zu trennen, wird das nicht klappen."')
    # a short quotation is part of the sentence's own words
    assert negates_its_claim('Putin bekräftigte zudem, er habe "kein Interesse" daran.')
    assert without_framed_quotes(DENIAL) == DENIAL


def test_a_framed_quotation_is_no_denial_to_prefer() -> None:
    from index.answer.evidence import prefer_denial

    joke = Evidence("doc", "", 0, 1, JOKE, 0.497, 0.494, 1)
    framed = Evidence("doc", "", 5, 6, FRAMED, 0.420, 0.461, 1)
    assert prefer_denial("Did Lukashenko make a joke?", [joke, framed], 0.05) == [joke, framed]


def test_a_denial_of_something_else_gives_no_verdict() -> None:
    annexing = (
        'Putin bekräftigte im Anschluss der Gespräche zudem, er habe "kein Interesse" daran, '
        "das Nachbarland Belarus einzuverleiben."
    )
    # neither signing nor a treaty is in the sentence, which is far from the question:
    # its "kein Interesse" is no answer
    treaty = "Did Putin and Lukashenko sign a treaty?"
    assert verdict(treaty, _best(annexing, FAR), TERMS) is None
    assert verdict(treaty, _best(DENIAL, FAR), TERMS) is None
    # a sentence close to the question asks what it denies, in other words
    assert verdict("Will Putin Belarus annektieren?", _best(annexing, 0.58), TERMS) == "no"
    # the question's own words (carried into German) are what the sentence denies
    assert verdict("Does Belarus enter the war?", _best(DENIAL), TERMS) == "no"
    # a question of names only has nothing else to look for: the denial stands
    assert verdict("Is it Lukashenko?", _best(DENIAL), TERMS) == "no"
    # without the dictionary's words every denial counts, as before
    assert verdict(treaty, _best(annexing, FAR)) == "no"


def test_a_conceded_denial_of_something_else_gives_no_verdict() -> None:
    conceded_denial = (
        "Bei dem Treffen seien zwar militärische Fragen diskutiert worden, so Gürth, aber "
        "trotz verschiedener Andeutungen einer weiteren Involvierung Belarus deute darauf "
        "faktisch momentan wenig hin."
    )
    assert verdict("Is Belarus getting more involved?", _best(conceded_denial), TERMS) == "no"
    assert verdict("Will Belarus get nuclear weapons?", _best(conceded_denial, FAR), TERMS) is None
