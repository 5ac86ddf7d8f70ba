"""The answer first: the value a "how many", "how long" or "when" question asks for, and
the person a "who" question asks for, copied from the sentence that answers it."""

from __future__ import annotations

import pytest

from index.answer.lead import person_lead, person_names, value_lead

SOLDIERS = "Die Kampftruppe könnten bis zu 9000 russische Soldaten angehören."
VISIT = "In Belarus war er zuletzt vor drei Jahren gewesen, danach stets in Moskau."
MONDAY = "Am Montag (19.) traf sich Kreml-Chef Wladimir Putin mit Lukaschenko."


@pytest.mark.parametrize(
    ("kind", "question", "sentence", "language", "lead"),
    [
        ("quantity", "How many Russian soldiers could serve?", SOLDIERS, "en", "Up to 9000"),
        ("quantity", "Wie viele Soldaten könnten es sein?", SOLDIERS, "de", "Bis zu 9000"),
        ("quantity", "How many soldiers?", "Rund 9.000 Soldaten.", "en", "About 9000"),
        ("duration", "How long ago was his last visit?", VISIT, "en", "3 years ago"),
        ("duration", "Wie lange ist der Besuch her?", VISIT, "de", "Vor drei Jahren"),
        ("duration", "How long has he ruled?", "Er regiert seit 28 Jahren.", "en", "For 28 years"),
        ("time", "On which day did Putin meet Lukashenko?", MONDAY, "en", "On Monday"),
        ("time", "Wann trafen sie sich?", MONDAY, "de", "Am Montag"),
        (
            "time",
            "When was the unit announced?",
            "Im Oktober kündigten sie ihn an.",
            "en",
            "In October",
        ),
        (
            "time",
            "In which year were the protests?",
            "Die Proteste 2020 scheiterten.",
            "en",
            "In 2020",
        ),
    ],
)
def test_the_value_comes_from_the_sentence(
    kind: str, question: str, sentence: str, language: str, lead: str
) -> None:
    assert value_lead(kind, question, sentence, language) == lead


@pytest.mark.parametrize(
    ("kind", "question", "sentence"),
    [
        # two different numbers: which one answers is not clear, so no lead
        ("quantity", "How many?", "Sie schicken 9000 Soldaten und 300 Panzer."),
        # the number the question already holds is no answer; "die beiden" is no count
        ("quantity", "How many of the 9000 soldiers?", SOLDIERS),
        ("quantity", "How many states?", "Die beiden Staaten kündigten ihn an."),
        # three years are no answer to "how many days"
        ("quantity", "How many days did he stay?", "Der erste Besuch seit drei Jahren."),
        # a day and a month: no single value
        ("time", "When did they meet?", "Am Montag im Mai trafen sie sich."),
        ("time", "On which Monday did they meet?", MONDAY),  # only the day the question names
        ("", "Who met Putin?", MONDAY),  # not a question for a value
        ("duration", "How long did it last?", "Es dauerte lange."),
    ],
)
def test_no_lead_without_one_clear_value(kind: str, question: str, sentence: str) -> None:
    assert value_lead(kind, question, sentence, "en") == ""


def test_no_lead_for_a_third_language() -> None:
    assert value_lead("quantity", "Combien de soldats ?", SOLDIERS, "fr") == ""


# ---- who? -----------------------------------------------------------------------------
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
    assert person_names(WELCOME, senses) == ["Alexander Lukaschenko"]
    assert person_names("Kremlsprecher Dmitri Peskow sagte es.", senses) == ["Dmitri Peskow"]
    sentence = "Russischer Präsident Wladimir Putin bei einer Involvierung Belarus."
    assert person_names(sentence, senses) == ["Wladimir Putin"]
