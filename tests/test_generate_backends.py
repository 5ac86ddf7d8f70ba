"""The LLM backends without a real model: clear errors, and the OpenAI-compatible client."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from index.errors import ModelError
from index.settings import Settings
from index.wiring import build_generator


def test_missing_weights_name_the_fix(settings: Settings, tmp_path: Path) -> None:
    missing = settings.model_copy(update={"llm_model_path": str(tmp_path / "missing.gguf")})
    generator = build_generator(missing)  # nothing is loaded yet
    with pytest.raises(ModelError, match=re.escape("python app.py provision llm")):
        list(generator.stream("system", "user", 8))


def test_missing_llama_cpp_names_the_fix(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF")
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # import fails
    generator = build_generator(settings.model_copy(update={"llm_model_path": str(weights)}))
    with pytest.raises(ModelError, match=re.escape("scripts/setup.sh")):
        generator.load()


def _sse(*pieces: str) -> bytes:
    events = [
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
        }
        for piece in pieces
    ]
    body = "".join(f"data: {json.dumps(event)}\n\n" for event in events)
    return (body + "data: [DONE]\n\n").encode()


def test_openai_compatible_server_streams_with_key_from_the_environment(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            content=_sse("Nein, ", "Minsk bestritt es [1]."),
            headers={"content-type": "text/event-stream"},
        )

    monkeypatch.setenv("MY_LLM_KEY", "secret-123")
    configured = settings.model_copy(
        update={
            "llm_backend": "openai",
            "openai_base_url": "http://llm.test/v1",
            "openai_model": "qwen-test",
            "openai_api_key_env": "MY_LLM_KEY",
        }
    )
    generator = build_generator(configured, httpx.Client(transport=httpx.MockTransport(handler)))
    pieces = list(generator.stream("SYSTEM", "USER", 42))
    assert pieces == ["Nein, ", "Minsk bestritt es [1]."]
    request = seen[0]
    assert str(request.url) == "http://llm.test/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer secret-123"
    payload: dict[str, Any] = json.loads(request.content)
    assert payload["model"] == "qwen-test" and payload["stream"] is True
    assert payload["max_tokens"] == 42 and payload["temperature"] == 0.0
    assert [m["role"] for m in payload["messages"]] == ["system", "user"]


def test_openai_server_error_becomes_a_model_error(settings: Settings) -> None:
    configured = settings.model_copy(
        update={"llm_backend": "openai", "openai_base_url": "http://llm.test/v1"}
    )
    client = httpx.Client(
        transport=httpx.MockTransport(
            lambda request: httpx.Response(400, json={"error": {"message": "no such model"}})
        )
    )
    with pytest.raises(ModelError, match=re.escape("http://llm.test/v1")):
        list(build_generator(configured, client).stream("s", "u", 8))
