"""An embedding server behind the Embedder seam: any OpenAI-compatible `/v1/embeddings`.

For users who outgrow one machine: Text Embeddings Inference, Infinity, vLLM or
llama.cpp's server run the same model on a GPU. The server knows nothing of prompt
names, so the query and document prompts are sent as text prefixes (EmbeddingGemma's
own prompts by default). Vectors are normalised here, whatever the server does. Chunk
sizes are then counted in words (no local tokenizer), so chunks can differ slightly
from a local model's.
"""

from __future__ import annotations

import math
import os
from typing import Any

import httpx
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.errors import ModelError


def _normalised(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector] if norm > 0 else vector


class OpenAIServerEmbedding(BaseEmbedding):
    """Embeddings from an OpenAI-compatible server; `client` is injectable for tests."""

    base_url: str = ""
    query_prefix: str = ""
    document_prefix: str = ""
    _client: Any = PrivateAttr()
    _headers: dict[str, str] = PrivateAttr(default_factory=dict)

    def __init__(
        self,
        base_url: str,
        model_name: str,
        query_prefix: str = "",
        document_prefix: str = "",
        api_key: str = "",
        timeout: float = 60.0,
        embed_batch_size: int = 32,
        client: httpx.Client | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ModelError(f"embedding server URL must start with http(s)://; got {base_url!r}")
        super().__init__(model_name=model_name, embed_batch_size=embed_batch_size)
        self.base_url = base_url.rstrip("/")
        self.query_prefix = query_prefix
        self.document_prefix = document_prefix
        self._client = client or httpx.Client(timeout=timeout)
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}

    @classmethod
    def class_name(cls) -> str:
        return "OpenAIServerEmbedding"

    def _embed(self, texts: list[str]) -> list[list[float]]:
        url = f"{self.base_url}/embeddings"
        try:
            response = self._client.post(
                url, headers=self._headers, json={"model": self.model_name, "input": texts}
            )
            response.raise_for_status()
            data = response.json()["data"]
            ordered = sorted(data, key=lambda item: int(item.get("index", 0)))
            vectors = [_normalised([float(x) for x in item["embedding"]]) for item in ordered]
        except (httpx.HTTPError, KeyError, TypeError, ValueError) as error:
            raise ModelError(
                f"the embedding server at {url} failed "
                f"({type(error).__name__}: {str(error)[:200]}); is it running, "
                "and does it serve NEWSRAG_EMBED_SERVER_MODEL?"
            ) from None
        if len(vectors) != len(texts):
            raise ModelError(
                f"the embedding server at {url} returned {len(vectors)} vectors "
                f"for {len(texts)} texts"
            )
        return vectors

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embed([self.query_prefix + query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embed([self.document_prefix + text])[0]

    def get_prompted_query_embedding(self, query: str, prompt: str) -> list[float]:
        """The question's vector with `prompt` before it in place of the query prefix
        (a PromptedEmbedder)."""
        return self._embed([prompt + query])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embed([self.document_prefix + text for text in texts])


def server_embedder(
    base_url: str,
    model: str,
    query_prefix: str,
    document_prefix: str,
    api_key_env: str,
    timeout: float,
    batch_size: int,
    client: httpx.Client | None = None,
) -> OpenAIServerEmbedding:
    """The embedding server from settings; the key is read from the named variable."""
    return OpenAIServerEmbedding(
        base_url,
        model,
        query_prefix,
        document_prefix,
        api_key=os.environ.get(api_key_env, ""),
        timeout=timeout,
        embed_batch_size=batch_size,
        client=client,
    )
