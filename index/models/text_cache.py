"""An Embedder that keeps the text embeddings it made, per text, least recently used out.

The verifier embeds each generative answer with the sentences it was given, and those
sentences recur: one article has a few dozen sentences, and many readers ask about the
same articles. Embedding three evidence sentences costs about 200 ms of the verifier's
300-400 ms on 2 cores; kept, only the answer's own sentences are embedded.

Why by hand: the standard library's `functools.lru_cache` caches whole calls, not the
texts of a batch, and a dozen lines of `OrderedDict` need no new dependency.
Vectors are kept as float32 arrays (3 KB for 768 dimensions), not lists of floats.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from index.types import Embedder


class CachedTextEmbedder:
    """Wraps an Embedder: text embeddings are cached by text (an Embedder itself).

    Query embeddings are not cached (a question is rarely asked twice word for word,
    and a model may embed queries differently from texts).
    """

    def __init__(self, embedder: Embedder, size: int = 2048) -> None:
        if size <= 0:
            raise ValueError(f"size must be greater than 0; got {size}")
        self.embedder = embedder
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get_query_embedding(self, query: str) -> list[float]:
        return self.embedder.get_query_embedding(query)

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]:
        """The texts' embeddings: kept ones from the cache, the others made in one batch."""
        with self._lock:
            kept = {text: self._vectors[text] for text in texts if text in self._vectors}
        missing = list(dict.fromkeys(text for text in texts if text not in kept))
        made: dict[str, np.ndarray] = {}
        if missing:
            vectors = self.embedder.get_text_embedding_batch(missing, show_progress, **kwargs)
            made = {
                text: np.asarray(vector, dtype=np.float32)
                for text, vector in zip(missing, vectors, strict=True)
            }
        # made and kept alike are float32: a text's vector is the same whether cached or not
        found = [kept[text] if text in kept else made[text] for text in texts]
        with self._lock:
            for text, vector in zip(texts, found, strict=True):  # used now: the last to go
                self._vectors[text] = vector
                self._vectors.move_to_end(text)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
        return [vector.tolist() for vector in found]
