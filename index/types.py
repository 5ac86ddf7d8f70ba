"""Small frozen values that cross module boundaries, and the Protocols of the seams.

Library objects (llama-index nodes, Chroma results) are converted into these values
in the module that owns the library; nothing above `index/` sees them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

BlockKind = Literal["teaser", "heading", "paragraph", "caption", "boilerplate"]
# Text that previews or labels the article rather than reports it: a teaser bullet sums
# up what the body says in detail ("Eine Russland-Expertin gibt Antworten ..."), a photo
# caption labels a picture ("Russischer Präsident Wladimir Putin bei einer Rede.").
SECONDARY_KINDS: frozenset[BlockKind] = frozenset({"teaser", "caption"})
Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Article:
    """One source article. `text` is the exact text that offsets refer to."""

    doc_id: str
    text: str
    path: str
    title: str = ""
    language: str = "de"
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Block:
    """A structural unit of an article: one line-level element with exact offsets."""

    kind: BlockKind
    start: int
    end: int
    section: str


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article; `source[start:end]` is its text."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit: consecutive sentences of one block kind inside one section."""

    chunk_id: str
    doc_id: str
    section: str
    kind: BlockKind
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]
    language: str = "de"  # the article's language: decides BM25 stemming and weighting

    def embedding_text(self) -> str:
        """What the embedder sees: the heading gives the passage its context."""
        return f"{self.section}\n{self.text}" if self.section else self.text


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its rank and fused score."""

    rank: int
    chunk_id: str
    doc_id: str
    section: str
    kind: BlockKind
    start: int
    end: int
    text: str
    score: float

    def to_json(self) -> dict[str, Any]:
        """The passage as the `ask --json` contract shows it."""
        return {
            "rank": self.rank,
            "doc_id": self.doc_id,
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True)
class Rendering:
    """A sentence of the article in the reader's language (a machine translation).

    `checked` is True only when it passed every check against its source (numbers,
    names, negation, round trip); only checked renderings are ever shown to a reader.
    """

    language: str
    text: str
    checked: bool
    problems: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The rendering as the `ask --json` contract shows it."""
        return {"language": self.language, "text": self.text, "checked": self.checked}


@dataclass(frozen=True)
class Citation:
    """An exact span of a source article that backs part of an answer.

    `rendering` is the sentence in the reader's language when the article is in another
    one and a checked rendering exists; None otherwise.
    """

    n: int
    doc_id: str
    section: str
    start: int
    end: int
    text: str
    rendering: Rendering | None = None

    def to_json(self) -> dict[str, Any]:
        """The citation as the `ask --json` contract shows it."""
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "rendering": self.rendering.to_json() if self.rendering else None,
        }


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the store (no sentence list, no vector)."""

    chunk_id: str
    doc_id: str
    section: str
    kind: BlockKind
    start: int
    end: int
    text: str
    language: str = "de"  # chunks stored before languages were recorded are German


@dataclass(frozen=True)
class Hit:
    """One nearest-neighbour result: an id, its metadata and cosine similarity."""

    item_id: str
    metadata: dict[str, Any]
    text: str
    similarity: float


@dataclass(frozen=True)
class StoredSentence:
    """A sentence as read back from the store, with its chunk and vector."""

    sentence: Sentence
    chunk_id: str
    vector: list[float]


@dataclass(frozen=True)
class Retrieval:
    """Ranked passages, the query vector that found them, and the question's language."""

    passages: list[Passage]
    query_vector: list[float]
    language: str
    # embed, dense, bm25, fuse, rerank (when on) and passages: ms per stage
    timings_ms: dict[str, float] = field(default_factory=dict)
    # the passages' sentences (Store.sentences_of) when retrieval read them; None: not read
    sentences: list[StoredSentence] | None = None
    # the question's vector under the embedder's question-answering prompt, which orders
    # its sentences as answers (PromptedEmbedder); None: query_vector does that too
    evidence_vector: list[float] | None = None


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

    def citation(self, n: int, rendering: Rendering | None = None) -> Citation:
        """This sentence as citation number n."""
        return Citation(
            n=n,
            doc_id=self.doc_id,
            section=self.section,
            start=self.start,
            end=self.end,
            text=self.text,
            rendering=rendering,
        )


@dataclass(frozen=True)
class Composed:
    """A composed answer: its text, its citations and how it was made.

    `mode` is the way that produced the text ("generative", or "extractive" also when the
    generative way fell back); `direct_answer` is its first sentence, the answer itself.
    """

    text: str
    citations: tuple[Citation, ...]
    mode: str
    direct_answer: str = ""


@dataclass(frozen=True)
class Turn:
    """One message of a conversation."""

    role: Role
    content: str


