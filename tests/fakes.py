"""Deterministic test doubles that keep the behaviour under test.

HashEmbedding: every folded, stemmed word adds a fixed pseudo-random direction, so
texts that share words get nearby vectors and ranking tests mean something (a
constant mock embedding would make every ranking meaningless).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator

from llama_index.core.base.embeddings.base import BaseEmbedding

from index.text.tokens import tokens

DIMENSION = 256


def _direction(token: str) -> list[float]:
    digest = hashlib.sha256(token.encode()).digest()
    vector = [0.0] * DIMENSION
    for i in range(0, 24, 3):
        index = int.from_bytes(digest[i : i + 2], "big") % DIMENSION
        vector[index] += 1.0 if digest[i + 2] % 2 else -1.0
    return vector


def hash_embed(text: str) -> list[float]:
    """A normalised bag-of-stems vector; the empty text maps to a fixed unit vector."""
    total = [0.0] * DIMENSION
    for token in tokens(text):
        for index, value in enumerate(_direction(token)):
            total[index] += value
    norm = math.sqrt(sum(x * x for x in total))
    if norm == 0:
        return [1.0] + [0.0] * (DIMENSION - 1)
    return [x / norm for x in total]


class HashEmbedding(BaseEmbedding):
    """A llama-index embedding model made of hashes; records how many texts it embedded."""

    calls: int = 0
    embedded_texts: int = 0

    def __init__(self) -> None:
        super().__init__(model_name="hash-embedding-test", embed_batch_size=64)

    @classmethod
    def class_name(cls) -> str:
        return "HashEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return hash_embed(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return hash_embed(query)

    def get_prompted_query_embedding(self, query: str, prompt: str) -> list[float]:
        """A bag of hashed words has no tasks: the same vector as the query's."""
        return hash_embed(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        self.calls += 1
        self.embedded_texts += 1
        return hash_embed(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        self.embedded_texts += len(texts)
        return [hash_embed(text) for text in texts]

    def count_tokens(self, text: str) -> int:
        """Words, as a stand-in for a tokenizer."""
        return len(text.split())


class ScriptedGenerator:
    """A fake LLM: replays queued replies in order and records every prompt it got."""

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.prompts: list[tuple[str, str]] = []

    def enqueue(self, *replies: str) -> None:
        """Queue more replies."""
        self.replies.extend(replies)

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]:
        """Yield the next reply in a few pieces, as a streaming LLM would."""
        self.prompts.append((system, user))
        if not self.replies:
            raise AssertionError("ScriptedGenerator ran out of replies")
        reply = self.replies.pop(0)
        for start in range(0, len(reply), 7):
            yield reply[start : start + 7]
