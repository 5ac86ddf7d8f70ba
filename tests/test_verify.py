"""The verifier: citations that hold; numbers, names and negations that agree."""

from __future__ import annotations

import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding

from index.answer.verify import Verifier, used_uncited
from index.text.markers import markers_of
from index.text.names import name_candidates, name_supported, same_name
from index.text.numbers import normalise_number, numbers_in
from index.text.polarity import is_negated, is_yes_no_question, negation_senses, stance_of
from index.text.sentences import split_sentences
from index.types import Evidence
from tests.fakes import HashEmbedding

BELARUS = [
    "In die Kämpfe in der Ukraine mischte sich Minsk bislang aber nicht selbst aktiv ein und "
    "bestritt auch nun wieder, in den Krieg einzutreten.",
    "Die Kampftruppe könnten bis zu 9000 russische Soldaten angehören.",
    "Er wurde von dem belarussischen Machthaber Alexander Lukaschenko auf dem roten Teppich in "
    "Minsk empfangen.",
]


def evidence(*texts: str) -> list[Evidence]:
    """Evidence values at distinct offsets of one made-up document."""
    return [
        Evidence("doc", "Abschnitt", 100 * i, 100 * i + len(t), t, 0.8, 0.8, 1)
        for i, t in enumerate(texts)
    ]


