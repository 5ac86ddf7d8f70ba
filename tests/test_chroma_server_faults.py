"""A Chroma server stopped mid-session, or down when the page starts: one clear message per
request, and the page recovers by itself when the server is back. Slow: real servers."""

from __future__ import annotations

import subprocess
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from index.settings import load_settings
from tests.fakes import HashEmbedding
from tests.test_chroma_server import CHROMA, _free_port
from web import import_gradio
from web.handlers import Handlers
from web.runtime import Runtime

pytestmark = pytest.mark.slow
gr = import_gradio()
QUESTION = "Wer eröffnete das Stadtfest?"


def _start(path: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return process
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.3)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait(timeout=10)


def _loader(settings: Any) -> Any:
    def load(progress: Any) -> Any:
        from index.wiring import build, ensure_index

        components = build(settings, embedder=HashEmbedding(), with_llm=False)
        ensure_index(components, progress)
        return components

    return load


@pytest.fixture
def server_settings(tmp_path: Path, fixture_corpus: Path) -> Any:
    if not CHROMA.exists():
        pytest.skip(f"{CHROMA} not installed")
    return load_settings(
        corpus_dir=fixture_corpus,
        chroma_host="127.0.0.1",
        chroma_port=_free_port(),
        collection=f"s{uuid.uuid4().hex[:10]}",
        abstain_threshold=0.2,
    )


def test_server_stopped_mid_session_one_message_per_request_then_recovery(
    server_settings: Any, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    server = _start(tmp_path / "server", server_settings.chroma_port)
    runtime = Runtime()
    runtime.load(_loader(server_settings))
    handlers = Handlers(runtime)
    assert handlers.ask(QUESTION)["citations"]
    _stop(server)
    capfd.readouterr()
    for _request in range(2):
        with pytest.raises(gr.Error, match="Chroma") as caught:
            handlers.ask(QUESTION)
        assert "Is the Chroma server at 127.0.0.1" in str(caught.value)
    log = capfd.readouterr().err.strip().splitlines()
    assert len(log) == 2 and "Traceback" not in "".join(log)  # one line per request
    server = _start(tmp_path / "server", server_settings.chroma_port)
    try:
        assert handlers.ask(QUESTION)["citations"]  # the running page recovered by itself
    finally:
        _stop(server)


def test_page_started_while_the_server_is_down_becomes_ready_when_it_comes_up(
    server_settings: Any, tmp_path: Path
) -> None:
    runtime = Runtime(retry_seconds=0.5)
    loading = runtime.start(_loader(server_settings))
    deadline = time.monotonic() + 60
    while "trying again" not in runtime.status().message:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert runtime.status().state == "failed"
    server = _start(tmp_path / "server", server_settings.chroma_port)
    try:
        loading.join(120)
        assert runtime.status().state == "ready"
        assert Handlers(runtime).ask(QUESTION)["citations"]
    finally:
        runtime.stop()
        _stop(server)
