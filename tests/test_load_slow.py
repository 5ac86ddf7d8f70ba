"""Several workers share one Chroma server and one lexical index; readers get answers.

CI's small version of `python -m eval.load`: 2 workers (real models), 3 readers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import load
from eval.procs import plain_http


def test_readers_skip_tls_set_up_only_on_plain_http() -> None:
    assert plain_http("http://127.0.0.1:7860/")
    assert plain_http("HTTP://worker:7860")
    assert not plain_http("https://news.example.org/")


@pytest.mark.slow
def test_two_workers_answer_concurrent_readers_without_errors(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    code = load.main(
        [
            "--workers",
            "2",
            "--readers",
            "3",
            "--per-reader",
            "2",
            "--work",
            str(tmp_path / "work"),
            "--json",
            str(out),
        ]
    )
    result = json.loads(out.read_text())
    assert code == 0 and result["errors"] == 0
    assert result["answers"] == 6 and len(result["ready_s"]) == 2
    assert len(result["warm_s"]) == 2  # each worker's /healthz said its warm-up had ended
    assert all(memory["rss_mb"] > 0 for memory in result["memory_per_worker_mb"])
