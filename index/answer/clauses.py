"""A long sentence matched against the question clause by clause.

A sentence's vector averages everything it says, so one clause that answers the question
is diluted by the others: "Where are Belarusian cosmonauts supposed to be sent?" is 0.33
from the whole of '"Öffentlich wurde die russische Invasion in der Ukraine gar nicht
direkt angesprochen und es ging explizit auch um andere Themen, darunter zum Beispiel
auch Pläne belarussische Kosmonauten ins All zu schicken", sagt Gürth.' and 0.55 from
its last clause. A long sentence is cut into clauses (index.text.clauses), and its
closeness is that of its closest clause when that is closer.

The clauses' vectors are made at ingest and kept in the store (`<name>-clause-vectors`,
by text and embedding model); a process keeps the ones it read (CachedTextEmbedder), so a
question costs at most one store read and no embedding.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from index.errors import StoreError
from index.text.clauses import clauses
from index.text.vectors import cosine_rows
from index.types import Embedder

log = logging.getLogger(__name__)


class ClauseVectorStore(Protocol):
    """Where clause vectors are kept across processes (index.store.ChromaStore)."""

    def clause_vectors(self, texts: Sequence[str]) -> dict[str, list[float]]: ...

    def save_clause_vectors(self, items: Mapping[str, Sequence[float]]) -> None: ...


class StoredClauseEmbedder:
    """An Embedder for clauses that reads the store first and keeps what it makes there
    (the ingest fills it in; a store made before clauses were kept fills in as asked)."""

    def __init__(self, embedder: Embedder, store: ClauseVectorStore) -> None:
        self.embedder = embedder
        self.store = store

    def get_query_embedding(self, query: str) -> list[float]:
        return self.embedder.get_query_embedding(query)

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]:
        kept = self.store.clause_vectors(texts)
        missing = list(dict.fromkeys(text for text in texts if text not in kept))
        if missing:
            made = self.embedder.get_text_embedding_batch(missing, show_progress, **kwargs)
            fresh = dict(zip(missing, made, strict=True))
            try:
                self.store.save_clause_vectors(fresh)
            except StoreError as error:  # kept for the next question another time
                log.warning("clause vectors not kept: %s", error)
            kept.update(fresh)
        return [kept[text] for text in texts]


class ClauseCosines:
    """The question's cosine with each long sentence's closest clause."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder  # a caching one (CachedTextEmbedder): clauses recur

    def cosines(self, query_vector: Sequence[float], texts: Sequence[str]) -> list[float] | None:
        """Per text, the highest cosine of one of its clauses (NaN for a text matched
        whole); None when no text is long enough to split."""
        split = [clauses(text) for text in texts]
        flat = list(dict.fromkeys(piece for pieces in split for piece in pieces))
        if not flat:
            return None
        vectors = self.embedder.get_text_embedding_batch(flat)
        found = cosine_rows(query_vector, np.asarray(vectors, dtype=np.float64))
        by_piece = dict(zip(flat, (float(x) for x in found), strict=True))
        return [max((by_piece[p] for p in pieces), default=math.nan) for pieces in split]
