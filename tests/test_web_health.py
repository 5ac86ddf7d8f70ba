"""The readiness route: 503 while the models load or after a failure, 200 once ready."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from web.page import add_health_route
from web.runtime import Runtime


def _client(runtime: Runtime) -> TestClient:
    app = FastAPI()
    add_health_route(app, runtime)
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
