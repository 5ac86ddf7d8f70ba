"""The command line: contract of `ask --json`, and one-line errors with exit code 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import app

ROOT = Path(__file__).resolve().parent.parent


def test_bad_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSRAG_TOP_K", "0")
    assert app.main(["ask", "Wer ist Lisa Gürth?"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: invalid settings: NEWSRAG_TOP_K") and "Traceback" not in err


def test_missing_model_folder_says_how_to_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSRAG_EMBED_MODEL", str(tmp_path / "no-such-model"))
    monkeypatch.setenv("NEWSRAG_CHROMA_PATH", str(tmp_path / "chroma"))
    assert app.main(["ask", "Wer ist Lisa Gürth?"]) == 1
    assert "no-such-model does not exist (NEWSRAG_EMBED_MODEL)" in capsys.readouterr().err


def test_unprovisioned_default_model_points_to_provision(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSRAG_CACHE_DIR", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("NEWSRAG_CHROMA_PATH", str(tmp_path / "chroma"))
    assert app.main(["ask", "Wer ist Lisa Gürth?"]) == 1
    assert "python app.py provision" in capsys.readouterr().err


def test_dead_chroma_server_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSRAG_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSRAG_CHROMA_PORT", "9")
    assert app.main(["ask", "Wer ist Lisa Gürth?"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no Chroma server answers at 127.0.0.1:9") and "\n" not in err


def test_top_k_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.main(["ask", "x", "--top-k", "0"]) == 1
    assert "--top-k must be greater than 0" in capsys.readouterr().err


@pytest.mark.slow
def test_ask_json_contract_with_the_real_model(tmp_path: Path) -> None:
    env = dict(os.environ, NEWSRAG_CHROMA_PATH=str(tmp_path / "chroma"), HF_HUB_OFFLINE="1")
    result = subprocess.run(
        [sys.executable, "app.py", "ask", "Tritt Belarus in den Krieg ein?", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(result.stdout)
    assert list(payload)[:7] == [
        "question",
        "answer",
        "language",
        "abstained",
        "citations",
        "passages",
        "timings_ms",
    ]
    assert payload["language"] == "de" and payload["abstained"] is False
    source = (ROOT / "corpus" / "putin-minsk-analyse.txt").read_text(encoding="utf-8")
    source = source.split("\n---\n", 1)[1]
    for item in payload["citations"] + payload["passages"]:
        assert source[item["start"] : item["end"]] == item["text"]
    assert any("bestritt auch nun wieder" in c["text"] for c in payload["citations"])
    assert all(isinstance(v, float | int) for v in payload["timings_ms"].values())


def test_provision_with_no_names_means_both_and_unknown_names_are_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    provisioned: list[str] = []
    monkeypatch.setattr(
        "index.models.provision.provision", lambda spec, cache_dir: provisioned.append(spec.name)
    )
    assert app.main(["provision"]) == 0
    assert provisioned == ["embeddinggemma-300m", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"]
    assert app.main(["provision", "reranker"]) == 1
    assert "unknown model 'reranker'" in capsys.readouterr().err


def test_prune_against_a_dead_chroma_server_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSRAG_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSRAG_CHROMA_PORT", "9")
    assert app.main(["prune"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no Chroma server answers at 127.0.0.1:9") and "\n" not in err
