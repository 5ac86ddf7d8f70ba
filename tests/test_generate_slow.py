"""The real local LLM on the real article: the two known failures cannot ship.

Slow (loads EmbeddingGemma and the 1.5B GGUF, about 10-60 s per LLM answer on 2 cores):
run with `pytest -m slow tests/test_generate_slow.py`.
"""

from __future__ import annotations

from typing import Any

import pytest

from index.llm.generator import LLMGenerator
from index.text.language import detect_language
from index.text.markers import markers_of
from index.text.sentences import split_sentences

pytestmark = pytest.mark.slow


def _assert_cited_exactly(components: Any, answer: Any) -> None:
    documents = components.store.documents()
    for citation in answer.citations:
        assert documents[citation.doc_id][citation.start : citation.end] == citation.text
    for sentence in split_sentences(answer.answer):
        assert markers_of(sentence), f"uncited sentence shipped: {sentence!r}"


def test_headline_question_is_not_answered_yes(real_generative: Any) -> None:
    answer = real_generative.answerer.answer("Does Belarus enter the war?")
    assert not answer.abstained
    assert not answer.answer.lower().startswith("yes")
    assert "sent troops" not in answer.answer.lower()
    _assert_cited_exactly(real_generative, answer)


def test_capital_of_france_is_refused_without_the_llm(real_generative: Any) -> None:
    answer = real_generative.answerer.answer("What is the capital of France?")
    assert answer.abstained and answer.citations == ()
    assert answer.answer == "The article does not say."
    assert "first_token_ms" not in answer.timings_ms  # the LLM was not asked
    assert "Paris" not in answer.answer


def test_german_question_gets_a_german_answer(real_generative: Any) -> None:
    answer = real_generative.answerer.answer("Wer hat Putin in Minsk empfangen?")
    assert answer.language == "de" and not answer.abstained
    assert detect_language(answer.answer) == "de"
    assert "Lukaschenko" in answer.answer
    _assert_cited_exactly(real_generative, answer)


def test_follow_up_is_rewritten_with_the_person(real_generative: Any) -> None:
    from index.types import Turn

    history = [
        Turn("user", "Who is Lisa Gürth?"),
        Turn(
            "assistant",
            "Lisa Gürth is deputy head of the Russia programme at the "
            "Friedrich-Ebert-Stiftung [1].",
        ),
    ]
    answer = real_generative.answerer.answer("What does she think about Putin's trip?", history)
    assert "Gürth" in answer.standalone_question
    assert not answer.abstained
    assert any("überzubewerten" in c.text for c in answer.citations)


def _first_sentence(answer: Any) -> str:
    return split_sentences(answer.answer)[0]


@pytest.mark.parametrize("mode", ["extractive", "generative"])
def test_headline_question_in_english_opens_with_no_in_english(
    real_generative: Any, mode: str
) -> None:
    """The reader's promise: the answer first, in English, backed by the article."""
    answer = real_generative.answerer.answer("Does Belarus enter the war?", mode=mode)
    first = _first_sentence(answer)
    assert first.lower().startswith("no"), answer.answer
    assert detect_language(answer.answer) == "en", answer.answer
    assert answer.direct_answer and answer.direct_answer.lower().startswith("no")
    assert any(c.rendering is not None and c.rendering.checked for c in answer.citations), (
        "the cited German sentence should come with its checked English rendering"
    )
    assert answer.mode in ("extractive", "generative")
    _assert_cited_exactly(real_generative, answer)


def test_a_saved_prompt_state_is_read_by_a_new_llama_and_answers_alike(tmp_path: Any) -> None:
    """llama.cpp's state of a primed prompt survives the process: a new instance reads it
    from disk and gives the same tokens as the instance that evaluated the prompt."""
    from index.llm.llamacpp import LlamaCppLLM
    from index.settings import load_settings
    from index.wiring import default_llm_path

    path = default_llm_path(load_settings())
    system = "You answer in one word. " * 12
    first = LlamaCppLLM(model_path=str(path), n_ctx=512, states_dir=str(tmp_path))
    generator = LLMGenerator(first)
    expected = "".join(generator.stream(system, "What colour is the sky?", 4))
    assert generator.save_prompt_states() == 1
    second = LlamaCppLLM(model_path=str(path), n_ctx=512, states_dir=str(tmp_path))
    second.load()
    assert len(second._llama.cache.states) == 1  # read from disk, nothing evaluated yet
    evaluated: list[int] = []
    evaluate = second._llama.eval
    second._llama.eval = lambda tokens: (evaluated.append(len(tokens)), evaluate(tokens))[1]
    assert "".join(LLMGenerator(second).stream(system, "What colour is the sky?", 4)) == expected
    assert evaluated and evaluated[0] <= 2  # the prompt came from the state, not read again
