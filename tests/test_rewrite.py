"""Follow-up questions made standalone by the (fake) LLM, with the heuristic as the safety net."""

from __future__ import annotations

from typing import Any

import pytest

from index.answer.followup import HeuristicRewriter, LLMRewriter, clean_rewrite
from index.answer.pipeline import AnswerPipeline
from index.prompts import Prompts
from index.types import Turn
from tests.fakes import ScriptedGenerator

HISTORY = [
    Turn("user", "Wann ist die Bibliothek geöffnet?"),
    Turn("assistant", "Laut Artikel: „Die Bibliothek ist von Dienstag bis Samstag geöffnet.“ [1]"),
]


def test_follow_up_is_rewritten_by_the_llm_with_the_history() -> None:
    llm = ScriptedGenerator("Ist die Bibliothek am Sonntag geöffnet?")
    rewritten = LLMRewriter(llm, Prompts()).rewrite("Und ist sie sonntags offen?", HISTORY)
    assert rewritten == "Ist die Bibliothek am Sonntag geöffnet?"
    system, user = llm.prompts[0]
    assert system.startswith("Du formulierst")
    assert "Nutzer: Wann ist die Bibliothek geöffnet?" in user
    assert "Assistent: Laut Artikel" in user
    assert "Letzte Frage: Und ist sie sonntags offen?" in user


def test_standalone_question_does_not_call_the_llm() -> None:
    llm = ScriptedGenerator()
    question = "How many Russian soldiers could the joint unit have?"
    assert LLMRewriter(llm, Prompts()).rewrite(question, HISTORY) == question
    assert LLMRewriter(llm, Prompts()).rewrite("Was meint sie dazu?", []) == "Was meint sie dazu?"
    assert llm.prompts == []


def test_a_pronoun_for_the_person_named_before_needs_no_llm() -> None:
    llm = ScriptedGenerator("unused")
    history = [Turn("user", "Who is Lisa Gürth?"), Turn("assistant", "An expert [1].")]
    rewritten = LLMRewriter(llm, Prompts()).rewrite("What does she think about the trip?", history)
    assert rewritten == "What does Lisa Gürth think about the trip?"
    assert llm.prompts == []
    # two pronouns: which one is the person named? The LLM decides.
    LLMRewriter(llm, Prompts()).rewrite("What does she think of him?", history)
    assert len(llm.prompts) == 1
    # without an LLM the rule still takes the first pronoun, as it always did
    assert (
        HeuristicRewriter().rewrite("What does she think of him?", history)
        == "What does Lisa Gürth think of him?"
    )


@pytest.mark.parametrize(
    "reply",
    [
        "",
        "   \n  ",
        "Die Bibliothek ist sonntags geschlossen [1].",  # an answer, not a question
        "Is the library open on Sundays?",  # the wrong language
        "Ist sie sonntags offen? " * 40,  # far too long
    ],
)
def test_unusable_rewrite_falls_back_to_the_heuristic(reply: str) -> None:
    rewritten = LLMRewriter(ScriptedGenerator(reply), Prompts()).rewrite(
        "Und ist sie sonntags offen?", HISTORY
    )
    assert rewritten == HeuristicRewriter().rewrite("Und ist sie sonntags offen?", HISTORY)


def test_labels_and_quotes_are_removed_from_the_rewrite() -> None:
    assert (
        clean_rewrite('Rewritten question: "What does Lisa Gürth think?"\nmore')
        == "What does Lisa Gürth think?"
    )
    assert clean_rewrite("Umformulierte Frage: „Was meint Lisa Gürth?“") == "Was meint Lisa Gürth?"


def test_history_is_shortened_to_the_last_turns() -> None:
    rewriter = LLMRewriter(ScriptedGenerator(), Prompts(), max_turns=2, max_turn_chars=20)
    history = [Turn("user", f"question {n} " + "x" * 50) for n in range(5)]
    text = rewriter.history_text(history, "en")
    assert text.count("User:") == 2 and "question 4" in text and "question 2" not in text
    assert all(len(line) < 40 for line in text.splitlines())


def test_follow_up_answer_uses_the_rewritten_question(fake_components: Any) -> None:
    llm = ScriptedGenerator("Ist die Bibliothek sonntags geschlossen?")
    base = fake_components.answerer
    answerer = AnswerPipeline(
        base.retriever,
        base.store,
        base.composers,
        llm_rewriter=LLMRewriter(llm, Prompts()),
        abstain_threshold=base.abstain_threshold,
    )
    answer = answerer.answer("Und ist sie sonntags offen?", HISTORY, mode="generative")
    assert answer.standalone_question == "Ist die Bibliothek sonntags geschlossen?"
    assert any("Sonntags" in citation.text for citation in answer.citations)


def test_extractive_follow_ups_do_not_call_the_llm(fake_components: Any) -> None:
    llm = ScriptedGenerator()
    base = fake_components.answerer
    answerer = AnswerPipeline(
        base.retriever,
        base.store,
        base.composers,
        llm_rewriter=LLMRewriter(llm, Prompts()),
        abstain_threshold=base.abstain_threshold,
    )
    answer = answerer.answer("Und ist sie sonntags offen?", HISTORY, mode="extractive")
    assert llm.prompts == []
    assert answer.standalone_question.startswith("Und ist sie sonntags offen? (")


def test_wiring_builds_the_llm_rewriter_with_the_generator(
    settings: Any, chroma_client: Any
) -> None:
    from index.answer.generative import GenerativeComposer
    from index.wiring import build
    from tests.fakes import HashEmbedding

    components = build(
        settings, embedder=HashEmbedding(), client=chroma_client, generator=ScriptedGenerator()
    )
    assert isinstance(components.answerer.composers["generative"], GenerativeComposer)
    assert isinstance(components.answerer.llm_rewriter, LLMRewriter)
    assert components.generative_available
    plain = build(
        settings.model_copy(update={"llm_rewrite": False}),
        embedder=HashEmbedding(),
        client=chroma_client,
        generator=ScriptedGenerator(),
    )
    assert plain.answerer.llm_rewriter is None
    without = build(settings, embedder=HashEmbedding(), client=chroma_client, with_llm=False)
    assert without.answerer.modes == ("extractive",) and not without.generative_available
