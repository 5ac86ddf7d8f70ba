"""The Generator seam over any llama-index LLM: stream the deltas of a chat completion."""

from __future__ import annotations

from collections.abc import Iterator

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from index.errors import ModelError


class LLMGenerator:
    """Our `Generator` over any llama-index LLM: streams the deltas of a chat completion."""

    def __init__(self, llm: LLM, errors: tuple[type[Exception], ...] = (), where: str = "") -> None:
        self.llm = llm
        self.errors = errors
        self.where = where

    @property
    def model_name(self) -> str:
        """The model's name (part of cache keys of what it made)."""
        try:
            return str(self.llm.metadata.model_name)
        except Exception:  # a backend without metadata
            return type(self.llm).__name__

    def load(self) -> None:
        """Load the model now when the backend loads lazily (no-op otherwise)."""
        loader = getattr(self.llm, "load", None)
        if callable(loader):
            loader()

    def save_prompt_states(self) -> int:
        """Keep the primed prompts for the next process when the backend can (else 0)."""
        saver = getattr(self.llm, "save_prompt_states", None)
        return int(saver()) if callable(saver) else 0

    def stream(self, system: str, user: str, max_tokens: int) -> Iterator[str]:
        """Yield the answer text piece by piece."""
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content=user),
        ]
        try:
            for response in self.llm.stream_chat(messages, max_tokens=max_tokens):
                if response.delta:
                    yield response.delta
        except self.errors as error:
            raise ModelError(
                f"the LLM server {self.where} failed: {error}. Check "
                "NEWSRAG_OPENAI_BASE_URL and that the server runs"
            ) from error
