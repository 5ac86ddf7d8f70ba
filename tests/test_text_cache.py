"""The verifier's embedding cache: same vectors as the embedder, each text embedded once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from index.models.text_cache import CachedTextEmbedder
from tests.fakes import hash_embed


class CountingEmbedder:
    """A deterministic embedder that records every batch it is asked for."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def get_query_embedding(self, query: str) -> list[float]:
        return hash_embed("query " + query)

    def get_text_embedding_batch(
        self, texts: list[str], show_progress: bool = False, **kwargs: Any
    ) -> list[list[float]]:
        self.batches.append(list(texts))
        return [hash_embed(text) for text in texts]


def test_cached_vectors_equal_the_embedders_and_each_text_is_embedded_once() -> None:
    inner = CountingEmbedder()
    cached = CachedTextEmbedder(inner)
    first = cached.get_text_embedding_batch(["answer one", "evidence a", "evidence b"])
    second = cached.get_text_embedding_batch(["answer two", "evidence b", "evidence a"])
    assert inner.batches == [["answer one", "evidence a", "evidence b"], ["answer two"]]
    direct = {text: hash_embed(text) for text in ("answer one", "evidence a", "evidence b")}
    for text, vector in zip(["answer one", "evidence a", "evidence b"], first, strict=True):
        np.testing.assert_allclose(vector, direct[text], rtol=1e-6, atol=1e-7)
    assert second[1] == first[2] and second[2] == first[1]  # same text, same vector


def test_the_least_recently_used_text_goes_first() -> None:
    inner = CountingEmbedder()
    cached = CachedTextEmbedder(inner, size=2)
    cached.get_text_embedding_batch(["a", "b"])
    cached.get_text_embedding_batch(["a"])  # a is used again: b is now the oldest
    cached.get_text_embedding_batch(["c"])  # over the size: b goes
    cached.get_text_embedding_batch(["a", "b"])
    assert inner.batches == [["a", "b"], ["c"], ["b"]]


def test_a_text_twice_in_one_batch_is_embedded_once() -> None:
    inner = CountingEmbedder()
    vectors = CachedTextEmbedder(inner).get_text_embedding_batch(["x", "x", "y"])
    assert inner.batches == [["x", "y"]] and vectors[0] == vectors[1]


def test_queries_are_passed_through_and_a_bad_size_is_refused() -> None:
    inner = CountingEmbedder()
    assert CachedTextEmbedder(inner).get_query_embedding("q") == hash_embed("query q")
    with pytest.raises(ValueError, match="size"):
        CachedTextEmbedder(inner, size=0)
