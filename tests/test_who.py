"""The answer first for a "who" question: the one person the cited sentence names, in the
reader's spelling (index.answer.who)."""

from __future__ import annotations

import pytest

from index.answer.who import (
    asks_for_a_relation,
    lacks_asked_role,
    no_related_person,
    person_lead,
    titled_names,
    with_named_neighbour,
)
from index.types import Evidence

# A stand-in for the Ding dictionary: common words with their senses; a place knows only
# itself; names and compounds the dictionary lacks are unknown (None).
SENSES = {
    "machthaber": ("ruler",),
    "kommandant": ("commanding officer",),
    "teppich": ("carpet",),
    "russischer": ("Russian",),
    "russische": ("Russian",),
    "präsident": ("president",),
    "minsk": ("Minsk",),
    "belarus": ("Belarus",),
    "montag": ("Monday",),
    "minister": ("minister",),
    "so": ("so", "thus"),
    "streitkräfte": ("armed forces",),
    "sprecher": ("speaker", "spokesman"),
}


def senses(word: str) -> tuple[str, ...] | None:
    return SENSES.get(word.lower())


WELCOME = (
    "Er wurde von dem belarussischen Machthaber Alexander Lukaschenko auf dem roten Teppich "
    "in Minsk empfangen."
)
NAJEW = "So sagte beispielsweise Serhij Najew, Kommandant der ukrainischen Streitkräfte."


@pytest.mark.parametrize(
    ("question", "sentence", "language", "lead"),
    [
        ("Who welcomed Putin in Minsk?", WELCOME, "en", "Alexander Lukashenko"),
        ("Wer hat Putin empfangen?", WELCOME, "de", "Alexander Lukaschenko"),
        ("Which Ukrainian commander commented?", NAJEW, "en", "Serhiy Nayev"),
        ("Wie heißt der ukrainische Kommandant?", NAJEW, "de", "Serhij Najew"),
        ("Who is the Ukrainian commander?", NAJEW, "en", "Serhiy Nayev"),
        ("Who is the Belarusian ruler?", WELCOME, "en", "Alexander Lukashenko"),  # his title
        # "leader" names no role of its own: a commander is one
        ("Which Ukrainian military leader commented?", NAJEW, "en", "Serhiy Nayev"),
        ("Mit wem sprach er?", WELCOME, "de", "Alexander Lukaschenko"),
        ("Who was behind the welcome?", WELCOME, "en", "Alexander Lukashenko"),
        (
            "Who met them?",
            "Der Machthaber Alexander Lukaschenko traf sie.",
            "en",
            "Alexander Lukashenko",
        ),
    ],
)
def test_a_who_question_gets_the_one_person_the_sentence_names(
    question: str, sentence: str, language: str, lead: str
) -> None:
    assert person_lead(question, sentence, language, senses) == lead


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Who is Alexander Lukashenko?", WELCOME),  # asks what he is, not for a name
        ("Who welcomed Lukashenko?", WELCOME),  # the only person is the one asked about
        ("Where was Putin welcomed?", WELCOME),  # not a who question
        ("Who met?", "Am Montag traf Wladimir Putin den Machthaber Alexander Lukaschenko."),  # 2
        ("Who said it?", "Das sagte Gürth."),  # a lone surname: no full name
        ("Who decided?", "Das Russische Unterhaus beschließt härtere Strafen."),  # nouns
        ("Who runs it?", "Die Friedrich-Ebert-Stiftung und der Kreml-Chef Putin."),
        # the question names his title: he is the one asked about, not the answer
        ("Who speaks for the Russian president?", "Russischer Präsident Wladimir Putin."),
        ("Who's Alexander Lukashenko?", WELCOME),  # nothing but a name: what is he?
        ("What did the minister say?", "Der Minister sagte, Wladimir Putin komme."),
        ("What is the name of the operation?", WELCOME),  # not a person
        # "Sie" is the subject, the name only an object: she is the answer, unnamed
        ("Who sees no signs?", "Sie sieht keine Anzeichen und verweist auf Dmitri Peskow."),
        # a lone surname is another possible person
        ("Who met?", "Gürth sagt, Alexander Lukaschenko sei gekommen."),
        # the asked-for role is not the one the sentence gives the person
        ("Wie heißt der ukrainische Präsident?", NAJEW),
        ("Which Ukrainian minister commented?", NAJEW),
        # a compound title is no part of the name; "Putin" is a second person
        ("Who said it?", "Kremlsprecher Dmitri Peskow sagte, Putin schweige."),
    ],
)
def test_no_person_lead_without_exactly_one_new_full_name(question: str, sentence: str) -> None:
    assert person_lead(question, sentence, "en", senses) == ""


def test_an_english_lead_spells_the_name_as_the_rendering_does() -> None:
    sentence = "Am Montag traf Kreml-Chef Wladimir Putin den Machthaber in Minsk."
    rendering = "On Monday, Kremlin chief Vladimir Putin met the ruler in Minsk."
    lead = person_lead("Who met the ruler?", sentence, "en", senses, rendering)
    assert lead == "Vladimir Putin"
    # without a rendering, only a Slavic-looking name is transcribed
    assert person_lead("Who met the ruler?", sentence, "en", senses) == "Wladimir Putin"


def test_the_lead_takes_the_renderings_words_for_the_whole_name() -> None:
    rendering = "Alexandria's ruler, Alexander Lukashenko, received him in Minsk."
    assert person_lead("Who received him?", WELCOME, "en", senses, rendering) == (
        "Alexander Lukashenko"
    )