@dataclass(frozen=True)
class Answer:
    """The product's answer to one question."""

    question: str
    answer: str
    language: str
    abstained: bool
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    timings_ms: dict[str, float]
    standalone_question: str = ""
    mode: str = "extractive"
    direct_answer: str = ""

    def to_json(self) -> dict[str, Any]:
        """The fixed `ask --json` contract (extra keys are additive)."""
        return {
            "question": self.question,
            "answer": self.answer,
            "language": self.language,
            "abstained": self.abstained,
            "citations": [citation.to_json() for citation in self.citations],
            "passages": [passage.to_json() for passage in self.passages],
            "timings_ms": {key: round(value, 1) for key, value in self.timings_ms.items()},
            "standalone_question": self.standalone_question or self.question,
            "mode": self.mode,
            "direct_answer": self.direct_answer,
        }


# --- seams --------------------------------------------------------------------------------


@runtime_checkable
class Embedder(Protocol):
    """What we need of an embedding model; llama-index's BaseEmbedding has it."""

    def get_query_embedding(self, query: str) -> list[float]: ...

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]: ...


@runtime_checkable
class PromptedEmbedder(Protocol):
    """An embedding model that can embed a question under another task prompt than its
    query prompt (EmbeddingGemma's "task: question answering | query: ")."""

    def get_prompted_query_embedding(self, query: str, prompt: str) -> list[float]: ...


class SentenceReranker(Protocol):
    """Scores (question, sentence) pairs read together (index.models.reranker)."""

    def scores(self, question: str, texts: Sequence[str]) -> list[float]: ...


@runtime_checkable
class Store(Protocol):
    """The vector store: chunks, sentences and article texts (ChromaStore is the real one)."""

    def count(self) -> int: ...

    def document_hashes(self) -> dict[str, str]: ...

    def documents(self) -> dict[str, str]: ...

    def authors(self, doc_ids: Sequence[str]) -> dict[str, str]: ...

    def all_chunks(self) -> list[StoredChunk]: ...

    def chunks_of(self, doc_ids: Sequence[str]) -> list[StoredChunk]: ...

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]: ...

    def query_chunks(self, vector: Sequence[float], k: int) -> list[Hit]: ...

    def similarities(
        self, vector: Sequence[float], chunk_ids: Sequence[str]
    ) -> dict[str, float]: ...

    def sentences_of(self, chunk_ids: Sequence[str]) -> list[StoredSentence]: ...

    def renderings(self, keys: Sequence[str]) -> dict[str, Rendering]: ...

    def save_renderings(self, items: Mapping[str, Rendering]) -> None: ...

    def rendering_vectors(self, keys: Sequence[str]) -> dict[str, list[float]]: ...

    def save_rendering_vectors(self, items: Mapping[str, Sequence[float]]) -> None: ...


@runtime_checkable
class Retriever(Protocol):
    """Finds the passages that best answer a question."""

    def search(self, question: str, k: int) -> Retrieval: ...


@runtime_checkable
class Generator(Protocol):
    """A language model that streams text for a chat prompt."""

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]: ...


@runtime_checkable
class Primable(Protocol):
    """A part that sends an LLM a constant system prompt per language, and can have the
    LLM read those prompts ahead of the first request (page start-up): with llama.cpp's
    prompt-state cache, the first answer in each language then reads only its own tokens.
    """

    def prime(self, languages: Sequence[str]) -> None: ...


@runtime_checkable
class Rewriter(Protocol):
    """Turns a follow-up question into a standalone one, given the conversation."""

    def rewrite(self, question: str, history: Sequence[Turn]) -> str: ...


@runtime_checkable
class Renderer(Protocol):
    """Renders article sentences in the reader's language, checked, or says it cannot."""

    def render(self, text: str, source: str, target: str) -> Rendering: ...

    def cached(self, texts: Sequence[str], source: str, target: str) -> dict[str, Rendering]: ...


class ReaderVectors(Protocol):
    """The vectors of sentences' checked renderings, as a reader of another language reads
    them (a SentenceRenderer keeps them in the store)."""

    def vectors(self, texts: Sequence[str], source: str, target: str) -> dict[str, list[float]]: ...


@runtime_checkable
class Composer(Protocol):
    """Writes the answer from scored evidence: extractive (quoting) or generative (LLM).

    Yields text pieces as they are produced (generative), then one Composed value.
    It may add timing figures to `timings`.
    """

    def stream(
        self,
        question: str,
        language: str,
        ranked: Sequence[Evidence],
        chosen: Sequence[Evidence],
        timings: dict[str, float],
    ) -> Iterator[str | Composed]: ...


@runtime_checkable
class Answerer(Protocol):
    """Answers a question in the context of a conversation."""

    def answer(
        self,
        question: str,
        history: Sequence[Turn] = (),
        top_k: int | None = None,
        mode: str | None = None,
    ) -> Answer: ...

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        top_k: int | None = None,
        mode: str | None = None,
    ) -> Iterator[str | Answer]: ...
