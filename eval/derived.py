"""Vectors derived from real ones, for benchmark stores too large to embed on this machine.

Each text gets one real vector from a pool (picked by a hash of the text) plus seeded
noise, normalised: the store, the index and the nearest-neighbour search see realistic
vectors (same distribution of directions as real chunks), but their meaning is not the
text's. Figures measured on such a store are labelled "derived" in the benchmark output;
retrieval quality is only ever measured on really embedded articles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr


class DerivedEmbedding(BaseEmbedding):
    """Document vectors derived from a pool of real ones; questions use the real model."""

    noise: float = 0.35
    _pool: Any = PrivateAttr()
    _real: Any = PrivateAttr()

    def __init__(
        self, pool: Sequence[Sequence[float]], real: BaseEmbedding, noise: float = 0.35
    ) -> None:
        if not pool:
            raise ValueError("DerivedEmbedding needs at least one real vector")
        super().__init__(model_name=real.model_name, embed_batch_size=256)
        self.noise = noise
        self._pool = np.asarray(pool, dtype=np.float32)
        self._real = real

    @classmethod
    def class_name(cls) -> str:
        return "DerivedEmbedding"

    def derive(self, text: str) -> list[float]:
        """The derived vector of one text (deterministic)."""
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
        generator = np.random.default_rng(seed)
        base = self._pool[seed % len(self._pool)]
        vector = base + self.noise * generator.standard_normal(base.shape[0]).astype(
            np.float32
        ) / np.sqrt(base.shape[0])
        return (vector / np.linalg.norm(vector)).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return list(self._real.get_query_embedding(query))

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def get_prompted_query_embedding(self, query: str, prompt: str) -> list[float]:
        """The real model's vector (questions are embedded for real, as when serving)."""
        return list(self._real.get_prompted_query_embedding(query, prompt))

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.derive(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [self.derive(text) for text in texts]

    def count_tokens(self, text: str) -> int:
        """The real model's token count (chunks are sized as in a real ingest)."""
        return int(self._real.count_tokens(text))  # type: ignore[attr-defined]
