"""From a question (and the conversation so far) to a cited answer.

The steps: make the question standalone, retrieve passages, score the sentences of
those passages against the question, decide whether the article answers it at all,
and compose the answer from the best sentences (extractive) or let an LLM write it
from them (generative, see index/generate.py). Refusal is decided from retrieval
evidence, never from an LLM's say-so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from index.lexical import (
    detect_language,
    expected_answer_kind,
    offers_answer_kind,
    unknown_names,
    words,
)
from index.prompts import Prompts
from index.retrieve import HybridRetriever, Retrieval
from index.store import ChromaStore
from index.types import Answer, Citation, Passage, Sentence, Turn


class QuestionError(ValueError):
    """The question cannot be answered as given (empty, too long); the message says why."""


@dataclass(frozen=True)
class Evidence:
    """One sentence of a retrieved passage, scored against the question."""

    doc_id: str
    section: str
    start: int
    end: int
    text: str
    similarity: float  # cosine of question and sentence
    score: float  # similarity blended with the passage's retrieval score
    passage_rank: int

    def citation(self, n: int) -> Citation:
        """This sentence as citation number n."""
        return Citation(
            n=n,
            doc_id=self.doc_id,
            section=self.section,
            start=self.start,
            end=self.end,
            text=self.text,
        )


class Rewriter(Protocol):
    """Turns a follow-up question into a standalone one, given the conversation."""

    def rewrite(self, question: str, history: Sequence[Turn]) -> str: ...


# Personal pronouns and pronominal adverbs that point back to an earlier turn.
# Possessives and articles (seine, das, diese) are left out: German questions are full
# of them without leaning on anything said before.
_FOLLOW_UP_WORDS = frozenset(
    "he she it they him her them that those there "
    "er sie es ihm ihr ihn ihnen dazu darüber davon daran darauf dort damit".split()
)
_FOLLOW_UP_OPENERS = ("and ", "but ", "what about", "und ", "aber ", "was ist mit", "wie ist")


def is_follow_up(question: str) -> bool:
    """A short question that leans on what was said before (pronouns, 'and ...')."""
    lowered = question.strip().lower()
    found = [word.lower() for word in words(question)]
    if lowered.startswith(_FOLLOW_UP_OPENERS):
        return True
    return len(found) <= 10 and any(word in _FOLLOW_UP_WORDS for word in found)


_PERSONAL_PRONOUN = re.compile(r"\b(he|she|him|her|er|sie|ihm|ihn|ihr)\b", re.IGNORECASE)
_NAME = re.compile(r"(?<!^)(?<![.?!] )\b([A-ZÄÖÜ][\w'-]+(?: [A-ZÄÖÜ][\w'-]+)+)")


def named_person(text: str) -> str:
    """The last run of two or more capitalised words not opening the text ("Lisa Gürth")."""
    names = _NAME.findall(text.strip())
    return names[-1] if names else ""


class HeuristicRewriter:
    """Without an LLM: resolve a follow-up against the previous user question.

    A personal pronoun is replaced by the person named in the previous question ("What
    does she think?" after "Who is Lisa Gürth?" -> "What does Lisa Gürth think?").
    Otherwise the follow-up is read with the previous question after it, so retrieval
    still leans on the new question first.
    """

    def rewrite(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone version of `question`; unchanged when it is not a follow-up."""
        previous = [turn.content for turn in history if turn.role == "user"]
        if not previous or not is_follow_up(question):
            return question
        earlier = previous[-1].strip()
        person = named_person(earlier)
        if person and _PERSONAL_PRONOUN.search(question):
            return _PERSONAL_PRONOUN.sub(person, question.strip(), count=1)
        return f"{question.strip()} ({earlier})"


class Writer(Protocol):
    """Writes an answer from scored evidence (the generative mode's LLM side).

    Yields text pieces as they are produced, then one (answer text, citations) tuple
    holding the checked final answer. It may add timing figures to `timings`.
    """

    def stream(
        self,
        question: str,
        language: str,
        ranked: Sequence[Evidence],
        chosen: Sequence[Evidence],
        timings: dict[str, float],
    ) -> Iterator[str | tuple[str, list[Citation]]]: ...


def score_evidence(
    retrieval: Retrieval,
    sentence_rows: Sequence[tuple[Sentence, str, list[float]]],
    passage_weight: float,
) -> list[Evidence]:
    """Every sentence of the retrieved passages, best first.

    score = (1 - passage_weight) * cosine(question, sentence)
            + passage_weight * fused score of the sentence's passage.
    """
    by_chunk: dict[str, Passage] = {p.chunk_id: p for p in retrieval.passages}
    query = retrieval.query_vector
    result = []
    for sentence, chunk_id, vector in sentence_rows:
        passage = by_chunk.get(chunk_id)
        if passage is None:
            continue
        norm = sum(x * x for x in vector) ** 0.5 or 1.0
        similarity = sum(a * b for a, b in zip(query, vector, strict=True)) / norm
        score = (1 - passage_weight) * similarity + passage_weight * passage.score
        result.append(
            Evidence(
                doc_id=passage.doc_id,
                section=passage.section,
                start=sentence.start,
                end=sentence.end,
                text=sentence.text,
                similarity=similarity,
                score=score,
                passage_rank=passage.rank,
            )
        )
    return sorted(result, key=lambda item: (-item.score, item.doc_id, item.start))


def choose_evidence(
    ranked: Sequence[Evidence], threshold: float, limit: int, margin: float
) -> list[Evidence]:
    """The sentences to cite: the best one if it clears the threshold, plus close runners-up.

    Returns [] (abstain) when the best sentence's cosine similarity is under `threshold`.
    """
    if not ranked or ranked[0].similarity < threshold:
        return []
    best = ranked[0]
    chosen = [best]
    for item in ranked[1:]:
        if len(chosen) >= limit:
            break
        if item.score >= best.score - margin and item.similarity >= threshold:
            chosen.append(item)
    return chosen  # best first: [1] is the sentence that answers most directly


_SPACE = re.compile(r"\s+")


class ExtractiveComposer:
    """Writes the answer from the chosen sentences themselves, quoted and numbered."""

    def __init__(self, prompts: Prompts) -> None:
        self.prompts = prompts

    def compose(
        self, question: str, language: str, evidence: Sequence[Evidence]
    ) -> tuple[str, list[Citation]]:
        """Answer text and citations; the refusal text when there is no evidence."""
        if not evidence:
            return self.prompts.render("refusal", language), []
        citations = [item.citation(n) for n, item in enumerate(evidence, start=1)]
        quotes = " ".join(
            self.prompts.render("quote", language, n=c.n, text=_SPACE.sub(" ", c.text).strip())
            for c in citations
        )
        return self.prompts.render("extractive", language, quotes=quotes), citations


class Answerer:
    """The one code path behind the command line, the web page and the evaluation."""

    def __init__(
        self,
        retriever: HybridRetriever,
        store: ChromaStore,
        prompts: Prompts,
        rewriter: Rewriter | None = None,
        top_k: int = 5,
        abstain_threshold: float = 0.4,
        max_citations: int = 2,
        citation_margin: float = 0.05,
        passage_weight: float = 0.3,
        max_question_chars: int = 1000,
        generative: Writer | None = None,
        default_mode: str = "extractive",
    ) -> None:
        self.retriever = retriever
        self.store = store
        self.prompts = prompts
        self._heuristic = HeuristicRewriter()
        self.rewriter = rewriter or self._heuristic
        self.top_k = top_k
        self.abstain_threshold = abstain_threshold
        self.max_citations = max_citations
        self.citation_margin = citation_margin
        self.passage_weight = passage_weight
        self.max_question_chars = max_question_chars
        self.extractive = ExtractiveComposer(prompts)
        self.generative = generative
        self.default_mode = default_mode

    def check_question(self, question: str) -> str:
        """The question stripped; QuestionError when it is empty or too long."""
        cleaned = question.strip() if isinstance(question, str) else ""
        if not cleaned:
            raise QuestionError("The question is empty. Ask something about the article.")
        if len(cleaned) > self.max_question_chars:
            raise QuestionError(
                f"The question has {len(cleaned):,} characters; the limit is "
                f"{self.max_question_chars:,}. Please shorten it."
            )
        return cleaned

    def answer(
        self,
        question: str,
        history: Sequence[Turn] = (),
        top_k: int | None = None,
        mode: str | None = None,
    ) -> Answer:
        """Answer one question; history holds the earlier turns of the conversation."""
        final: Answer | None = None
        for event in self.stream(question, history, top_k, mode):
            if isinstance(event, Answer):
                final = event
        assert final is not None  # stream always ends with an Answer
        return final

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        top_k: int | None = None,
        mode: str | None = None,
    ) -> Iterator[str | Answer]:
        """Yield answer text as it grows (generative mode), then the final Answer."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        cleaned = self.check_question(question)
        mode = mode or self.default_mode
        if mode not in ("extractive", "generative"):
            raise QuestionError(f"mode must be 'extractive' or 'generative'; got {mode!r}")
        k = top_k or self.top_k
        if k <= 0:
            raise QuestionError(f"top_k must be greater than 0; got {k}")
        language = detect_language(cleaned, default="en")

        mark = time.perf_counter()
        # The LLM rewriter is for generative mode; extractive answers stay LLM-free.
        rewriter = self.rewriter if mode == "generative" else self._heuristic
        standalone = rewriter.rewrite(cleaned, history) if history else cleaned
        timings["rewrite_ms"] = (time.perf_counter() - mark) * 1000

        mark = time.perf_counter()
        retrieval = self.retriever.search(standalone, k)
        timings["retrieve_ms"] = (time.perf_counter() - mark) * 1000

        mark = time.perf_counter()
        rows = self.store.sentences_of([p.chunk_id for p in retrieval.passages])
        ranked = score_evidence(retrieval, rows, self.passage_weight)
        # A "how many" / "when" question is answered only by a sentence that holds such a
        # value (beyond what the question says); with none, the article does not answer.
        kind = expected_answer_kind(cleaned)
        candidates = [e for e in ranked if offers_answer_kind(kind, standalone, e.text)]
        chosen = choose_evidence(
            candidates, self.abstain_threshold, self.max_citations, self.citation_margin
        )
        # A question about someone or something the passages never name is not answered
        # by them ("What did Zelensky say?" against sentences about Peskow).
        if chosen and unknown_names(
            cleaned, language, " ".join(p.text for p in retrieval.passages)
        ):
            chosen = []
        timings["evidence_ms"] = (time.perf_counter() - mark) * 1000

        mark = time.perf_counter()
        if mode == "generative" and chosen and self.generative is not None:
            text, citations = "", list[Citation]()
            for event in self.generative.stream(standalone, language, ranked, chosen, timings):
                if isinstance(event, str):
                    yield event
                else:
                    text, citations = event
        else:
            if mode == "generative" and self.generative is None:
                mode = "extractive"
            text, citations = self.extractive.compose(standalone, language, chosen)
        timings["compose_ms"] = (time.perf_counter() - mark) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        yield Answer(
            question=cleaned,
            answer=text,
            language=language,
            abstained=not citations,
            citations=tuple(citations),
            passages=tuple(retrieval.passages),
            timings_ms=timings,
            standalone_question=standalone,
            mode=mode,
        )
