"""Generative answers with a scripted fake LLM: verified, cited, in the right language.

The fixture corpus mirrors the article's traps: "Droht eine Absage?" is a teaser question
(like "Droht ein belarussischer Kriegseintritt?") and "Die Veranstalter lehnten eine
Absage ab" is the denial (like "bestritt ..., in den Krieg einzutreten").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from index.answer.extractive import ExtractiveComposer
from index.answer.followup import LLMRewriter
from index.answer.generative import GenerativeComposer, select_evidence
from index.answer.pipeline import AnswerPipeline
from index.answer.verify import Verification, Verifier
from index.llm.generator import LLMGenerator
from index.llm.llamacpp import PrefixStateCache
from index.prompts import Prompts
from index.types import Answer, Evidence
from tests.fakes import HashEmbedding, ScriptedGenerator


def make_answerer(
    components: Any, generator: ScriptedGenerator, min_similarity: float = 0.3
) -> AnswerPipeline:
    """The fixture pipeline in generative mode, with the fake LLM and the hash embedder."""
    base = components.answerer
    extractive = base.composers["extractive"]
    writer = GenerativeComposer(
        generator, Prompts(), Verifier(HashEmbedding(), min_similarity=min_similarity), extractive
    )
    return AnswerPipeline(
        base.retriever,
        base.store,
        {"extractive": extractive, "generative": writer},
        top_k=base.top_k,
        abstain_threshold=base.abstain_threshold,
        default_mode="generative",
    )


def number_of(prompt: str, fragment: str) -> int:
    """The [n] under which the prompt showed the sentence containing `fragment`."""
    for line in prompt.splitlines():
        match = re.match(r"\[(\d+)\] (.*)", line)
        if match and fragment in match.group(2):
            return int(match.group(1))
    raise AssertionError(f"{fragment!r} was not given to the LLM:\n{prompt}")


class ReplyAfterPrompt(ScriptedGenerator):
    """A fake LLM whose reply is computed from the prompt it receives."""

    def __init__(self, reply: Any) -> None:
        super().__init__()
        self.reply = reply

    def stream(self, system: str, user: str, max_tokens: int):  # type: ignore[no-untyped-def]
        self.replies.append(self.reply(user))
        yield from super().stream(system, user, max_tokens)


# --- the two known failures -------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "refusal"),
    [
        ("What is the capital of France?", "The article does not say."),
        ("Was ist die Hauptstadt von Frankreich?", "Dazu sagt der Artikel nichts."),
    ],
)
def test_out_of_article_question_is_refused_without_asking_the_llm(
    fake_components: Any, question: str, refusal: str
) -> None:
    llm = ScriptedGenerator("Paris is the capital of France [1].")
    answer = make_answerer(fake_components, llm).answer(question)
    assert answer.abstained and answer.citations == ()
    assert answer.answer == refusal
    assert llm.prompts == []  # the LLM never saw the question


def test_yes_against_the_denial_never_ships_in_german(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(
        lambda user: (
            "Ja, das Stadtfest wird wegen des Regens abgesagt "
            f"[{number_of(user, 'lehnten eine Absage ab')}]."
        )
    )
    answer = make_answerer(fake_components, llm).answer("Droht eine Absage des Stadtfests?")
    assert llm.prompts, "the LLM should have been asked"
    assert not answer.answer.startswith("Ja")
    # the extractive fallback, which cites the denial (not the teaser's question) with
    # the verdict first
    assert answer.answer.startswith("Nein. Laut Artikel:") and answer.mode == "extractive"
    assert [c.text for c in answer.citations] == ["Die Veranstalter lehnten eine Absage ab."]


def test_yes_against_the_denial_never_ships_in_english(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(
        lambda user: (
            f"Yes, the Stadtfest has been cancelled [{number_of(user, 'lehnten eine Absage ab')}]."
        )
    )
    answer = make_answerer(fake_components, llm, min_similarity=-1.0).answer(
        "Is there an Absage of the Stadtfest?"
    )
    assert not answer.answer.startswith("Yes")
    # the extractive fallback: the denial, quoted in German (no renderer in fast tests)
    assert answer.answer.startswith('No. In German (no checked translation): "Die Veranstalter')


def test_no_that_agrees_with_the_denial_ships_with_its_citation(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(
        lambda user: (
            "No, the organisers rejected an Absage of the "
            f"Stadtfest [{number_of(user, 'lehnten eine Absage ab')}]."
        )
    )
    answer = make_answerer(fake_components, llm, min_similarity=-1.0).answer(
        "Is there an Absage of the Stadtfest?"
    )
    assert answer.answer == "No, the organisers rejected an Absage of the Stadtfest [1]."
    assert [c.text for c in answer.citations] == ["Die Veranstalter lehnten eine Absage ab."]
    assert answer.mode == "generative" and answer.language == "en"


def test_teaser_questions_are_not_shown_to_the_llm(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(lambda user: "Nein [1].")
    make_answerer(fake_components, llm).answer("Droht eine Absage des Stadtfests?")
    assert "Droht in diesem Jahr" not in llm.prompts[0][1]


# --- checks on what the LLM wrote --------------------------------------------------------


def test_invalid_citation_numbers_are_stripped(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(
        lambda user: f"Bis zu 12000 Besucher werden erwartet [{number_of(user, '12000')}][7]."
    )
    answer = make_answerer(fake_components, llm).answer("Wie viele Besucher werden erwartet?")
    assert answer.answer == "Bis zu 12000 Besucher werden erwartet [1]."
    assert len(answer.citations) == 1 and "12000" in answer.citations[0].text


def test_unsupported_sentences_are_dropped(fake_components: Any) -> None:
    def reply(user: str) -> str:
        n = number_of(user, "250.000")
        return (
            f"Die Stadt zahlt 250.000 Euro für Bühne und Sicherheit [{n}]. "
            f"Der Eintritt kostet 15 Euro [{n}]. Das Fest ist das größte im Land."
        )

    answer = make_answerer(fake_components, ReplyAfterPrompt(reply)).answer(
        "Was kostet das Stadtfest die Stadt?"
    )
    assert answer.answer == "Die Stadt zahlt 250.000 Euro für Bühne und Sicherheit [1]."
    assert [c.n for c in answer.citations] == [1]


def test_nothing_supported_falls_back_to_the_extractive_answer(fake_components: Any) -> None:
    llm = ScriptedGenerator("Das Fest findet in Paris statt [1].")
    generative = make_answerer(fake_components, llm).answer("Wie viele Besucher werden erwartet?")
    extractive = fake_components.answerer.answer("Wie viele Besucher werden erwartet?")
    assert generative.answer == extractive.answer
    assert generative.citations == extractive.citations


def test_citations_are_exact_spans_of_the_source(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(
        lambda user: f"Bis zu 12000 Besucher werden erwartet [{number_of(user, '12000')}]."
    )
    answer = make_answerer(fake_components, llm).answer("Wie viele Besucher werden erwartet?")
    documents = fake_components.store.documents()
    for citation in answer.citations:
        assert documents[citation.doc_id][citation.start : citation.end] == citation.text


# --- language -----------------------------------------------------------------------------


def test_german_question_gets_the_german_prompt(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(
        lambda user: f"Bis zu 12000 Besucher werden erwartet [{number_of(user, '12000')}]."
    )
    answer = make_answerer(fake_components, llm).answer("Wie viele Besucher werden erwartet?")
    system, user = llm.prompts[0]
    assert system.startswith("Du beantwortest") and "Frage: Wie viele Besucher" in user
    assert answer.language == "de"


def test_english_question_gets_the_english_prompt(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(
        lambda user: f"Up to 12000 Besucher are expected [{number_of(user, '12000')}]."
    )
    answer = make_answerer(fake_components, llm, min_similarity=-1.0).answer(
        "How many Besucher are expected at the Stadtfest?"
    )
    system, user = llm.prompts[0]
    assert system.startswith("You answer") and "Question: How many Besucher" in user
    assert answer.answer == "Up to 12000 Besucher are expected [1]."


def test_answer_in_the_wrong_language_falls_back(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(
        lambda user: (
            f"Up to 12000 visitors are expected at the festival [{number_of(user, '12000')}]."
        )
    )
    answer = make_answerer(fake_components, llm, min_similarity=-1.0).answer(
        "Wie viele Besucher werden erwartet?"
    )
    assert answer.mode == "extractive"
    # the quoting fallback: the asked-for value first, then the German quote
    assert answer.answer.startswith("Bis zu 12000. Laut Artikel:")


def test_system_prompt_is_constant_per_language(fake_components: Any) -> None:
    llm = ScriptedGenerator("x [1].", "y [1].")
    answerer = make_answerer(fake_components, llm)
    answerer.answer("Wie viele Besucher werden erwartet?")
    answerer.answer("Wann ist die Bibliothek geöffnet?")
    assert llm.prompts[0][0] == llm.prompts[1][0]
    assert llm.prompts[0][1] != llm.prompts[1][1]


# --- streaming ----------------------------------------------------------------------------


def test_tokens_stream_before_the_verified_answer(fake_components: Any) -> None:
    llm = ReplyAfterPrompt(
        lambda user: f"Bis zu 12000 Besucher werden erwartet [{number_of(user, '12000')}][9]."
    )
    events = list(make_answerer(fake_components, llm).stream("Wie viele Besucher werden erwartet?"))
    pieces = [event for event in events if isinstance(event, str)]
    final = events[-1]
    assert isinstance(final, Answer) and len(pieces) > 1
    assert "".join(pieces).endswith("[9].")  # raw tokens as produced
    assert final.answer.endswith("[1].")  # the verified text replaces them
    for key in ("first_token_ms", "generate_ms", "verify_ms"):
        assert final.timings_ms[key] >= 0
    assert final.timings_ms["first_token_ms"] <= final.timings_ms["generate_ms"]


# --- pieces ---------------------------------------------------------------------------------


def test_select_evidence_puts_chosen_first_and_skips_questions() -> None:
    def ev(start: int, text: str, score: float) -> Evidence:
        return Evidence("d", "s", start, start + len(text), text, score, score, 1)

    question, best, second, third = (
        ev(0, "Droht ein Krieg?", 0.9),
        ev(10, "A.", 0.8),
        ev(20, "B.", 0.7),
        ev(30, "C.", 0.6),
    )
    ranked = [question, best, second, third]
    assert select_evidence(ranked, [third], 3) == [third, best, second]
    assert select_evidence([question], [question], 3) == []


def test_writer_rejects_bad_limits() -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        GenerativeComposer(
            ScriptedGenerator(),
            Prompts(),
            Verifier(HashEmbedding()),
            ExtractiveComposer(Prompts()),
            max_tokens=0,
        )


def test_prefix_state_cache_keeps_one_state_per_family() -> None:
    cache = PrefixStateCache(family_tokens=2, max_families=2)
    cache[(1, 2, 3, 4)] = "en-1"
    cache[(1, 2, 3, 5)] = "en-2"  # same family: replaces en-1
    cache[(7, 8, 9)] = "de"
    assert cache[(1, 2, 3, 6)] == "en-2" and cache[(7, 8, 1)] == "de"
    assert len(cache.states) == 2
    with pytest.raises(KeyError):
        cache[(5, 5)]
    cache[(4, 4, 4)] = "rewrite"  # a third family evicts the oldest
    assert (1, 2, 3, 6) not in cache and (7, 8) in cache


def test_llm_generator_streams_deltas_of_a_llama_index_llm() -> None:
    from llama_index.core.llms import MockLLM

    generator = LLMGenerator(MockLLM())
    text = "".join(generator.stream("system", "hello world", 16))
    assert "hello world" in text


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_template_renders_with_its_documented_variables(language: str) -> None:
    prompts = Prompts()
    documented = {
        "refusal": {},
        "extractive": {"quotes": "q"},
        "quote": {"n": 1, "text": "t"},
        "conflict": {"first": "a", "second": "b"},
        "answer_system": {},
        "answer_user": {"evidence": "e", "question": "q"},
        "evidence_line": {"n": 1, "text": "t"},
        "rewrite_system": {},
        "rewrite_user": {"history": "h", "question": "q"},
        "history_user": {"text": "t"},
        "history_assistant": {"text": "t"},
        "untranslated": {"quotes": "q"},
        "verdict_no": {},
        "render_system": {},
        "render_user": {"glossary": "g", "text": "t"},
        "glossary_line": {"entries": "e"},
        "back_system": {},
        "back_user": {"glossary": "g", "text": "t"},
        "back_glossary_line": {"entries": "e"},
        "render_literal_system": {},
        "back_literal_system": {},
    }
    names = {path.name.split(".")[0] for path in prompts.folder.glob("*.txt")}
    assert names == set(documented)
    only_german = {
        "back_system",
        "back_user",
        "back_glossary_line",
        "back_literal_system",
    }  # the round trip always goes into German
    for name, values in documented.items():
        if name in only_german and language != "de":
            continue
        assert prompts.render(name, language, **values).strip()


def test_prefix_state_cache_keeps_only_the_last_row_of_logits() -> None:
    import numpy as np

    class State:
        scores = np.ones((256, 8), dtype=np.single)

    state = State()
    cache = PrefixStateCache(family_tokens=2)
    cache[(1, 2, 3)] = state
    assert cache[(1, 2, 9)].scores.shape == (1, 8)


class _State:
    """llama_cpp's LlamaState, its constructor's signature exactly (the slow test uses it)."""

    def __init__(
        self,
        input_ids: Any,
        scores: Any,
        n_tokens: int,
        llama_state: bytes,
        llama_state_size: int,
        seed: int,
    ) -> None:
        self.input_ids = input_ids
        self.scores = scores
        self.n_tokens = n_tokens
        self.llama_state = llama_state
        self.llama_state_size = llama_state_size
        self.seed = seed


def _state(first: int) -> _State:
    import numpy as np

    return _State(
        input_ids=np.arange(first, first + 4, dtype=np.intc),
        scores=np.full((3, 5), float(first), dtype=np.single),
        n_tokens=4,
        llama_state=bytes([first, 0, 255]),
        llama_state_size=3,
        seed=7,
    )


def test_prompt_states_are_saved_and_read_back_by_the_next_process(tmp_path: Path) -> None:
    import numpy as np

    cache = PrefixStateCache(family_tokens=2)
    cache[(1, 2, 3)] = _state(1)
    cache[(8, 9, 10, 11)] = _state(8)
    assert cache.save(tmp_path, "weights-a") == 2
    fresh = PrefixStateCache(family_tokens=2)
    assert fresh.load(tmp_path, "weights-b", _State) == 0  # other weights: nothing
    assert fresh.load(tmp_path, "weights-a", _State) == 2
    restored = fresh[(8, 9, 99)]
    assert restored.llama_state == bytes([8, 0, 255]) and restored.n_tokens == 4
    assert restored.input_ids.tolist() == [8, 9, 10, 11] and restored.seed == 7
    assert np.array_equal(restored.scores, np.full((1, 5), 8.0))  # the last row, as kept
    assert fresh[(1, 2, 99)].llama_state == bytes([1, 0, 255])
    cache.states.clear()
    cache[(1, 2, 4)] = _state(2)
    (tmp_path / "weights-old-0.npz").write_bytes(b"states of other weights")
    assert cache.save(tmp_path, "weights-a") == 1  # replaces what was saved before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["weights-a-0.npz"]


def test_a_damaged_prompt_state_file_is_dropped(tmp_path: Path) -> None:
    cache = PrefixStateCache(family_tokens=2)
    cache[(1, 2, 3)] = _state(1)
    cache.save(tmp_path, "weights-a")
    good = (tmp_path / "weights-a-0.npz").read_bytes()
    (tmp_path / "weights-a-1.npz").write_bytes(b"not an npz file")
    (tmp_path / "weights-a-2.npz").write_bytes(good[: len(good) // 2])  # cut short
    fresh = PrefixStateCache(family_tokens=2)
    assert fresh.load(tmp_path, "weights-a", _State) == 1  # the good one is kept
    assert sorted(path.name for path in tmp_path.iterdir()) == ["weights-a-0.npz"]


def test_priming_has_the_llm_read_each_constant_system_prompt_once(fake_components: Any) -> None:
    llm = ScriptedGenerator("x", "x", "x", "x")
    answerer = make_answerer(fake_components, llm)
    answerer.llm_rewriter = LLMRewriter(llm, Prompts())
    answerer.prime(("en", "de"))
    systems = [system for system, _ in llm.prompts]
    prompts = Prompts()
    assert systems == [
        prompts.render("answer_system", "en").strip(),
        prompts.render("answer_system", "de").strip(),
        prompts.render("rewrite_system", "en").strip(),
        prompts.render("rewrite_system", "de").strip(),
    ]


def test_a_supported_answer_without_the_asked_for_value_is_not_shipped(
    fake_components: Any,
) -> None:
    # true to its citation, but "Wie viele ...?" asks for a number it does not give
    llm = ReplyAfterPrompt(
        lambda user: (
            "Die Veranstalter lehnten eine Absage ab "
            f"[{number_of(user, 'lehnten eine Absage ab')}]."
        )
    )
    answer = make_answerer(fake_components, llm, min_similarity=-1.0).answer(
        "Wie viele Besucher werden erwartet?"
    )
    assert llm.prompts, "the LLM should have been asked"
    assert answer.mode == "extractive"
    assert answer.answer.startswith("Bis zu 12000.")


GERMAN = {"enter": ("eintreten",), "war": ("Krieg",), "sign": ("unterzeichnen",)}


class _Lexicon:
    """English words and their German equivalents (the Ding dictionary's role)."""

    def german_for(self, phrase: str, limit: int = 4) -> tuple[str, ...]:
        return GERMAN.get(phrase, ())[:limit]


def test_a_no_that_no_cited_sentence_gives_is_held_back() -> None:
    from index.translate.terms import TermExtractor

    extractive = ExtractiveComposer(Prompts(), None, terms=TermExtractor(_Lexicon()))
    writer = GenerativeComposer(
        ScriptedGenerator(), Prompts(), Verifier(HashEmbedding()), extractive
    )
    denial = Evidence(
        "doc", "", 0, 80, "Minsk bestritt auch nun wieder, in den Krieg einzutreten.", 0.6, 0.6, 1
    )
    text = 'Putin habe "kein Interesse" daran, Belarus einzuverleiben.'
    annexing = Evidence("doc", "", 90, 180, text, 0.44, 0.44, 1)  # far from the question
    treaty = "Did Putin and Lukashenko sign a treaty?"
    # the sentence denies annexing, not signing: a "No" would be the model's own claim,
    # and the model's "No" needs the question's words even in a sentence close to it
    # (the extractive verdict takes a close sentence's denial without them)
    assert writer.unfounded_denial(treaty, "en", "No, they did not sign a treaty [1].", [annexing])
    close = Evidence("doc", "", 90, 180, text, 0.58, 0.58, 1)
    assert writer.unfounded_denial(treaty, "en", "No, they did not sign a treaty [1].", [close])
    verified = Verification("No, they did not sign a treaty [1].", (annexing.citation(1),), ())
    assert writer.held_back(treaty, "en", verified, [annexing]) == (
        "the answer denies what no cited sentence denies"
    )
    # the cited sentence denies what is asked: the "No" stands
    war = "Does Belarus enter the war?"
    assert not writer.unfounded_denial(war, "en", "No, Belarus has not entered it [1].", [denial])
    assert not writer.unfounded_denial(
        war, "en", "No, it has not [1].", [annexing, denial]
    )  # one cited sentence that denies it is enough
    # no denial in the answer, or a question that is no unnegated yes/no question
    assert not writer.unfounded_denial(treaty, "en", "Putin spoke of allies [1].", [annexing])
    assert not writer.unfounded_denial(
        "Why did they not sign a treaty?", "en", "No reason is given [1].", [annexing]
    )


def test_an_answer_must_cite_the_given_sentence_holding_the_number_asked_about() -> None:
    writer = GenerativeComposer(
        ScriptedGenerator(), Prompts(), Verifier(HashEmbedding()), ExtractiveComposer(Prompts())
    )
    law = Evidence("doc", "", 0, 40, "Das Parlament billigte ein Gesetz.", 0.6, 0.6, 1)
    protests = Evidence(
        "doc", "", 50, 90, "Sie habe bei den Protesten 2020 klar gezeigt.", 0.5, 0.5, 1
    )
    question = "What happened in 2020 in Belarus?"
    wrong = Verification("Parliament approved a law [1].", (law.citation(1),), ())
    right = Verification("There were protests [1].", (protests.citation(1),), ())
    assert writer.held_back(question, "en", wrong, [law], [law, protests]) == (
        "the answer cites no given sentence that holds the number the question names"
    )
    assert writer.held_back(question, "en", right, [protests], [law, protests]) is None
    # no given sentence holds the number: nothing to insist on
    assert writer.held_back(question, "en", wrong, [law], [law]) is None


def test_an_answer_must_cite_both_sentences_of_a_chosen_pair() -> None:
    writer = GenerativeComposer(
        ScriptedGenerator(), Prompts(), Verifier(HashEmbedding()), ExtractiveComposer(Prompts())
    )
    closer = Evidence(
        "doc", "", 0, 60, "Russland und Belarus sind noch enger zusammengerückt.", 0.6, 0.6, 1
    )
    reason = Evidence("doc", "", 61, 120, "Denn die Sanktionen treffen auch Belarus.", 0.4, 0.4, 1)
    question = "Why have Russia and Belarus grown closer?"
    one = Verification("They have grown closer [1].", (closer.citation(1),), ())
    both = Verification(
        "They have grown closer [1], because sanctions hit Belarus too [2].",
        (closer.citation(1), reason.citation(2)),
        (),
    )
    pair = [closer, reason]  # the evidence step chose the best sentence with its reason
    assert writer.held_back(question, "en", one, [closer], pair, pair) == (
        "the answer leaves out a sentence chosen with the best one"
    )
    assert writer.held_back(question, "en", both, [closer, reason], pair, pair) is None
    # one chosen sentence: citing it is enough
    assert writer.held_back(question, "en", one, [closer], pair, [closer]) is None


def test_an_answer_may_cite_one_of_a_sentence_and_its_labelled_comment() -> None:
    writer = GenerativeComposer(
        ScriptedGenerator(), Prompts(), Verifier(HashEmbedding()), ExtractiveComposer(Prompts())
    )
    watched = Evidence(
        "doc", "", 0, 60, "Von der Ukraine wurde das Treffen skeptisch beobachtet.", 0.6, 0.6, 1
    )
    worry = Evidence(
        "doc", "", 61, 120, "Die Sorge: Putin könne Belarus dazu drängen.", 0.4, 0.4, 1
    )
    question = "How did Kyiv view the meeting?"
    one = Verification("Kyiv viewed it skeptically [1].", (watched.citation(1),), ())
    pair = [watched, worry]  # chosen together, yet each answers alone
    assert writer.held_back(question, "en", one, [watched], pair, pair) is None
    # a reason is no comment: the pair of a "why" question still needs both
    reason = Evidence("doc", "", 61, 120, "Denn die Sanktionen treffen auch Belarus.", 0.4, 0.4, 1)
    assert writer.held_back(question, "en", one, [watched], pair, [watched, reason]) == (
        "the answer leaves out a sentence chosen with the best one"
    )


def test_an_answer_must_cite_a_sentence_the_evidence_step_chose() -> None:
    writer = GenerativeComposer(
        ScriptedGenerator(), Prompts(), Verifier(HashEmbedding()), ExtractiveComposer(Prompts())
    )
    plans = Evidence(
        "doc", "", 0, 60, "Es ging auch um Pläne, Kosmonauten ins All zu schicken.", 0.5, 0.4, 1
    )
    ally = Evidence(
        "doc", "", 61, 140, "Die Regierung sei der wichtigste Verbündete Russlands.", 0.5, 0.45, 1
    )
    question = "Where are Belarusian cosmonauts supposed to be sent?"
    context = Verification("The government is Russia's closest ally [1].", (ally.citation(1),), ())
    answer = Verification("Into space [1].", (plans.citation(1),), ())
    given = [plans, ally]  # the chosen sentence first, then the context
    assert writer.held_back(question, "en", context, [ally], given, [plans]) == (
        "the answer cites none of the sentences chosen to answer"
    )
    assert writer.held_back(question, "en", answer, [plans], given, [plans]) is None
    # nothing chosen (a refusal never reaches the LLM; callers that pass none): no rule
    assert writer.held_back(question, "en", context, [ally], given) is None