class SameVector(BaseEmbedding):
    """Every text gets the same vector: similarity is always 1, so other checks are isolated."""

    def __init__(self) -> None:
        super().__init__(model_name="same-vector")

    def _get_query_embedding(self, query: str) -> list[float]:
        return [1.0, 0.0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return [1.0, 0.0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return [1.0, 0.0]


@pytest.fixture
def lenient() -> Verifier:
    """A verifier whose similarity check always passes."""
    return Verifier(SameVector(), min_similarity=0.5)


def test_yes_against_a_denial_is_dropped(lenient: Verifier) -> None:
    result = lenient.verify(
        "Does Belarus enter the war?",
        "en",
        "Yes, Belarus has sent troops to Ukraine [1].",
        evidence(*BELARUS),
    )
    assert not result.ok and result.text == ""
    assert any("'yes'" in problem for problem in result.checks[0].problems)


def test_no_agreeing_with_the_denial_is_kept(lenient: Verifier) -> None:
    result = lenient.verify(
        "Does Belarus enter the war?",
        "en",
        "No, Minsk again denied entering the war [1].",
        evidence(*BELARUS),
    )
    assert result.ok
    assert result.text == "No, Minsk again denied entering the war [1]."
    assert result.citations[0].text == BELARUS[0]


def test_german_nein_agrees_with_bestritt(lenient: Verifier) -> None:
    result = lenient.verify(
        "Tritt Belarus in den Krieg ein?",
        "de",
        "Nein, Minsk bestritt erneut, in den Krieg einzutreten [1].",
        evidence(*BELARUS),
    )
    assert result.ok
    wrong = lenient.verify(
        "Tritt Belarus in den Krieg ein?",
        "de",
        "Ja, Minsk tritt in den Krieg ein [1].",
        evidence(*BELARUS),
    )
    assert not wrong.ok


def test_a_question_that_itself_negates_flips_the_expected_answer(lenient: Verifier) -> None:
    result = lenient.verify(
        "Did Minsk deny entering the war?",
        "en",
        "Yes, Minsk denied entering the war [1].",
        evidence(*BELARUS),
    )
    assert result.ok


def test_positive_claim_citing_a_negated_sentence_is_dropped(lenient: Verifier) -> None:
    result = lenient.verify(
        "What did Minsk say about the war?",
        "en",
        "Minsk announced that it will enter the war [1].",
        evidence(*BELARUS),
    )
    assert not result.ok
    assert "negation differs" in result.checks[0].problems[0]


def test_invalid_citation_numbers_are_stripped(lenient: Verifier) -> None:
    result = lenient.verify(
        "How many soldiers could the unit have?",
        "en",
        "The unit could have up to 9,000 Russian soldiers [2][7].",
        evidence(*BELARUS),
    )
    assert result.ok
    assert result.text == "The unit could have up to 9,000 Russian soldiers [1]."
    assert [c.n for c in result.citations] == [1]
    assert result.citations[0].text == BELARUS[1]


def test_sentence_citing_only_a_missing_passage_is_dropped(lenient: Verifier) -> None:
    result = lenient.verify(
        "How many soldiers?",
        "en",
        "Up to 9000 soldiers [5]. Up to 9000 Russian soldiers [2].",
        evidence(*BELARUS),
    )
    assert result.text == "Up to 9000 Russian soldiers [1]."
    assert result.checks[0].problems == ("no citation",)


def test_uncited_sentence_is_dropped_and_citations_renumbered_in_order(lenient: Verifier) -> None:
    answer = (
        "Lukashenko welcomed him in Minsk [3]. Putin likes tea. "
        "Up to 9000 Russian soldiers could join the unit [2]."
    )
    result = lenient.verify("What happened?", "en", answer, evidence(*BELARUS))
    assert result.text == (
        "Lukashenko welcomed him in Minsk [1]. Up to 9000 Russian soldiers could join the unit [2]."
    )
    assert [c.text for c in result.citations] == [BELARUS[2], BELARUS[1]]
    assert [c.n for c in result.citations] == [1, 2]
    assert [check.supported for check in result.checks] == [True, False, True]


def test_german_words_copied_into_an_english_answer_are_untranslated() -> None:
    german = {"Sanktionen", "feindlicher", "Staaten"}  # the dictionary's verdicts, faked
    verifier = Verifier(SameVector(), min_similarity=0.5, german_word=german.__contains__)
    given = evidence('"Gemeinsam halten wir den Sanktionen feindlicher Staaten stand", hieß es.')
    mixed = verifier.verify(
        "What did they say?", "en", "They withstand the Sanktionen feindlicher Staaten [1].", given
    )
    assert not mixed.ok
    assert "German word 'Sanktionen' of [1] left in an English answer" in mixed.checks[0].problems
    quoted = 'They said they withstand the "Sanktionen feindlicher Staaten" together [1].'
    assert verifier.verify("What did they say?", "en", quoted, given).ok
    # a German answer may use them, and without the dictionary there is no such check
    german_answer = "Sie halten den Sanktionen feindlicher Staaten stand [1]."
    assert verifier.verify("Was sagten sie?", "de", german_answer, given).ok
    assert (
        Verifier(SameVector())
        .verify(
            "What did they say?",
            "en",
            "They withstand the Sanktionen feindlicher Staaten [1].",
            given,
        )
        .ok
    )


def test_wrong_number_is_dropped_and_spellings_of_a_number_agree(lenient: Verifier) -> None:
    assert not lenient.verify(
        "How many?", "en", "Up to 90,000 soldiers [2].", evidence(*BELARUS)
    ).ok
    for spelling in ("9000", "9.000", "9,000"):
        assert lenient.verify(
            "How many?", "en", f"Up to {spelling} soldiers [2].", evidence(*BELARUS)
        ).ok


def test_invented_name_is_dropped_but_spelling_variants_pass(lenient: Verifier) -> None:
    invented = lenient.verify(
        "Who welcomed Putin?",
        "en",
        "He was welcomed by Emmanuel Macron in Minsk [3].",
        evidence(*BELARUS),
    )
    assert not invented.ok
    assert any("Macron" in p for p in invented.checks[0].problems)
    variant = lenient.verify(
        "Who welcomed Putin?",
        "en",
        "The Belarusian ruler Alexander Lukashenko welcomed him in Minsk [3].",
        evidence(*BELARUS),
    )
    assert variant.ok


def test_a_pronoun_that_opens_a_quotation_is_no_name() -> None:
    text = 'So said Serhiy Nayev, commander: "Our opinion is that Us and Them met Belarus."'
    assert name_candidates(text, "en") == ["Serhiy", "Nayev", "Belarus"]


def test_negation_senses_name_the_words_that_negate_by_meaning_once_each() -> None:
    text = "Putin hat Reisen gemieden. Minsk bestritt das, nicht zum ersten Mal. Bestritt er?"
    assert negation_senses(text) == [("gemieden", "avoided"), ("bestritt", "denied")]
    assert negation_senses("Minsk mischte sich nicht ein.") == []  # "nicht" needs no hint


def test_name_from_another_evidence_sentence_is_not_support(lenient: Verifier) -> None:
    result = lenient.verify(
        "Who could join the unit?",
        "en",
        "Lukashenko could join the unit with 9000 soldiers [2].",
        evidence(*BELARUS),
    )
    assert not result.ok


def test_unsupported_meaning_is_dropped_by_similarity() -> None:
    verifier = Verifier(HashEmbedding(), min_similarity=0.3)
    texts = [
        "Die Stadt zahlt 250.000 Euro für Bühne und Sicherheit.",
        "Sonntags bleibt die Bibliothek geschlossen.",
    ]
    answer = (
        "Die Stadt zahlt 250.000 Euro für Bühne und Sicherheit [1]. "
        "Die Bibliothek verleiht auch Fahrräder und Werkzeug [2]."
    )
    result = verifier.verify("Was zahlt die Stadt?", "de", answer, evidence(*texts))
    assert result.text == "Die Stadt zahlt 250.000 Euro für Bühne und Sicherheit [1]."
    assert result.checks[1].similarity < 0.3
    assert "similarity" in result.checks[1].problems[0]


def test_answer_in_the_wrong_language_fails_as_a_whole(lenient: Verifier) -> None:
    result = lenient.verify(
        "Wie viele Soldaten könnten es sein?",
        "de",
        "The unit could have up to 9000 Russian soldiers [2].",
        evidence(*BELARUS),
    )
    assert not result.ok
    assert result.problems == ("answer is in 'en', question in 'de'",)


def test_quoting_the_german_source_in_an_english_answer_is_fine(lenient: Verifier) -> None:
    answer = (
        'Minsk denied entering the war: it "bestritt auch nun wieder, in den Krieg '
        'einzutreten" [1].'
    )
    assert lenient.verify("What did Minsk say?", "en", answer, evidence(*BELARUS)).ok


def test_empty_answer_is_not_ok(lenient: Verifier) -> None:
    result = lenient.verify("Q?", "en", "  ", evidence(*BELARUS))
    assert not result.ok and result.citations == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "No, Minsk denied it [1]. The unit has 9000 soldiers. [2]",
            ["No, Minsk denied it [1].", "The unit has 9000 soldiers. [2]"],
        ),
        (
            "Nein. Am 19. Oktober traf Dr. Weber Putin [1].",
            ["Nein. Am 19. Oktober traf Dr. Weber Putin [1]."],
        ),
        ("First line [1]\nSecond line [2]", ["First line [1]", "Second line [2]"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Lukashenko", "Lukaschenko", True),
        ("Peskov", "Peskow", True),
        ("Gurth", "Gürth", True),
        ("Sochi", "Sotschi", True),
        ("Russian", "Russland", True),
        ("Minsk", "Minister", False),
        ("Paris", "Preis", False),
        ("Macron", "Moskau", False),
    ],
)
def test_same_name(a: str, b: str, same: bool) -> None:
    assert same_name(a, b) is same


def test_exonyms_are_supported() -> None:
    assert name_supported("Belarus", {"Weißrussland"})
    assert name_supported("Moscow", {"Moskau"})
    assert not name_supported("Paris", {"Moskau", "Minsk"})


def test_numbers_and_markers() -> None:
    assert normalise_number("9.000") == normalise_number("9,000") == "9000"
    assert normalise_number("1,5") == "1.5"
    assert numbers_in("vor drei Jahren, am 19.", with_words=True) == {"3", "19"}
    assert markers_of("a [1, 3] b [2]") == [1, 3, 2]


def test_negation_and_question_shape() -> None:
    assert is_negated("Sie sieht vorerst keine Anzeichen")
    assert is_negated("deute darauf faktisch momentan wenig hin")
    assert is_negated("Belarus doesn't enter the war")
    assert not is_negated("Die Kampftruppe könnten bis zu 9000 Soldaten angehören.")
    # phrases that affirm are no negation; a real one beside them still is
    assert not is_negated("Man dürfe nicht vergessen, dass Belarus der einzige Verbündete ist.")
    assert not is_negated("Not only Minsk but also Moscow agreed.")
    assert is_negated("Man darf nicht vergessen: Minsk trat nicht in den Krieg ein.")
    # English renderings of "nicht vergessen, dass" say it in more ways
    for affirming in ("It is not permissible to forget", "You cannot forget", "Don't forget"):
        assert not is_negated(f"{affirming} that Belarus is the only ally of Russia.")
    assert is_negated("Minsk never forgot it.")  # a negated "forgot" is no such phrase
    assert is_yes_no_question("Does Belarus enter the war?")
    assert is_yes_no_question("Tritt Belarus in den Krieg ein?")
    assert is_yes_no_question("According to the expert, should the trip be seen as a big deal?")
    assert not is_yes_no_question("Who is Lisa Gürth?")
    assert not is_yes_no_question("Was halten manche Beobachter von der Beteuerung?")
    assert not is_yes_no_question("Für welche Organisation arbeitet die Expertin?")
    # a leading "und" / "and" is skipped; a topic with no verb first asks no yes or no
    assert is_yes_no_question("Und tritt Belarus in den Krieg ein?")
    assert is_yes_no_question("And does Belarus enter the war?")
    assert not is_yes_no_question("Und über die Bevölkerung von Belarus?")
    assert not is_yes_no_question("Und die Bevölkerung?")
    assert stance_of("No, it does not [1].") == "no" and stance_of("Ja [1].") == "yes"
    assert stance_of("Minsk denied it.") is None


def test_similarity_threshold_is_checked() -> None:
    with pytest.raises(ValueError, match="min_similarity"):
        Verifier(SameVector(), min_similarity=2.0)


def test_yes_citing_a_related_sentence_is_refused_when_the_best_one_denies(
    lenient: Verifier,
) -> None:
    given = evidence(*BELARUS)
    bases = evidence(
        "Belarus stellt seine Militärbasen für Angriffe auf die Ukraine zur Verfügung."
    )
    answer = "Yes, Belarus supports attacks on Ukraine with its military bases [1]."
    # a "Yes" to an unnegated question is never shown, whatever the anchors say
    alone = lenient.verify("Does Belarus enter the war?", "en", answer, bases)
    assert not alone.ok
    assert "a yes is not shown" in alone.checks[0].problems[-1]
    refused = lenient.verify("Does Belarus enter the war?", "en", answer, bases, anchors=given[:1])
    assert not refused.ok
    # without the "Yes", the claim stands or falls with the anchors
    assert lenient.verify(
        "Does Belarus enter the war?",
        "en",
        "Belarus supports attacks on Ukraine with its military bases [1].",
        bases,
    ).ok
    implicit = lenient.verify(
        "Does Belarus enter the war?",
        "en",
        "Belarus supports attacks on Ukraine with its military bases [1].",
        bases,
        anchors=given[:1],
    )
    assert not implicit.ok
    agreeing = lenient.verify(
        "Does Belarus enter the war?",
        "en",
        "No, Minsk again denied entering the war [1].",
        given,
        anchors=given[:1],
    )
    assert agreeing.ok


def test_spelled_out_numbers_in_the_answer_are_checked(lenient: Verifier) -> None:
    stay = evidence(
        "Für Putin war es die erste offizielle Reise ins Ausland seit Langem.",
        "In Belarus war er zuletzt vor drei Jahren gewesen.",
    )
    assert not lenient.verify(
        "How long did Putin stay?", "en", "Putin stayed in Minsk for three days [1].", stay
    ).ok
    assert lenient.verify(
        "When was Putin last in Belarus?", "en", "He was last in Belarus three years ago [2].", stay
    ).ok


def test_restating_the_question_is_not_an_answer(lenient: Verifier) -> None:
    sanctions = evidence("Denn die vom Westen verhängten Sanktionen treffen auch Belarus.")
    question = "Why have Russia and Belarus grown closer since the war began?"
    assert not lenient.verify(
        question, "en", "Russia and Belarus have grown closer since the war began [1].", sanctions
    ).ok
    assert lenient.verify(question, "en", "Western sanctions also hit Belarus [1].", sanctions).ok


def test_a_no_citing_a_neighbour_moves_to_the_denial_ranked_first(lenient: Verifier) -> None:
    worry = "Die Sorge: Putin könne Belarus dazu drängen, in den Krieg einzutreten."
    given = evidence(worry, BELARUS[0])
    answer = "Nein, Belarus ist nicht in den Krieg eingetreten [1]."
    result = lenient.verify(
        "Tritt Belarus in den Krieg ein?", "de", answer, given, anchors=given[1:]
    )
    assert result.text == "Nein, Belarus ist nicht in den Krieg eingetreten [1]."
    assert result.citations[0].text == BELARUS[0]
    assert result.checks[0].moved_from == (1,)
    assert not lenient.verify("Tritt Belarus in den Krieg ein?", "de", answer, given).ok


def test_a_yes_is_never_moved(lenient: Verifier) -> None:
    given = evidence(BELARUS[1], BELARUS[0])
    result = lenient.verify(
        "Tritt Belarus in den Krieg ein?",
        "de",
        "Ja, Belarus tritt in den Krieg ein [1].",
        given,
        anchors=given[1:],
    )
    assert not result.ok


def test_a_sentence_restating_another_given_sentence_is_cited_to_it() -> None:
    verifier = Verifier(HashEmbedding(), min_similarity=0.3)
    texts = [
        "Russland und Belarus sind im Krieg enger zusammengerückt.",
        "Belarus ist der einzige Verbündete Russlands in der Organisation.",
    ]
    answer = "Belarus ist der einzige Verbündete Russlands in der Organisation [1]."
    result = verifier.verify("Warum rückten sie zusammen?", "de", answer, evidence(*texts))
    assert result.text == "Belarus ist der einzige Verbündete Russlands in der Organisation [1]."
    assert [citation.text for citation in result.citations] == [texts[1]]  # moved to [2]
    assert result.checks[0].moved_from == (1,)


def test_a_restated_sentence_that_fails_where_it_belongs_is_dropped() -> None:
    verifier = Verifier(HashEmbedding(), min_similarity=0.3)
    texts = [
        "Russland und Belarus sind im Krieg enger zusammengerückt, hieß es 2022.",
        "Belarus ist der einzige Verbündete Russlands in der Organisation.",
    ]
    # restates [2] but adds the year of [1]: supported by neither alone
    answer = "Belarus ist 2022 der einzige Verbündete Russlands in der Organisation [1]."
    result = verifier.verify("Warum rückten sie zusammen?", "de", answer, evidence(*texts))
    assert not result.ok
    assert any("restates [2]" in problem for problem in result.checks[0].problems)


def test_a_citation_moves_only_for_a_clear_margin(lenient: Verifier) -> None:
    result = lenient.verify(
        "Who could join the unit?",
        "en",
        "Up to 9000 Russian soldiers could join the unit [2].",
        evidence(*BELARUS),
    )
    assert result.ok and result.checks[0].moved_from == ()  # all equally close: it stays


def test_a_count_the_question_takes_as_given_may_be_restated(lenient: Verifier) -> None:
    talks = evidence(
        "In Belarus war er zuletzt vor drei Jahren gewesen, Gespräche hatten danach stets in "
        "Moskau oder Sotschi stattgefunden."
    )
    question = "Where did the two leaders usually hold their talks?"
    assert lenient.verify(
        question, "en", "The two leaders usually held their talks in Moscow or Sochi [1].", talks
    ).ok
    # a count the question does not name, an amount, or a yes/no question's count is a claim
    assert not lenient.verify(
        question, "en", "The four leaders held their talks in Moscow or Sochi [1].", talks
    ).ok
    assert not lenient.verify(
        "Where were talks held two years ago?",
        "en",
        "Two years ago talks were held in Moscow or Sochi [1].",
        talks,
    ).ok
    assert not lenient.verify(
        "Did the two leaders hold talks in Moscow?",
        "en",
        "The two leaders held talks in Moscow or Sochi [1].",
        talks,
    ).ok


def test_named_counts_are_counts_of_things_not_amounts() -> None:
    from index.text.numbers import named_counts

    assert named_counts("Where did the two leaders meet?") == {("2", "leaders")}
    assert named_counts("vor drei Jahren, two years ago, 9000 soldiers, one man") == set()


def test_a_noun_given_another_nations_adjective_than_its_source_gives_it_is_dropped(
    lenient: Verifier,
) -> None:
    law = evidence(
        "The Belarusian parliament approved a bill to introduce the death penalty for treason."
    )
    question = "What did the Russian parliament decide?"
    swapped = lenient.verify(
        question, "en", "The Russian parliament approved the death penalty for treason [1].", law
    )
    assert not swapped.ok
    assert any("'russian'" in problem for problem in swapped.checks[0].problems)
    assert lenient.verify(
        question, "en", "The Belarusian parliament approved the death penalty for treason [1].", law
    ).ok
    # German: the question's "belarussische" against the source's "russische Soldaten"
    force = evidence("Die Kampftruppe könnten bis zu 9000 russische Soldaten angehören.")
    assert not lenient.verify(
        "Wie viele belarussische Soldaten?", "de", "Bis zu 9000 belarussische Soldaten [1].", force
    ).ok


def test_a_nation_named_after_the_noun_backs_its_adjective() -> None:
    from index.text.attributes import swapped_adjectives

    source = (
        "He expects a broader involvement of the armed forces of the Republic of Belarus, "
        "said the commander of the Ukrainian armed forces."
    )
    assert swapped_adjectives("a broader role of the Belarusian armed forces", source, "en") == []
    assert swapped_adjectives("a broader role of the Polish armed forces", source, "en")
    # nouns no adjective of the source qualifies are not judged
    assert swapped_adjectives("the Russian ruler", "the ruler of Belarus", "en") == []
    # adjectives of the other language are not compared
    german = "dem belarussischen Machthaber Alexander Lukaschenko"
    assert swapped_adjectives("the Belarusian ruler Alexander Lukashenko", german, "en") == []


def test_a_yes_or_no_to_a_question_about_opposing_is_dropped(lenient: Verifier) -> None:
    course = evidence("Sie habe gezeigt, dass sie den Kurs Lukaschenkos nicht unterstützt.")
    question = "Is the Belarusian population against Lukashenko's course?"
    assert not lenient.verify(
        question, "en", "No, the population is not against Lukashenko's course [1].", course
    ).ok
    # the statement itself, without a verdict, is checked as any other
    assert lenient.verify(
        question, "en", "The population did not support Lukashenko's course [1].", course
    ).ok


JOKE = (
    "Lukashenko joked that he and Putin were the two most harmful people on the planet "
    "and that they had only argued about who was worse."
)
SHARED = "Then they decided to share the position."
TROOPS = "The combat unit could have up to 9000 Russian soldiers."


def test_used_uncited_finds_the_given_sentence_an_answer_drew_on() -> None:
    question = "How did the two of them settle that argument?"
    body = "They argued about who was worse and then decided to share the position."
    assert used_uncited(question, "en", body, [JOKE], [TROOPS, SHARED]) == [1]
    # one shared word is not enough, nor are the question's or the cited sentence's words
    assert used_uncited(question, "en", "They argued about who was worse.", [JOKE], [SHARED]) == []
    assert used_uncited(question, "en", "The two of them argued.", [JOKE], [SHARED]) == []


def test_a_sentence_drawing_on_an_uncited_given_sentence_cites_it_too(lenient: Verifier) -> None:
    result = lenient.verify(
        "How did the two of them settle that argument?",
        "en",
        "They argued about who was worse and then decided to share the position [1].",
        evidence(JOKE, TROOPS, SHARED),
    )
    assert result.text == (
        "They argued about who was worse and then decided to share the position [1] [2]."
    )
    assert [c.text for c in result.citations] == [JOKE, SHARED]
