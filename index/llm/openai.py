"""The OpenAI-compatible backend: any server speaking /v1/chat/completions (llama.cpp's
server, Ollama, vLLM, TGI, a hosted API), through llama-index's OpenAILike.
"""

from __future__ import annotations

import os
from typing import Any

from llama_index.core.llms import LLM

from index.errors import ModelError


def openai_llm(
    base_url: str, model: str, api_key_env: str, context: int, http_client: Any = None
) -> LLM:
    """A llama-index OpenAILike client for the server at `base_url` (`http_client`: tests)."""
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as error:
        raise ModelError(
            "the OpenAI-compatible backend needs llama-index-llms-openai-like: "
            "pip install llama-index-llms-openai-like"
        ) from error
    key = os.environ.get(api_key_env, "") or "not-needed"
    passed_on: dict[str, Any] = {"http_client": http_client}  # to the OpenAI client
    # max_tokens is sent per request (a value set here would override it)
    return OpenAILike(
        model=model,
        api_base=base_url,
        api_key=key,
        is_chat_model=True,
        temperature=0.0,
        context_window=context,
        timeout=120.0,
        max_retries=1,
        **passed_on,
    )


def openai_errors() -> tuple[type[Exception], ...]:
    """The exception types the OpenAI client raises for a failing server."""
    try:
        import openai
    except ImportError:
        return ()
    return (openai.APIError,)
