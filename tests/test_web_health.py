"""The readiness route: 503 while the models load or after a failure, 200 once ready."""

from __future__ import annotations

import socket
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
        "message": "Loading: loading the embedding model (5%)",
    }


def test_a_loaded_worker_is_ready_and_a_failed_one_is_not(fake_components: Any) -> None:
    ready = _client(Runtime.ready(fake_components)).get("/healthz")
    assert ready.status_code == 200
    assert ready.json() == {"state": "ready", "message": "Ready · 2 articles indexed"}

    def broken(progress: Any) -> Any:
        raise RuntimeError("boom")

    failed = Runtime()
    failed.load(broken)
    response = _client(failed).get("/healthz")
    assert response.status_code == 503 and response.json()["state"] == "failed"
    # behind a login the open probe says only the state, not the failure's details
    assert _client(failed, detailed=False).get("/healthz").json() == {"state": "failed"}


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


def test_the_probe_answers_on_the_served_page_without_its_login(served: str) -> None:
    assert httpx.get(f"{served}/healthz", timeout=30).json() == {"state": "ready"}
    assert httpx.get(f"{served}/config", timeout=30).status_code in (401, 403)  # login
