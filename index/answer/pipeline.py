"""From a question (and the conversation so far) to a cited answer.

The steps: make the question standalone, retrieve passages, score the sentences of
those passages against the question, decide whether the article answers it at all,
and let a Composer write the answer from the best sentences: the extractive one
(quoting) or the generative one (an LLM, checked). Refusal is decided from retrieval
evidence, never from an LLM's say-so.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence

from index.answer.author import asks_for_author, naming_the_author
from index.answer.clauses import ClauseCosines
from index.answer.conversation import (
    beside_the_earlier_answer,
    is_joined,
    value_beside_the_earlier_answer,
)
from index.answer.details import with_details
from index.answer.evidence import (
    KIND_FLOOR,
    anchored_by_kind,
    anchored_by_number,
    choose_evidence,
    in_order_of,
    prefer_denial,
    prefer_organisation,
    prefer_person,
    prefer_place,
    prefer_source,
    reranked,
    score_evidence,
    scored_as,
)
from index.answer.followup import HeuristicRewriter
from index.answer.questions import check_question
from index.answer.readings import reader_cosines, reading_vectors
from index.answer.refusal import expected_answer_kind, offers_answer_kind, unknown_names
from index.answer.sources import source_terms
from index.answer.topic import anchored_by_topic
from index.answer.where import asks_for_place, names_a_new_place
from index.answer.who import Senses, lacks_asked_role, no_related_person, with_named_neighbour
from index.answer.why import with_reason
from index.errors import QuestionError, StoreError
from index.text.language import detect_language
from index.text.polarity import is_question
from index.translate.terms import TermExtractor
from index.types import (
    Answer,
    Composed,
    Composer,
    Evidence,
    Primable,
    ReaderVectors,
    Retrieval,
    Retriever,
    Rewriter,
    SentenceReranker,
    Store,
    StoredSentence,
    Turn,
)


class AnswerPipeline:
    """The one code path behind the command line, the web page and the evaluation (an Answerer).

    `composers` maps each answer mode to the Composer that writes it; "extractive" is
    required and is also what a mode without its own composer falls back to.
    """

    def __init__(
        self,
        retriever: Retriever,
        store: Store,
        composers: dict[str, Composer],
        rewriter: Rewriter | None = None,
        llm_rewriter: Rewriter | None = None,
        top_k: int = 5,
        abstain_threshold: float = 0.34,
        max_citations: int = 1,
        citation_margin: float = 0.05,
        passage_weight: float = 0.15,
        evidence_window: float = 0.3,
        secondary_penalty: float = 0.1,
        max_question_chars: int = 1000,
        default_mode: str = "extractive",
        senses: Senses | None = None,
        terms: TermExtractor | None = None,
        reader_vectors: ReaderVectors | None = None,
        clause_cosines: ClauseCosines | None = None,
        reranker: SentenceReranker | None = None,
        reranker_pool: int = 8,
        reranker_weight: float = 0.5,
    ) -> None:
        if "extractive" not in composers:
            raise ValueError("composers must include 'extractive' (the fallback)")
        if top_k <= 0:
            raise ValueError(f"top_k must be greater than 0; got {top_k}")
        self.retriever = retriever
        self.store = store
        self.composers = dict(composers)
        self.rewriter = rewriter or HeuristicRewriter()
        # The LLM rewriter is for generative mode; extractive answers stay LLM-free.
        self.llm_rewriter = llm_rewriter
        self.top_k = top_k
        self.abstain_threshold = abstain_threshold
        self.max_citations = max_citations
        self.citation_margin = citation_margin
        self.passage_weight = passage_weight
        self.evidence_window = evidence_window
        self.secondary_penalty = secondary_penalty
        self.max_question_chars = max_question_chars
        self.default_mode = default_mode
        # A German word's dictionary senses (None: unknown), which tell the people a
        # sentence names from its nouns; None without the dictionary.
        self.senses = senses
        # Carries the question's words into the article's language: a topic question's
        # words find their sentence ("... say about oil?": Öl). None without the dictionary.
        self.terms = terms
        # The vectors of sentences' checked renderings: a question is matched against the
        # sentence in its own language too. None: the article's language only.
        self.reader_vectors = reader_vectors
        # long sentences matched clause by clause too (None: whole sentences only)
        self.clause_cosines = clause_cosines
        # A cross-encoder (NEWSRAG_RERANKER, none offline) scores the best
        # `reranker_pool` sentences with the question; its score is blended in with
        # `reranker_weight` (0 for the others), before any sentence is chosen.
        self.reranker = reranker
        self.reranker_pool = reranker_pool
        self.reranker_weight = reranker_weight

    @property
    def modes(self) -> tuple[str, ...]:
        """The answer modes this pipeline can serve."""
        return tuple(self.composers)

    def check_question(self, question: str) -> str:
        """The question cleaned; QuestionError when it is empty, too long or not a question
        this assistant can take (see index.answer.questions)."""
        return check_question(question, self.max_question_chars)

    def prime(self, languages: Sequence[str]) -> None:
        """Have the LLM read the constant prompts of every part that uses it (Primable)."""
        for part in (*self.composers.values(), self.llm_rewriter):
            if isinstance(part, Primable):
                part.prime(languages)

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
        language = detect_language(cleaned)

        mark = time.perf_counter()
        rewriter = (
            self.llm_rewriter if mode == "generative" and self.llm_rewriter else (self.rewriter)
        )
        standalone = rewriter.rewrite(cleaned, history) if history else cleaned
        timings["rewrite_ms"] = (time.perf_counter() - mark) * 1000

        mark = time.perf_counter()
        retrieval = self.retriever.search(standalone, k)
        timings["retrieve_ms"] = (time.perf_counter() - mark) * 1000
        if not retrieval.passages and self.store.count() == 0:
            # "The article does not say" would be untrue: there is no article to read
            raise StoreError(
                "no articles are indexed yet: put article files in the corpus folder "
                "and run `python app.py ingest` (README, Corpus format)"
            )

        mark = time.perf_counter()
        ranked, chosen, quoted = self.evidence(cleaned, standalone, language, retrieval)
        timings["evidence_ms"] = (time.perf_counter() - mark) * 1000

        mark = time.perf_counter()
        composer = self.composers.get(mode, self.composers["extractive"])
        if not chosen or quoted:  # a refusal needs no LLM; nor does what is quoted
            composer = self.composers["extractive"]
        composed: Composed | None = None
        for event in composer.stream(standalone, language, ranked, chosen, timings):
            if isinstance(event, str):
                yield event
            else:
                composed = event
        assert composed is not None  # a Composer always ends with a Composed value
        timings["compose_ms"] = (time.perf_counter() - mark) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        yield Answer(
            question=cleaned,
            answer=composed.text,
            language=language,
            abstained=not composed.citations,
            citations=composed.citations,
            passages=tuple(retrieval.passages),
            timings_ms=timings,
            standalone_question=standalone,
            mode=composed.mode,
            direct_answer=composed.direct_answer,
        )

    def ranked(self, retrieval: Retrieval, by_clause: bool = True) -> list[Evidence]:
        """Every sentence of the retrieved passages scored against the question with its
        search vector, best first: the sentences most about it (`by_clause`: long
        sentences by their closest clause too, when that is on)."""
        rows = self._rows(retrieval)
        readings = self._readings(rows, retrieval.language)
        return self._scored(retrieval, retrieval.query_vector, rows, readings, by_clause)

    def scored(
        self, question: str, retrieval: Retrieval, by_clause: bool = True
    ) -> tuple[list[Evidence], list[Evidence]]:
        """(`ranked(retrieval, by_clause)`, the same sentences scored and ordered as
        answers to `question`): with the retrieval's question-answering vector, then the
        reranker, where there are; each sentence keeps its search cosine, on which the
        refusal thresholds are set. The sentences and their renderings' vectors are read
        once for both."""
        rows = self._rows(retrieval)
        readings = self._readings(rows, retrieval.language)
        about = self._scored(retrieval, retrieval.query_vector, rows, readings, by_clause)
        answers = list(about)
        if retrieval.evidence_vector is not None:
            vector = retrieval.evidence_vector
            answers = scored_as(answers, self._scored(retrieval, vector, rows, readings, by_clause))
        if self.reranker is not None and answers:
            pool = answers[: self.reranker_pool]
            read = self.reranker.scores(question, [item.text for item in pool])
            answers = reranked(answers, read, self.reranker_weight)
        return about, answers

    def _rows(self, retrieval: Retrieval) -> list[StoredSentence]:
        if retrieval.sentences is not None:
            return retrieval.sentences
        # retrieval did not read them (no sentence rerank)
        return self.store.sentences_of([p.chunk_id for p in retrieval.passages])

    def _readings(self, rows: Sequence[StoredSentence], language: str) -> dict[str, list[float]]:
        """The checked renderings' vectors of these sentences in the question's language
        (`index.answer.readings`; a question is matched against them too)."""
        return reading_vectors([row.sentence.text for row in rows], self.reader_vectors, language)

    def _scored(
        self,
        retrieval: Retrieval,
        vector: Sequence[float],
        rows: Sequence[StoredSentence],
        readings: Mapping[str, Sequence[float]],
        by_clause: bool,
    ) -> list[Evidence]:
        texts = [row.sentence.text for row in rows]
        return score_evidence(
            retrieval,
            rows,
            self.passage_weight,
            self.evidence_window,
            self.secondary_penalty,
            reader_cosines(vector, texts, readings),
            self.clause_similarities(vector, rows) if by_clause else None,
            vector=vector,
        )

    def clause_similarities(
        self, vector: Sequence[float], rows: Sequence[StoredSentence]
    ) -> list[float] | None:
        """Each long sentence's closest clause's cosine with the question's `vector` (NaN
        for the others; `index.answer.clauses`), or None when off or no sentence is long."""
        if self.clause_cosines is None:
            return None
        texts = [row.sentence.text for row in rows]
        return self.clause_cosines.cosines(vector, texts)

    def evidence(
        self, cleaned: str, standalone: str, language: str, retrieval: Retrieval
    ) -> tuple[list[Evidence], list[Evidence], bool]:
        """(every scored sentence, scored as an answer but the ones most about the
        question first; the sentences to cite; whether they must be quoted rather than
        given to an LLM) for a question; no sentence to cite means refusal.

        `cleaned` is the question as asked, `standalone` as read with the conversation.
        """
        about, ranked = self.scored(standalone, retrieval)
        # A "how many" / "when" question is answered only by a sentence that holds such a
        # value (beyond what the question says); with none, the article does not answer.
        kind = expected_answer_kind(cleaned)

        def answering(scored: list[Evidence], question: str) -> list[Evidence]:
            # The article's own questions (a teaser's "Was hat es mit dem Treffen auf
            # sich?", a heading) assert nothing, so they answer nothing either.
            return [
                e
                for e in scored
                if not is_question(e.text) and offers_answer_kind(kind, question, e.text)
            ]

        candidates = answering(ranked, standalone)
        candidates = prefer_denial(cleaned, candidates, self.citation_margin)
        candidates = prefer_person(standalone, candidates, self.citation_margin, self.senses)
        candidates = prefer_place(standalone, candidates, self.citation_margin, self.senses)
        candidates = prefer_organisation(standalone, candidates, self.citation_margin)
        if self.terms is not None:
            source = source_terms(standalone, language, self.terms)
            candidates = prefer_source(source, candidates, self.citation_margin, retrieval.passages)
        chosen = choose_evidence(
            candidates, self.abstain_threshold, self.max_citations, self.citation_margin
        ) or anchored_by_number(cleaned, candidates)
        # "How big could the force be?": the best sentence of all holds the value asked for
        statements = [e for e in ranked if not is_question(e.text)]
        chosen = chosen or anchored_by_kind(kind, candidates, statements)
        # "When did they show that?": the value of what was just said, told beside it
        if not chosen and kind and is_joined(cleaned, standalone):
            chosen = value_beside_the_earlier_answer(statements, candidates, KIND_FLOOR)
        # "What does the article say about oil?": the topic's words find the sentence
        chosen = chosen or anchored_by_topic(cleaned, language, candidates, self.terms)
        # The author the article's header names, cited where the text names them; quoted,
        # not left to the LLM, which knows no header (it answered "the editorial team").
        by_author: list[Evidence] = []
        if asks_for_author(standalone):
            authors = self.store.authors([p.doc_id for p in retrieval.passages])
            by_author = naming_the_author(candidates, authors)
            chosen = by_author or chosen
        # A follow-up read with the earlier question finds the earlier answer again; the
        # follow-up alone may point at the sentence beside it ("How did they settle it?").
        # Alone, it is matched against whole sentences: its words echo the earlier answer
        # ("that argument"), and a clause of that answer ("sie hätten nur darüber
        # gestritten, wer ...") matches the echo better than the sentence that answers.
        if chosen and not by_author and is_joined(cleaned, standalone):
            found = self.retriever.search(cleaned, self.top_k)
            alone = answering(self.scored(cleaned, found, by_clause=False)[1], cleaned)
            chosen = beside_the_earlier_answer(chosen, ranked, alone)
        # "Why ...?": the sentence beside the best one that gives its reason ("Denn ...")
        chosen = with_reason(standalone, chosen, ranked)
        # "What did ... decide?": an announcement cited with its details ("Demnach ...")
        asked = self.terms.terms(standalone, language) if self.terms is not None else None
        chosen = with_details(standalone, chosen, ranked, asked)
        # "Who is Putin's last loyal ally?": the person named right beside the best sentence
        if self.senses is not None:
            chosen = with_named_neighbour(standalone, chosen, ranked, self.senses)
        # "Who is Lisa Gürth's superior?" is not answered by a sentence naming only her
        if (
            chosen
            and self.senses is not None
            and no_related_person(standalone, chosen[0].text, self.senses)
        ):
            chosen = []
        # "What is the name of the defence minister?" is not answered by a sentence that
        # names a press secretary: a person asked for by a role needs the role cited
        if (
            chosen
            and not by_author
            and self.senses is not None
            and lacks_asked_role(standalone, [e.text for e in chosen], self.senses)
        ):
            chosen = []
        # "In which city will the troops be stationed?" is not answered by a sentence
        # that names no place the question does not
        if (
            chosen
            and self.senses is not None
            and asks_for_place(standalone)
            and not any(names_a_new_place(standalone, e.text, self.senses) for e in chosen)
        ):
            chosen = []
        # A question about someone or something the passages never name is not answered
        # by them ("What did Zelensky say?" against sentences about Peskow).
        if chosen and unknown_names(
            cleaned, language, " ".join(p.text for p in retrieval.passages), self.senses
        ):
            chosen = []
        # The composer gets them in the order of the sentences most about the question:
        # the LLM is shown the chosen ones, then those (the context it was tuned with).
        return in_order_of(ranked, about), chosen, bool(by_author)
