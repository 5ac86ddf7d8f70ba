"""The local LLM starts loading with the rest of the components, in its own thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import index.wiring
from index.errors import ModelError
from index.settings import Settings
from web.runtime import _start_llm_load


class RecordingGenerator:
    """Stands in for the llama.cpp generator: records where its load ran."""

    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.loaded_in: list[str] = []
        self.done = threading.Event()

    def load(self) -> None:
        self.loaded_in.append(threading.current_thread().name)
        self.done.set()
        if self.fails:
            raise ModelError("cannot load the LLM weights: the file may be truncated")


def _with_llm(settings: Settings, monkeypatch: pytest.MonkeyPatch, made: Any) -> None:
    monkeypatch.setattr(index.wiring, "llm_available", lambda settings: True)

    def build_generator(settings: Settings) -> Any:
        if isinstance(made, Exception):
            raise made
        return made

    monkeypatch.setattr(index.wiring, "build_generator", build_generator)


def test_the_llm_loads_in_its_own_thread_while_the_rest_is_built(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    generator = RecordingGenerator()
    _with_llm(settings, monkeypatch, generator)
    assert _start_llm_load(settings) is generator
    assert generator.done.wait(10)
    assert generator.loaded_in == ["newsrag-llm-load"]


def test_a_failed_early_load_is_said_and_left_to_the_warm_up(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    generator = RecordingGenerator(fails=True)
    _with_llm(settings, monkeypatch, generator)
    assert _start_llm_load(settings) is generator  # build() wires it; answers load it again
    assert generator.done.wait(10)
    for _ in range(100):
        if "the LLM did not load at start" in capsys.readouterr().err:
            break
        threading.Event().wait(0.05)
    else:
        pytest.fail("the failed load was not reported")


def test_no_early_load_without_a_local_llm_or_when_it_cannot_be_made(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = settings.model_copy(update={"llm_backend": "openai"})
    assert _start_llm_load(server) is None  # a shared LLM server: nothing loads here
    _with_llm(settings, monkeypatch, ModelError("llama-cpp-python is not installed"))
    assert _start_llm_load(settings) is None  # build() then reports it as before
