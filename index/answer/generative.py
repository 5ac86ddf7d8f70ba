"""The generative way of answering: an LLM writes a short cited answer from numbered evidence
sentences; the verifier checks every sentence before anyone sees it.

The writer never decides to refuse (the pipeline does that from retrieval evidence) and
never ships unchecked text: when nothing supported remains, the extractive answer is
returned instead, and the answer's mode says so.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace

from index.answer.conflict import find_conflict
from index.answer.details import either_answers
from index.answer.extractive import ExtractiveComposer
from index.answer.refusal import expected_answer_kind, offers_answer_kind
from index.answer.verdict import verdict
from index.answer.verify import Verification, Verifier
from index.prompts import Prompts
from index.text.markers import without_markers
from index.text.numbers import digits_in
from index.text.polarity import is_negated, is_question, is_yes_no_question, stance_of
from index.text.sentences import split_sentences
from index.types import Composed, Evidence, Generator, Rendering

log = logging.getLogger(__name__)

_SPACE = re.compile(r"\s+")


def select_evidence(
    ranked: Sequence[Evidence], chosen: Sequence[Evidence], limit: int
) -> list[Evidence]:
    """The sentences shown to the LLM: the chosen ones, then the best others, best first.

    Sentences that are questions (teasers, headings) are left out: they assert nothing,
    and "Tritt Belarus in den Krieg ein?" invites a "Yes".
    """
    chosen_keys = {(item.doc_id, item.start) for item in chosen}
    first = [item for item in ranked if (item.doc_id, item.start) in chosen_keys]
    first += [item for item in chosen if item not in first]
    rest = [item for item in ranked if (item.doc_id, item.start) not in chosen_keys]
    statements = [item for item in first + rest if not is_question(item.text)]
    return statements[:limit]


class GenerativeComposer:
    """Writes a short answer with an LLM, checks it, and falls back to quoting (a Composer)."""

    def __init__(
        self,
        generator: Generator,
        prompts: Prompts,
        verifier: Verifier,
        fallback: ExtractiveComposer,
        max_tokens: int = 160,
        max_evidence: int = 3,
    ) -> None:
        if max_tokens <= 0 or max_evidence <= 0:
            raise ValueError(
                f"max_tokens and max_evidence must be greater than 0; got "
                f"{max_tokens} and {max_evidence}"
            )
        self.generator = generator
        self.prompts = prompts
        self.verifier = verifier
        self.max_tokens = max_tokens
        self.max_evidence = max_evidence
        self.extractive = fallback

    def load(self) -> None:
        """Load the LLM now when its backend loads lazily (no-op otherwise)."""
        loader = getattr(self.generator, "load", None)
        if callable(loader):
            loader()

    def prime(self, languages: Sequence[str]) -> None:
        """Load the LLM and have it read each language's constant system prompt (Primable)."""
        self.load()
        for language in languages:
            for _ in self.generator.stream(*self.prompt("?", language, []), 1):
                pass  # one token: the prompt's state is what is kept

    def prompt(self, question: str, language: str, given: Sequence[Evidence]) -> tuple[str, str]:
        """System and user message; the system message is constant per language."""
        lines = "\n".join(
            self.prompts.render(
                "evidence_line", language, n=n, text=_SPACE.sub(" ", item.text).strip()
            )
            for n, item in enumerate(given, start=1)
        )
        system = self.prompts.render("answer_system", language).strip()
        user = self.prompts.render(
            "answer_user", language, evidence=lines, question=_SPACE.sub(" ", question).strip()
        )
        return system, user.strip()

    def shown(
        self, language: str, given: Sequence[Evidence]
    ) -> tuple[list[Evidence], dict[tuple[str, int], Rendering]]:
        """The evidence as the LLM reads it: each sentence in the reader's language where a
        checked rendering exists (English evidence for an English question), else as is.
        """
        renderings = self.extractive.renderings(language, given)
        shown, used = [], {}
        for item, rendering in zip(given, renderings, strict=True):
            if rendering is None:
                shown.append(item)
            else:
                shown.append(replace(item, text=rendering.text))
                used[(item.doc_id, item.start)] = rendering
        return shown, used

    def held_back(
        self,
        question: str,
        language: str,
        verification: Verification,
        cited: Sequence[Evidence],
        given: Sequence[Evidence] = (),
        chosen: Sequence[Evidence] = (),
    ) -> str | None:
        """Why a verified answer is not shown (the extractive one is, instead); None when
        it is shown. `cited` and `given` are the article's sentences the answer cites and
        the LLM was given; `chosen`, the ones the evidence step chose to cite."""
        if not verification.ok:
            dropped = "; ".join(verification.problems) or "all dropped"
            return f"no supported sentence ({dropped})"
        said = {(item.doc_id, item.start) for item in cited}
        # A pair of chosen sentences answers together: the best one with its reason
        # ("Denn die vom Westen verhängten Sanktionen ..."), its details ("Demnach sollen
        # Betroffene härter bestraft werden") or the person named beside it. An answer
        # citing one alone left out what the pair was chosen for ("Why have Russia and
        # Belarus grown closer?" answered with the military bases, not the sanctions).
        # A sentence and its labelled comment, or a quotation and its rest, are chosen
        # together too, but each answers alone ("Kyiv viewed the get-together skeptically").
        if len(chosen) > 1:
            left_out = [item for item in chosen if (item.doc_id, item.start) not in said]
            alone = (
                len(chosen) == 2
                and len(left_out) == 1
                and either_answers(*(c.text for c in chosen))
            )
            if left_out and not alone:
                return "the answer leaves out a sentence chosen with the best one"
        # The evidence step chose the sentences that answer; the others are given as
        # context. An answer that cites none of the chosen ones answers from the context
        # ("Where are Belarusian cosmonauts supposed to be sent?" answered with "The
        # Belarusian government is the most important ally of Russia ...").
        if chosen and not said & {(item.doc_id, item.start) for item in chosen}:
            return "the answer cites none of the sentences chosen to answer"
        # "When did Belarusians protest?" answered with a supported sentence about the
        # death penalty is true, but holds no time: no answer to the question
        kind = expected_answer_kind(question)
        if not offers_answer_kind(kind, question, without_markers(verification.text)):
            return f"the answer holds no {kind} value"
        if self.unfounded_denial(question, language, verification.text, cited):
            return "the answer denies what no cited sentence denies"
        # "What happened in 2020 in Belarus?" was answered from a sentence about a law,
        # though the one about the protests of 2020 was given (numbers of two digits or
        # more, as retrieval anchors them: a single digit is too common to insist on)
        named = {number for number in digits_in(question) if len(number) >= 2}
        if any(named & digits_in(item.text) for item in given) and not any(
            named & digits_in(item.text) for item in cited
        ):
            return "the answer cites no given sentence that holds the number the question names"
        return None

    def unfounded_denial(
        self, question: str, language: str, text: str, cited: Sequence[Evidence]
    ) -> bool:
        """True when the answer opens by denying a yes/no question that none of its cited
        sentences denies (the extractive `verdict`, with its dictionary, its words
        required): the 1.5B model wrote "No, Putin and Lukashenko did not sign a treaty
        [1]." citing "... er habe "kein Interesse" daran, das Nachbarland Belarus
        einzuverleiben", which passes the verifier's polarity check (both negated) but
        denies something else."""
        if not is_yes_no_question(question) or is_negated(question):
            return False
        first = split_sentences(without_markers(text))[:1]
        if not first:
            return False
        said = stance_of(first[0]) or ("no" if is_negated(first[0]) else "yes")
        if said != "no":
            return False
        # the model's own "No" needs the question's words in the sentence it cites: a
        # close sentence is not enough ("No, Belarus has not said it will join the war"
        # citing an expert's "little points to further involvement", cosine 0.5+)
        terms = self.extractive.terms
        return not any(
            verdict(question, item, terms, language, close=None) == "no" for item in cited
        )

    def stream(
        self,
        question: str,
        language: str,
        ranked: Sequence[Evidence],
        chosen: Sequence[Evidence],
        timings: dict[str, float],
    ) -> Iterator[str | Composed]:
        """Yield the LLM's text as produced, then the verified answer (or the fallback)."""
        given = select_evidence(ranked, chosen, self.max_evidence)
        # Contradicting articles are quoted side by side, not left to the LLM to pick from.
        if not given or find_conflict(chosen, ranked) is not None:
            yield self.extractive.compose_answer(question, language, chosen, ranked)
            return
        mark = time.perf_counter()
        originals = {(item.doc_id, item.start): item for item in given}
        given, used = self.shown(language, given)
        anchors = [
            next((g for g in given if (g.doc_id, g.start) == (c.doc_id, c.start)), c)
            for c in chosen
        ]
        timings["render_ms"] = (time.perf_counter() - mark) * 1000
        system, user = self.prompt(question, language, given)
        mark = time.perf_counter()
        self.load()
        timings["llm_load_ms"] = (time.perf_counter() - mark) * 1000
        mark = time.perf_counter()
        pieces: list[str] = []
        for piece in self.generator.stream(system, user, self.max_tokens):
            if not pieces:
                timings["first_token_ms"] = (time.perf_counter() - mark) * 1000
            pieces.append(piece)
            yield piece
        timings["generate_ms"] = (time.perf_counter() - mark) * 1000
        mark = time.perf_counter()
        verification = self.verifier.verify(
            question, language, "".join(pieces), given, anchors=anchors
        )
        timings["verify_ms"] = (time.perf_counter() - mark) * 1000
        for check in verification.checks:
            if not check.supported:
                log.info("dropped %r: %s", check.text, "; ".join(check.problems))
        cited = [originals[(c.doc_id, c.start)] for c in verification.citations]
        problem = self.held_back(
            question, language, verification, cited, list(originals.values()), chosen
        )
        if problem is None:
            # citations point at the article's own words; the rendering rides along
            citations = tuple(
                cited_item.citation(c.n, used.get((c.doc_id, c.start)))
                for cited_item, c in zip(cited, verification.citations, strict=True)
            )
            first = split_sentences(verification.text)[:1]
            yield Composed(
                text=verification.text,
                citations=citations,
                mode="generative",
                direct_answer=first[0] if first else "",
            )
            return
        log.info("%s; answering extractively", problem)
        yield self.extractive.compose_answer(question, language, chosen)
