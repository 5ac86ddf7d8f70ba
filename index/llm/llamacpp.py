"""The llama.cpp backend: a GGUF run in-process by llama-cpp-python, as a llama-index LLM.

Loaded lazily on first use, one instance per process, one generation at a time (a
lock). A small cache of model states keeps the constant prompt prefix (system prompt
and examples) of each language and task warm, so alternating German and English
questions do not start cold.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from pydantic import PrivateAttr

from index.errors import ModelError

LLAMA_CPP_HINT = (
    "llama-cpp-python is not installed. Build it with the safe CPU flags: bash scripts/setup.sh "
    "(see README, 'Set-up'), or use an OpenAI-compatible server: NEWSRAG_LLM_BACKEND=openai"
)


class PrefixStateCache:
    """llama.cpp model states, at most one per prompt family, for llama_cpp.Llama.set_cache.

    A family is the first `family_tokens` tokens of a prompt: the system prompt, which is
    constant per language and task. Llama reuses its evaluated context only for the
    prompt that shares the longest prefix with the previous one, so a German question
    after an English one would start cold (12 s instead of 2.5 s here). This keeps the
    state after the last request of each family and hands back the one that shares most
    with a new prompt. (llama-cpp-python's LlamaRAMCache keeps a state per request and
    does not count the logits copied into each state, 150 MB each here; this keeps the
    last row only, so a state is mostly the KV cache, about 30 KB per token.)
    """

    def __init__(self, family_tokens: int = 32, max_families: int = 4) -> None:
        if family_tokens <= 0 or max_families <= 0:
            raise ValueError(
                f"family_tokens and max_families must be greater than 0; got "
                f"{family_tokens} and {max_families}"
            )
        self.family_tokens = family_tokens
        self.max_families = max_families
        self.states: OrderedDict[tuple[int, ...], tuple[tuple[int, ...], Any]] = OrderedDict()

    def __getitem__(self, key: Sequence[int]) -> Any:
        wanted = tuple(key)
        best, best_length = None, 0
        for tokens, state in self.states.values():
            length = _common_prefix(tokens, wanted)
            if length > best_length:
                best, best_length = state, length
        if best is None:
            raise KeyError("no cached state shares a prefix with this prompt")
        return best

    def __contains__(self, key: Sequence[int]) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __setitem__(self, key: Sequence[int], state: Any) -> None:
        tokens = tuple(key)
        family = tokens[: self.family_tokens]
        scores = getattr(state, "scores", None)
        if scores is not None and getattr(scores, "ndim", 0) == 2 and len(scores) > 1:
            # Only the last row of logits can matter: a restored state is evaluated again
            # before sampling (Llama sets _requires_eval), and one row broadcasts back.
            state.scores = scores[-1:].copy()
        self.states.pop(family, None)
        self.states[family] = (tokens, state)
        while len(self.states) > self.max_families:
            self.states.popitem(last=False)


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def _load_llama(path: Path, context: int, threads: int, cache_families: int) -> Any:
    """A llama_cpp.Llama for the GGUF at `path`, with a cache of prompt states."""
    if not path.is_file():
        raise ModelError(
            f"the LLM weights are missing: {path} does not exist. Run: python app.py provision llm"
        )
    try:
        import llama_cpp
    except ImportError as error:
        raise ModelError(LLAMA_CPP_HINT) from error
    try:
        llama = llama_cpp.Llama(
            model_path=str(path),
            n_ctx=context,
            n_threads=threads,
            n_threads_batch=threads,
            n_batch=256,
            seed=0,
            verbose=False,
        )
    except (ValueError, RuntimeError, OSError) as error:  # a truncated or damaged file
        raise ModelError(
            f"cannot load the LLM weights {path} ({error}); the file may be "
            "truncated or damaged. Delete it and run: python app.py provision "
            "llm"
        ) from None
    if cache_families > 0:
        # duck-typed: Llama only indexes the cache and tests it for truth
        llama.set_cache(PrefixStateCache(max_families=cache_families))  # type: ignore[arg-type]
    return llama


class LlamaCppLLM(CustomLLM):
    """A llama-index LLM around llama_cpp.Llama: chat completions, streamed, temperature 0."""

    model_path: str
    n_ctx: int = 2048
    n_threads: int = 2
    max_tokens: int = 160
    cache_families: int = 8  # answer and rewrite x 2 languages, render x 2, back x 2

    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @classmethod
    def class_name(cls) -> str:
        return "newsrag_llamacpp"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.n_ctx,
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=Path(self.model_path).name,
        )

    def load(self) -> None:
        """Load the weights now (they load on first use otherwise)."""
        with self._lock:
            self._ensure_loaded()

    def _ensure_loaded(self) -> Any:
        if self._llama is None:
            self._llama = _load_llama(
                Path(self.model_path), self.n_ctx, self.n_threads, self.cache_families
            )
        return self._llama

    def _options(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {"temperature": 0.0, "max_tokens": int(kwargs.get("max_tokens", self.max_tokens))}

    @staticmethod
    def _messages(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
        return [
            {"role": message.role.value, "content": message.content or ""} for message in messages
        ]

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        with self._lock:
            result = self._ensure_loaded().create_chat_completion(
                messages=self._messages(messages), stream=False, **self._options(kwargs)
            )
        text = result["choices"][0]["message"].get("content") or ""
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        payload = self._messages(messages)
        options = self._options(kwargs)

        def generate() -> ChatResponseGen:
            text = ""
            with self._lock:
                chunks = self._ensure_loaded().create_chat_completion(
                    messages=payload, stream=True, **options
                )
                for chunk in chunks:
                    delta = chunk["choices"][0]["delta"].get("content") or ""
                    if delta:
                        text += delta
                        yield ChatResponse(
                            message=ChatMessage(role=MessageRole.ASSISTANT, content=text),
                            delta=delta,
                        )

        return generate()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        with self._lock:
            result = self._ensure_loaded().create_completion(prompt=prompt, **self._options(kwargs))
        return CompletionResponse(text=result["choices"][0]["text"])

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        options = self._options(kwargs)

        def generate() -> CompletionResponseGen:
            text = ""
            with self._lock:
                for chunk in self._ensure_loaded().create_completion(
                    prompt=prompt, stream=True, **options
                ):
                    delta = chunk["choices"][0]["text"]
                    text += delta
                    yield CompletionResponse(text=text, delta=delta)

        return generate()


_SHARED: dict[tuple[str, int, int, int], LlamaCppLLM] = {}
_SHARED_LOCK = threading.Lock()


def shared_llamacpp(
    path: Path, context: int, threads: int, max_tokens: int, cache_families: int
) -> LlamaCppLLM:
    """The process-wide LlamaCppLLM for these parameters (the weights load once)."""
    key = (str(path), context, threads, cache_families)
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = LlamaCppLLM(
                model_path=str(path),
                n_ctx=context,
                n_threads=threads,
                max_tokens=max_tokens,
                cache_families=cache_families,
            )
        return _SHARED[key]