def test_names_are_the_capitalised_runs_the_dictionary_does_not_know_as_words() -> None:
    assert titled_names(WELCOME, senses) == [("Alexander Lukaschenko", ("Machthaber",), 6)]
    kremlin = "Kremlsprecher Dmitri Peskow sagte es."
    assert titled_names(kremlin, senses) == [("Dmitri Peskow", ("Kremlsprecher",), 1)]
    sentence = "Russischer Präsident Wladimir Putin bei einer Involvierung Belarus."
    assert titled_names(sentence, senses) == [("Wladimir Putin", ("Russischer", "Präsident"), 2)]
    # a capitalised function word at the start is no title; a lone unknown word may be
    # a person (so it blocks a lead), but is too weak to lead with itself
    assert titled_names("Für Putin war es neu.", senses) == [("Putin", (), 1)]


def test_a_who_question_cites_a_close_sentence_that_names_someone_new_first() -> None:
    from index.answer.evidence import prefer_person
    from index.types import Evidence

    def ev(start: int, text: str, score: float) -> Evidence:
        return Evidence("d", "s", start, start + 1, text, score, score, 1)

    trip = ev(0, "Am Montag traf sich Kreml-Chef Wladimir Putin in Minsk.", 0.61)
    welcome = ev(10, WELCOME, 0.58)
    far_welcome = ev(10, WELCOME, 0.50)
    question = "Who received Putin at the airport?"
    assert prefer_person(question, [trip, welcome], 0.05, senses) == [welcome, trip]
    assert prefer_person(question, [trip, far_welcome], 0.05, senses) == [trip, far_welcome]
    # not a question for a person, or no dictionary to tell names: the order stays
    assert prefer_person("When did Putin travel?", [trip, welcome], 0.05, senses) == [
        trip,
        welcome,
    ]
    assert prefer_person(question, [trip, welcome], 0.05, None) == [trip, welcome]
    # the best sentence already names someone the question does not: it stays first
    assert prefer_person("Who met the ruler?", [trip, welcome], 0.05, senses) == [trip, welcome]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who is Lisa Gürth's superior at the foundation?", True),
        ("Wer ist der Chef von Lisa Gürth?", True),
        ("Who is the spokesman of Putin?", True),
        ("Who is Lisa Gürth?", False),  # the person herself
        ("Who welcomed Putin?", False),
        ("Wer wurde von Lukaschenko empfangen?", False),  # a passive's agent, no relation
        ("Who is Lisa Gürth's employer?", False),  # may be a body
        ("Who is Putin's ally?", False),  # may be a country
    ],
)
def test_a_who_question_about_someone_related_to_a_named_person(
    question: str, expected: bool
) -> None:
    assert asks_for_a_relation(question) is expected


def test_a_sentence_naming_only_the_named_person_answers_no_relation() -> None:
    only_her = "Lisa Gürth ist stellvertretende Leiterin des Russland-Programms (FES)."
    someone = "Dort leitet Anna Beispiel das Programm, Lisa Gürth ist ihre Stellvertreterin."
    question = "Who is Lisa Gürth's superior?"
    assert no_related_person(question, only_her, senses)
    assert not no_related_person(question, someone, senses)
    assert not no_related_person("Who is Lisa Gürth?", only_her, senses)


def _sentences(*texts: str) -> list[Evidence]:
    found, start = [], 0
    for text in texts:
        found.append(Evidence("doc", "A", start, start + len(text), text, 0.5, 0.5, 1))
        start += len(text) + 1
    return found


def test_a_who_question_cites_the_person_named_beside_a_best_sentence_naming_nobody() -> None:
    ally = "Am Montag traf sich Putin mit seinem letzten treuen Verbündeten."
    received = "Er wurde von dem Machthaber Alexander Lukaschenko in Minsk empfangen."
    other = "Die Gespräche waren konstruktiv."
    first, second, third = _sentences(ally, received, other)
    ranked = [first, third, second]
    question = "Wer ist Putins letzter treuer Verbündeter?"
    assert with_named_neighbour(question, [first], ranked, senses) == [first, second]
    # the person named before the best sentence, in the article's order
    assert with_named_neighbour(question, [third], ranked, senses) == [second, third]
    # a best sentence naming someone new, or another kind of question: unchanged
    assert with_named_neighbour(question, [second], ranked, senses) == [second]
    assert with_named_neighbour("Wann traf er ihn?", [first], ranked, senses) == [first]


PESKOW = (
    "Sie verweist auf Dmitri Peskow, den Sprecher des russischen Präsidenten, der die "
    "Gerüchte als unbegründet bezeichnete."
)


@pytest.mark.parametrize(
    ("question", "sentences", "lacks"),
    [
        # the role asked for is not the role the sentence names: no answer
        ("What is the name of the Belarusian defence minister?", [PESKOW], True),
        ("Wie heißt der belarussische Minister?", [PESKOW], True),
        # the sentence holds the role, in German or through its dictionary sense
        ("What is the name of the Russian president's spokesman?", [PESKOW], False),
        ("Which Ukrainian commander spoke?", ["Serhij Najew, Kommandant der Armee, sagte."], False),
        ("Who is the Belarusian ruler?", [WELCOME], False),
        # one of the cited sentences holding it is enough
        ("Which minister spoke?", [PESKOW, "Der Minister Wiktor Chrenin sagte es."], False),
        # no role asked for: a word for anyone, a verb, or no person question at all
        ("Who is the Belarusian leader?", [PESKOW], False),
        ("Who received Putin?", [PESKOW], False),
        ("What did the minister say?", [PESKOW], False),
    ],
)
def test_a_person_asked_for_by_a_role_needs_a_sentence_with_that_role(
    question: str, sentences: list[str], lacks: bool
) -> None:
    assert lacks_asked_role(question, sentences, senses) is lacks
