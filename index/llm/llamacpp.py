"""The llama.cpp backend: a GGUF run in-process by llama-cpp-python, as a llama-index LLM.

Loaded lazily on first use, one instance per process, one generation at a time (a
lock). A small cache of model states keeps the constant prompt prefix (system prompt
and examples) of each language and task warm, so alternating German and English
questions do not start cold.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
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

log = logging.getLogger(__name__)

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

    def save(self, folder: Path, key: str) -> int:
        """Write every kept state to `folder` as `<key>-<n>.npz` (no pickle: arrays and
        bytes only), then remove what was saved before (under any key: other weights'
        states are never read again); the number written."""
        folder.mkdir(parents=True, exist_ok=True)
        written = set()
        for number, (tokens, state) in enumerate(self.states.values()):
            temporary = folder / f".{key}-{number}.{os.getpid()}.tmp.npz"
            try:
                np.savez(
                    temporary,
                    tokens=np.asarray(tokens, dtype=np.int64),
                    input_ids=np.asarray(state.input_ids),
                    scores=np.asarray(state.scores),
                    n_tokens=np.int64(state.n_tokens),
                    llama_state=np.frombuffer(state.llama_state, dtype=np.uint8),
                    llama_state_size=np.int64(state.llama_state_size),
                    seed=np.int64(state.seed),
                )
                os.replace(temporary, folder / f"{key}-{number}.npz")
            finally:
                temporary.unlink(missing_ok=True)
            written.add(f"{key}-{number}.npz")
        for old in folder.glob("*.npz"):
            if old.name not in written:
                old.unlink(missing_ok=True)
        return len(written)

    def load(self, folder: Path, key: str, make_state: Callable[..., Any]) -> int:
        """Read the states saved under `key` (made with `make_state`, llama_cpp's
        LlamaState); a damaged file is skipped (and removed when it can be). The number
        read."""
        read = 0
        for path in sorted(folder.glob(f"{key}-*.npz")):
            try:
                with np.load(path, allow_pickle=False) as saved:
                    state = make_state(
                        input_ids=saved["input_ids"],
                        scores=saved["scores"],
                        n_tokens=int(saved["n_tokens"]),
                        llama_state=saved["llama_state"].tobytes(),
                        llama_state_size=int(saved["llama_state_size"]),
                        seed=int(saved["seed"]),
                    )
                    tokens = [int(token) for token in saved["tokens"]]
            except Exception as error:  # zip, npz or field damage: the state is optional
                log.warning("skipping a damaged prompt state %s: %s", path, error)
                with contextlib.suppress(OSError):  # a read-only folder: skipped each start
                    path.unlink(missing_ok=True)
                continue
            self[tokens] = state
            read += 1
        return read


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


N_BATCH = 256


def states_key(path: Path, context: int) -> str:
    """What saved prompt states are valid for: these weights (path, size, time), this
    llama.cpp version and build (its instruction sets: an AVX-512 build computes slightly
    different states than an AVX2 one) and context size."""
    import llama_cpp

    stat = path.stat()
    info = getattr(llama_cpp, "llama_print_system_info", None)
    build = info().decode(errors="replace") if callable(info) else ""
    raw = (
        f"{path.resolve()}|{stat.st_size}|{int(stat.st_mtime)}|"
        f"{getattr(llama_cpp, '__version__', '')}|{build}|{context}|{N_BATCH}"
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def load_llama(
    path: Path, context: int, threads: int, cache_families: int, states_dir: Path | None = None
) -> Any:
    """A llama_cpp.Llama for the GGUF at `path`, with a cache of prompt states (read from
    `states_dir` when states of these weights were saved there)."""
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
            n_batch=N_BATCH,
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
        cache = PrefixStateCache(max_families=cache_families)
        if states_dir is not None and states_dir.is_dir():
            _read_states(llama, cache, states_dir, states_key(path, context))
        # duck-typed: Llama only indexes the cache and tests it for truth
        llama.set_cache(cache)  # type: ignore[arg-type]
    return llama


def _read_states(llama: Any, cache: PrefixStateCache, folder: Path, key: str) -> None:
    """Fill `cache` with the states saved under `key`, keeping only those this llama.cpp
    context accepts (a state it rejects would fail every answer of its prompt family)."""
    from llama_cpp.llama import LlamaState

    try:
        cache.load(folder, key, LlamaState)
    except OSError as error:
        log.warning("cannot read the LLM's saved prompt states: %s", error)
        return
    for family, (_tokens, state) in list(cache.states.items()):
        try:
            llama.load_state(state)
        except Exception as error:
            log.warning("dropping a saved prompt state llama.cpp rejects: %s", error)
            del cache.states[family]
    llama.reset()


class LlamaCppLLM(CustomLLM):
    """A llama-index LLM around llama_cpp.Llama: chat completions, streamed, temperature 0."""

    model_path: str
    n_ctx: int = 2048
    n_threads: int = 2
    max_tokens: int = 160
    cache_families: int = 8  # answer and rewrite x 2 languages, render x 2, back x 2
    # where the primed prompt states are saved for the next process ("" = nowhere)
    states_dir: str = ""

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
            self._llama = load_llama(
                Path(self.model_path),
                self.n_ctx,
                self.n_threads,
                self.cache_families,
                Path(self.states_dir) if self.states_dir else None,
            )
        return self._llama

    def save_prompt_states(self) -> int:
        """Save the kept prompt states (the primed system prompts) to `states_dir`, so
        the next process starts with them read; the number saved (0: nothing to save)."""
        with self._lock:
            cache = getattr(self._llama, "cache", None)
            if not self.states_dir or not isinstance(cache, PrefixStateCache):
                return 0
            try:
                key = states_key(Path(self.model_path), self.n_ctx)
                return cache.save(Path(self.states_dir), key)
            except OSError as error:  # a read-only cache folder costs speed, not answers
                log.warning("cannot save the LLM's prompt states: %s", error)
                return 0

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
    path: Path,
    context: int,
    threads: int,
    max_tokens: int,
    cache_families: int,
    states_dir: Path | None = None,
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
                states_dir=str(states_dir) if states_dir else "",
            )
        return _SHARED[key]
