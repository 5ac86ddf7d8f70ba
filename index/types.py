"""Small frozen values that cross module boundaries, and the Protocols of the seams.

Library objects (llama-index nodes, Chroma results) are converted into these values
in the module that owns the library; nothing above `index/` sees them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

BlockKind = Literal["teaser", "heading", "paragraph", "caption", "boilerplate"]
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
        return {"rank": self.rank, "doc_id": self.doc_id, "section": self.section,
                "start": self.start, "end": self.end, "text": self.text,
                "score": round(self.score, 6)}


@dataclass(frozen=True)
class Citation:
    """An exact span of a source article that backs part of an answer."""

    n: int
    doc_id: str
    section: str
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        """The citation as the `ask --json` contract shows it."""
        return asdict(self)


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
        }


@runtime_checkable
class Embedder(Protocol):
    """What we need of an embedding model; llama-index's BaseEmbedding has it."""

    def get_query_embedding(self, query: str) -> list[float]: ...

    def get_text_embedding_batch(self, texts: list[str], show_progress: bool = False,
                                 **kwargs: Any) -> list[list[float]]: ...


@runtime_checkable
class Retriever(Protocol):
    """Finds the passages that best answer a question."""

    def retrieve(self, question: str, k: int) -> list[Passage]: ...


@runtime_checkable
class Generator(Protocol):
    """A language model that streams text for a chat prompt."""

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]: ...


@runtime_checkable
class Answerer(Protocol):
    """Answers a question in the context of a conversation."""

    def answer(self, question: str, history: Sequence[Turn] = (), top_k: int | None = None,
               mode: str | None = None) -> Answer: ...
