"""The readiness route: 503 while the models load or after a failure, 200 once ready."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from web.page import add_health_route
from web.runtime import Runtime


def _client(runtime: Runtime, detailed: bool = True) -> TestClient:
    app = FastAPI()
    add_health_route(app, runtime, detailed)
    return TestClient(app)


def test_a_loading_worker_is_not_ready_and_says_why() -> None:
    runtime = Runtime()
    runtime.progress(0.05, "loading the embedding model")
    response = _client(runtime).get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "state": "loading",
        "warm": False,
        "message": "Loading: loading the embedding model (5%)",
    }


def test_a_loaded_worker_is_ready_and_a_failed_one_is_not(fake_components: Any) -> None:
    ready = _client(Runtime.ready(fake_components)).get("/healthz")
    assert ready.status_code == 200
    assert ready.json() == {"state": "ready", "warm": True, "message": "Ready · 2 articles indexed"}

    def broken(progress: Any) -> Any:
        raise RuntimeError("boom")

    failed = Runtime()
    failed.load(broken)
    response = _client(failed).get("/healthz")
    assert response.status_code == 503 and response.json()["state"] == "failed"
    # behind a login the open probe says only the state, not the failure's details
    assert _client(failed, detailed=False).get("/healthz").json() == {
        "state": "failed",
        "warm": False,
    }


def test_the_probe_says_when_the_warm_up_behind_ready_has_ended(fake_components: Any) -> None:
    runtime = Runtime()
    runtime.load(lambda progress: fake_components)  # Ready; the warm-up still runs
    client = _client(runtime)
    assert client.get("/healthz").json()["state"] == "ready"
    assert client.get("/healthz").json()["warm"] is False
    assert client.get("/healthz?warm=true").status_code == 503  # a load balancer's probe
    runtime.mark_warm()
    assert client.get("/healthz").json()["warm"] is True
    assert client.get("/healthz?warm=true").status_code == 200


def test_warm_is_never_said_before_ready() -> None:
    runtime = Runtime()
    runtime.mark_warm()  # the warm-up thread may end before Runtime.load says Ready
    response = _client(runtime).get("/healthz?warm=true")
    assert response.status_code == 503 and response.json()["warm"] is False


@pytest.fixture
def served(fake_components: Any, tmp_path: Path) -> Iterator[str]:
    """The real page, served by gradio with a login, and its readiness route."""
    from web.feedback import FeedbackStore
    from web.page import build_page, launch

    runtime = Runtime.ready(fake_components)
    page = build_page(runtime, FeedbackStore(tmp_path / "fb.jsonl"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    app, _url, _share = launch(page, "127.0.0.1", port, block=False, auth=[("anna", "pw")])
    add_health_route(app, runtime, detailed=False)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        page.close()


def test_the_harness_waits_on_the_served_probe_ready_and_warm(served: str) -> None:
    from eval.procs import wait_healthy

    started = time.monotonic()
    assert 0 <= wait_healthy(served, 30, started) <= wait_healthy(served, 30, started, warm=True)


def test_the_probe_answers_on_the_served_page_without_its_login(served: str) -> None:
    assert httpx.get(f"{served}/healthz", timeout=30).json() == {"state": "ready", "warm": True}
    assert httpx.get(f"{served}/config", timeout=30).status_code in (401, 403)  # login


@pytest.mark.parametrize("fault", [None, "newsrag", "unexpected"])
def test_the_warm_up_ends_with_lingua_loaded_and_says_so_even_after_a_fault(
    fault: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.text.language
    import index.wiring
    from index.errors import NewsragError
    from web.runtime import _warm_up

    calls: list[str] = []

    def warm_up(components: Any, progress: Any) -> None:
        calls.append("models")
        if fault == "newsrag":
            raise NewsragError("the LLM server is down")
        if fault == "unexpected":
            raise RuntimeError("boom")

    monkeypatch.setattr(index.wiring, "warm_up", warm_up)
    monkeypatch.setattr(index.text.language, "load_detectors", lambda: calls.append("lingua"))
    runtime = Runtime()
    if fault == "unexpected":
        with pytest.raises(RuntimeError):
            _warm_up(object(), runtime.mark_warm)
    else:
        _warm_up(object(), runtime.mark_warm)
    assert calls == ["models", "lingua"] and runtime.warm
