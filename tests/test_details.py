"""An announcement cited with its details ("Demnach ...") (index.answer.details)."""

from __future__ import annotations

from index.answer.details import (
    adds_asked,
    asks_for_content,
    either_answers,
    gives_details,
    leans_back,
    reports_on,
    runs_on,
    with_details,
)
from index.translate.terms import TermExtractor
from index.types import Evidence

CONSEQUENCES = 'Das Unterhaus des russischen Parlaments zieht Konsequenzen für "Saboteure".'
DETAILS = "Demnach sollen Betroffene härter bestraft werden."
NEXT = "Das Repräsentantenhaus von Belarus billigte einen Gesetzentwurf."
HEADING = "Was bedeutet das?"
WATCHED = "Besonders von der Ukraine wurde das Treffen daher skeptisch beobachtet."
WORRY = "Die Sorge: Putin könne Belarus dazu drängen, in den Krieg einzutreten."
OPENS = (
    'So sagte Serhij Najew, Kommandant der Streitkräfte: "Unserer Meinung nach droht Aggression.'
)
CLOSES = 'Es geht insbesondere um Angriffe auf dem Landweg", sagt Najew.'
WHOLE = '"Gemeinsam halten wir den Sanktionen stand", hieß es am Montag.'


def _article(*texts: str) -> list[Evidence]:
    """Consecutive sentences of one section, one space apart, scored in falling order."""
    found, start = [], 0
    for number, text in enumerate(texts):
        found.append(
            Evidence("doc", "A", start, start + len(text), text, 0.5, 0.5 - number / 10, 1)
        )
        start += len(text) + 1
    return found


def test_details_and_questions_for_content_are_told() -> None:
    assert gives_details(DETAILS) and gives_details("Konkret gehe es um ...")
    assert not gives_details(CONSEQUENCES)
    assert not gives_details("Sie sagte demnach nichts.")  # not where it opens
    assert leans_back(DETAILS) and leans_back(WORRY) and not gives_details(WORRY)
    assert not leans_back('Die Staatschefs sprachen von "ergebnisreichen" Gesprächen.')
    assert asks_for_content("What did the Russian lower house decide about saboteurs?")
    assert asks_for_content("Und was hat das Unterhaus beschlossen?")
    assert asks_for_content("Wie sollen Saboteure bestraft werden?")
    assert not asks_for_content("Did the lower house act?")
    assert not asks_for_content("How many soldiers could the unit have?")
    assert not asks_for_content("Wie viele Soldaten könnten es sein?")
    assert not asks_for_content("Who wants tougher punishment?")


def test_a_question_for_content_cites_the_details_after_the_announcement() -> None:
    announced, details, following = _article(CONSEQUENCES, DETAILS, NEXT)
    ranked = [announced, details, following]
    question = "What did the Russian lower house decide about saboteurs?"
    assert with_details(question, [announced], ranked) == [announced, details]
    # another kind of question, or no details sentence scored: unchanged
    assert with_details("Who takes action against saboteurs?", [announced], ranked) == [announced]
    assert with_details(question, [announced], [announced, following]) == [announced]
    assert with_details(question, [following], ranked) == [following]
    assert with_details(question, [], ranked) == []


def test_details_are_cited_with_the_sentence_they_detail() -> None:
    announced, details = _article(CONSEQUENCES, DETAILS)
    question = "Who wants saboteurs punished more harshly?"
    assert with_details(question, [details], [details, announced]) == [announced, details]
    # an article's own question is no sentence to lean on
    heading, details = _article(HEADING, DETAILS)
    assert with_details(question, [details], [details, heading]) == [details]


def test_a_labelled_comment_is_cited_with_the_sentence_before_and_added_to_it() -> None:
    watched, worry = _article(WATCHED, WORRY)
    question = "What did Ukraine fear?"
    assert with_details(question, [worry], [worry, watched]) == [watched, worry]
    assert with_details(question, [watched], [watched, worry]) == [watched, worry]
    # a yes/no question is answered by the best sentence alone
    assert with_details("Did Ukraine watch it?", [watched], [watched, worry]) == [watched]


def test_a_quotation_that_runs_on_is_cited_with_its_rest() -> None:
    assert runs_on(OPENS, CLOSES)
    assert not runs_on(WHOLE, CLOSES)  # the first sentence closed its own quotation
    assert not runs_on(OPENS, NEXT)  # the next one holds no closing mark
    # either answers alone, unlike an announcement and its details
    assert either_answers(OPENS, CLOSES) and either_answers(WATCHED, WORRY)
    assert not either_answers(CONSEQUENCES, DETAILS)
    opens, closes, following = _article(OPENS, CLOSES, NEXT)
    ranked = [opens, closes, following]
    question = "What kind of attacks did the Ukrainian commander expect?"
    assert with_details(question, [opens], ranked) == [opens, closes]
    # a yes/no question, or a quotation closed in its own sentence: unchanged
    assert with_details("Did the commander expect attacks?", [opens], ranked) == [opens]
    whole, following = _article(WHOLE, CLOSES)
    assert with_details(question, [whole], [whole, following]) == [whole]


def test_a_report_that_goes_on_is_added_only_when_it_holds_a_word_asked_about() -> None:
    partners = 'Putin verwies auf die enge Beziehung der "Verbündeten und strategischen Partner".'
    united = 'Sie seien durch "gemeinsame Geschichte und spirituelle Werte" vereint.'
    assert reports_on(united) and reports_on("Man habe sich auf Manöver verständigt.")
    assert not reports_on("Sie sieht keine Anzeichen.")  # no reported speech
    said, goes_on = _article(partners, united)
    ranked = [said, goes_on]
    values = "Welche gemeinsamen Werte verbinden Russland und Belarus laut Putin?"
    relation = "Wie beschreibt Putin die Beziehung?"
    extractor = TermExtractor(None)  # German questions keep their own words
    asked = extractor.terms(values, "de")
    assert adds_asked(asked, partners, united)
    assert with_details(values, [said], ranked, asked) == [said, goes_on]
    # the best sentence answers already: the report that goes on adds no asked word
    asked = extractor.terms(relation, "de")
    assert not adds_asked(asked, partners, united)
    assert with_details(relation, [said], ranked, asked) == [said]
    # without the question's words (no dictionary), it goes with the best one
    assert with_details(relation, [said], ranked) == [said, goes_on]
