"""The extractive answer: cited sentences, refusal on weak evidence, follow-ups, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from index.answer.evidence import choose_evidence
from index.answer.followup import is_follow_up
from index.errors import QuestionError
from index.types import Evidence, Turn


def test_answer_cites_the_sentence_that_holds_the_fact(fake_components) -> None:  # type: ignore[no-untyped-def]
    answer = fake_components.answerer.answer("Wie viele Besucher werden erwartet?")
    assert not answer.abstained and answer.language == "de"
    assert any("12000" in c.text for c in answer.citations)
    documents = fake_components.store.documents()
    for citation in answer.citations:
        assert documents[citation.doc_id][citation.start : citation.end] == citation.text
        assert f"[{citation.n}]" in answer.answer
    payload = answer.to_json()
    assert set(payload) >= {
        "question",
        "answer",
        "language",
        "abstained",
        "citations",
        "passages",
        "timings_ms",
    }
    assert set(payload["citations"][0]) == {
        "n",
        "doc_id",
        "section",
        "start",
        "end",
        "text",
        "rendering",
    }
    assert set(payload["passages"][0]) == {
        "rank",
        "doc_id",
        "section",
        "start",
        "end",
        "text",
        "score",
    }


def test_unrelated_question_is_refused_in_its_language(fake_components) -> None:  # type: ignore[no-untyped-def]
    english = fake_components.answerer.answer("What is the capital of France?")
    assert english.abstained and english.citations == ()
    assert english.answer == "The article does not say."
    german = fake_components.answerer.answer("Was ist die Hauptstadt von Frankreich?")
    assert german.abstained and german.answer == "Dazu sagt der Artikel nichts."


def test_follow_up_is_read_with_the_previous_question(fake_components) -> None:  # type: ignore[no-untyped-def]
    history = [Turn("user", "Wann ist die Bibliothek geöffnet?"), Turn("assistant", "...")]
    answer = fake_components.answerer.answer("Und sonntags?", history)
    assert answer.standalone_question == "Und sonntags? (Wann ist die Bibliothek geöffnet?)"
    assert answer.citations and {c.section for c in answer.citations} == {"Öffnungszeiten"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 5000, "limit is 1,000"),
    ],
)
def test_bad_questions_get_a_clear_message(fake_components, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QuestionError, match=expected):
        fake_components.answerer.answer(question)


def test_is_follow_up() -> None:
    assert is_follow_up("And what does she think about it?")
    assert is_follow_up("Was meint sie dazu?")
    assert is_follow_up("Wie alt ist sie?")
    assert is_follow_up("When?") and is_follow_up("And why not?") and is_follow_up("Seit wann?")
    assert is_follow_up("On what day?") and is_follow_up("In which year?")
    assert not is_follow_up("In Minsk?")
    # a preposition may lead the bare question word
    assert (
        is_follow_up("For whom?") and is_follow_up("Für wen genau?") and is_follow_up("Bis wann?")
    )
    assert not is_follow_up("With whom did Putin meet in Minsk last Monday evening?")
    assert not is_follow_up("When did Putin travel to Minsk?")
    assert not is_follow_up("How many Russian soldiers could the joint unit have?")
    assert not is_follow_up("Was schrieb der Bauherr in seine Mitteilung?")


def test_german_das_as_a_pronoun_marks_a_follow_up_and_as_an_article_does_not() -> None:
    # a noun after "das" is capitalised: the article; a verb or nothing after it: the pronoun
    assert is_follow_up("Wer hat das angekündigt?")
    assert is_follow_up("Was bedeutet das?")
    assert is_follow_up("Warum ist dies wichtig?")
    assert not is_follow_up("Wer hat das Gesetz angekündigt?")
    assert not is_follow_up("Wer hat das neue Gesetz beschlossen?")
    assert not is_follow_up("Wann war das Treffen?")
    assert not is_follow_up("What happens if the pope dies?")  # an English verb


def test_choose_evidence_abstains_below_threshold_and_adds_close_runner_up() -> None:
    from index.types import Evidence

    def ev(start: int, similarity: float, score: float) -> Evidence:
        return Evidence("d", "s", start, start + 1, "x", similarity, score, 1)

    ranked = [ev(10, 0.6, 0.7), ev(0, 0.55, 0.68), ev(20, 0.5, 0.5)]
    assert choose_evidence(ranked, threshold=0.65, limit=2, margin=0.05) == []
    chosen = choose_evidence(ranked, threshold=0.4, limit=2, margin=0.05)
    assert [e.start for e in chosen] == [10, 0]  # best first


def test_a_yes_no_question_cites_a_close_denial_before_a_sentence_that_only_echoes_it() -> None:
    from index.answer.evidence import prefer_denial
    from index.types import Evidence

    def ev(start: int, text: str, score: float) -> Evidence:
        return Evidence("d", "s", start, start + 1, text, score, score, 1)

    echo = ev(0, "Die Sorge: Putin könne Belarus dazu drängen, in den Krieg einzutreten.", 0.61)
    denial = ev(10, "Minsk bestritt auch nun wieder, in den Krieg einzutreten.", 0.59)
    far_denial = ev(10, "Minsk bestritt auch nun wieder, in den Krieg einzutreten.", 0.50)
    question = "Tritt Belarus in den Krieg ein?"
    assert prefer_denial(question, [echo, denial], margin=0.05) == [denial, echo]
    assert prefer_denial(question, [echo, far_denial], margin=0.05) == [echo, far_denial]
    assert prefer_denial("Wer trat in den Krieg ein?", [echo, denial], 0.05) == [echo, denial]
    assert prefer_denial(question, [denial, echo], margin=0.05) == [denial, echo]


@pytest.mark.parametrize(
    ("earlier", "question", "standalone"),
    [
        (
            "Who is Lisa Gürth?",
            "What does she think about the trip?",
            "What does Lisa Gürth think about the trip?",
        ),
        (
            "Wer ist Dmitri Peskow?",
            "Wie hat er die Gerüchte kommentiert?",
            "Wie hat Dmitri Peskow die Gerüchte kommentiert?",
        ),
        (
            "What law did the parliament pass?",
            "Who would it apply to?",
            "Who would it apply to? (What law did the parliament pass?)",
        ),
        (
            "Who is Lisa Gürth?",
            "How many soldiers could the unit have?",
            "How many soldiers could the unit have?",
        ),
    ],
)
def test_heuristic_rewriter_resolves_pronouns_or_adds_context(
    earlier: str, question: str, standalone: str
) -> None:
    from index.answer.followup import HeuristicRewriter

    history = [Turn("user", earlier), Turn("assistant", "...")]
    assert HeuristicRewriter().rewrite(question, history) == standalone


# A stand-in for the dictionary's word test: ordinary words and places it knows.
KNOWN = frozenset("where what who when did does travel say minsk russia the".split())


@pytest.mark.parametrize(
    ("earlier", "question", "standalone"),
    [
        # a bare question word reads the question before it
        ("Where did Putin travel?", "When?", "When? (Where did Putin travel?)"),
        ("Wohin reiste Putin?", "Und wann genau?", "Und wann genau? (Wohin reiste Putin?)"),
        # a lone name the dictionary does not know is a person; a place it knows is not
        ("What did Peskov say?", "Who is he?", "Who is Peskov?"),
        ("Who met Putin in Minsk?", "What did he say?", "What did Putin say?"),
        ("What did Russia say?", "Who is he?", "Who is he? (What did Russia say?)"),
        # "and about X": the question before asked about X
        (
            "What does Lisa Gürth say about the trip?",
            "And about Lukashenko's joke?",
            "What does Lisa Gürth say about Lukashenko's joke?",
        ),
        (
            "Was sagt Lisa Gürth über die Reise?",
            "Und über die Bevölkerung?",
            "Was sagt Lisa Gürth über die Bevölkerung?",
        ),
        # "and X", "what about X": the question before asked of X instead of its subject
        ("Who is Lisa Gürth?", "And about Peskov?", "Who is Peskov?"),
        (
            "What did Peskov say about the rumours?",
            "And Lukashenko?",
            "What did Lukashenko say about the rumours?",
        ),
        (
            "Does Belarus support the war?",
            "What about its people?",
            "Does the people of Belarus support the war?",
        ),
        (
            "Unterstützt Belarus den Krieg?",
            "Was ist mit der Bevölkerung?",
            "Unterstützt die Bevölkerung den Krieg?",
        ),
        (
            "Unterstützt die Regierung den Krieg?",
            "Und ihre Bevölkerung?",
            "Unterstützt die Bevölkerung von der Regierung den Krieg?",
        ),
        # the subject ends before a possessive, which opens another phrase
        (
            "Is Belarus Russia's ally?",
            "What about the population?",
            "Is the population Russia's ally?",
        ),
        # ... not when it asks something else of the question before
        (
            "Who welcomed Putin in Minsk?",
            "And in Moscow?",
            "And in Moscow? (Who welcomed Putin in Minsk?)",
        ),
        (
            "Does the government support it?",
            "And the people?",
            "And the people? (Does the government support it?)",
        ),
    ],
)
def test_heuristic_rewriter_reads_bare_question_words_lone_names_and_new_topics(
    earlier: str, question: str, standalone: str
) -> None:
    from index.answer.followup import HeuristicRewriter

    history = [Turn("user", earlier), Turn("assistant", "...")]
    rewriter = HeuristicRewriter(lambda word: word.lower() in KNOWN)
    assert rewriter.rewrite(question, history) == standalone


def test_a_follow_up_of_a_follow_up_reads_the_questions_before_it_resolved() -> None:
    from index.answer.followup import HeuristicRewriter

    rewriter = HeuristicRewriter(lambda word: word.lower() in KNOWN)
    history: list[Turn] = []
    asked = []
    for question in ("Who is Serhij Najew?", "What does he expect?", "Why?"):
        asked.append(rewriter.rewrite(question, history))
        history += [Turn("user", question), Turn("assistant", "...")]
    assert asked[1:] == ["What does Serhij Najew expect?", "Why? (What does Serhij Najew expect?)"]
    # the person is found in an earlier question than the last
    history = [Turn("user", "Where did Putin travel?"), Turn("user", "When?")]
    assert rewriter.rewrite("Who welcomed him there?", history) == "Who welcomed Putin there?"
    # a person named by role in the latest question goes before an older name
    history = [Turn("user", "Was sagt Peskow?"), Turn("user", "Und was meint die Expertin dazu?")]
    assert rewriter.rewrite("Sieht sie neue Entwicklungen?", history) == (
        "Sieht die Expertin neue Entwicklungen?"
    )


def test_question_about_someone_the_passages_never_name_is_refused(fake_components) -> None:  # type: ignore[no-untyped-def]
    named = fake_components.answerer.answer("What did Zelensky say about the Stadtfest?")
    assert named.abstained and named.citations == ()
    plain = fake_components.answerer.answer("What did the Stadtfest cost the Stadt?")
    assert not plain.abstained


def test_how_many_question_cites_a_sentence_with_a_number(fake_components) -> None:  # type: ignore[no-untyped-def]
    answer = fake_components.answerer.answer("Wie viele Bücher bietet die Bibliothek?")
    assert answer.citations and all(any(ch.isdigit() for ch in c.text) for c in answer.citations)
    refused = fake_components.answerer.answer("Wie viele Leser hat die Bibliothek am Sonntag?")
    assert refused.abstained


def test_a_question_to_an_empty_library_says_there_is_no_article(settings, chroma_client) -> None:  # type: ignore[no-untyped-def]
    from index.errors import StoreError
    from index.wiring import build
    from tests.fakes import HashEmbedding

    components = build(settings, embedder=HashEmbedding(), client=chroma_client, with_llm=False)
    with pytest.raises(StoreError, match="no articles are indexed yet"):
        components.answerer.answer("Does Belarus enter the war?")


def test_the_articles_own_questions_are_never_cited_as_answers(fake_components) -> None:  # type: ignore[no-untyped-def]
    # the teaser's question and the heading are the closest sentences to these questions
    for question in (
        "Droht in diesem Jahr eine Absage wegen des Wetters?",
        "Wird das Fest abgesagt?",
    ):
        answer = fake_components.answerer.answer(question)
        assert all(not c.text.rstrip().endswith("?") for c in answer.citations), answer.answer


def test_a_number_of_the_question_singles_out_a_sentence_under_the_threshold() -> None:
    from index.answer.evidence import anchored_by_number, choose_evidence

    def ev(start: int, text: str, similarity: float) -> Evidence:
        return Evidence("d", "s", start, start + 1, text, similarity, similarity + 0.03, 1)

    protests = ev(0, "Sie habe bei den Protesten 2020 klar gezeigt, dass sie ...", 0.25)
    government = ev(5, "Die Regierung sei der wichtigste Verbündete Russlands.", 0.12)
    question = "Was zeigte die Bevölkerung 2020?"
    assert choose_evidence([protests, government], 0.34, 2, 0.05) == []
    assert anchored_by_number(question, [protests, government]) == [protests]
    # no number of the question there, another sentence holds it too, too close a
    # runner-up, or too far from the question: no anchor
    assert anchored_by_number("Was zeigte die Bevölkerung?", [protests, government]) == []
    also = ev(5, "Auch 2020 gab es Wahlen.", 0.12)
    assert anchored_by_number(question, [protests, also]) == []
    close = ev(5, "Die Regierung sei der wichtigste Verbündete Russlands.", 0.23)
    assert anchored_by_number(question, [protests, close]) == []
    assert anchored_by_number(question, [ev(0, protests.text, 0.15), government]) == []


def _scored(text: str, similarity: float, start: int) -> Evidence:
    return Evidence("doc", "A", start, start + len(text), text, similarity, similarity, 1)


def test_a_sentence_under_the_threshold_holding_the_asked_kind_of_value_is_cited() -> None:
    from index.answer.evidence import KIND_FLOOR, anchored_by_kind

    force = _scored("Die Kampftruppe könnten bis zu 9000 Soldaten angehören.", 0.335, 0)
    other = _scored("Im Oktober hatten die Staaten einen Verbund angekündigt.", 0.27, 60)
    assert anchored_by_kind("quantity", [force], [force, other]) == [force]
    # not for a question of no kind, nor under the floor
    assert anchored_by_kind("", [force], [force, other]) == []
    low = _scored(force.text, KIND_FLOOR - 0.01, 0)
    assert anchored_by_kind("quantity", [low], [low, other]) == []
    # nor when another sentence matches the question better than the one with the value
    closer = _scored("Die Truppe wurde angekündigt.", 0.4, 120)
    assert anchored_by_kind("quantity", [force], [closer, force]) == []


def test_an_english_question_is_matched_against_the_sentences_renderings_too(
    fake_components: Any,
) -> None:
    pipeline = fake_components.answerer
    retrieval = pipeline.retriever.search("Who met whom in Minsk?", 5)
    assert retrieval.language == "en"
    pipeline.reader_vectors = None
    plain = pipeline.ranked(retrieval)
    last = plain[-1].text  # the German sentence farthest from the question

    class Renderings:
        def vectors(self, texts: Any, source: str, target: str) -> dict[str, list[float]]:
            assert (source, target) == ("de", "en")  # the article's language, the reader's
            return {last: list(retrieval.query_vector)} if last in texts else {}

    pipeline.reader_vectors = Renderings()
    ranked = pipeline.ranked(retrieval)
    assert ranked[0].text == last and ranked[0].similarity == pytest.approx(1.0)
    assert len(ranked) == len(plain) and {e.text for e in ranked} == {e.text for e in plain}
