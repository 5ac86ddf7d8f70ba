"""Faults: a full disk, two writers, an unwritable folder, a store that is down at start, a
damaged index folder or model file. Each gives a clear message naming the fix."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

from index.errors import ModelError, StoreError
from web import import_gradio
from web.feedback import FeedbackError, FeedbackStore
from web.handlers import Handlers
from web.runtime import Runtime

gr = import_gradio()


def _write_many(path: str, writer: int, count: int) -> None:
    store = FeedbackStore(Path(path))
    for number in range(count):  # lines far beyond a pipe buffer, to invite interleaving
        store.append({"writer": writer, "n": number, "pad": "ä" * 5000})


def test_two_processes_writing_feedback_lose_and_tear_no_line(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_many, args=(str(path), w, 200)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert sorted((r["writer"], r["n"]) for r in records) == [
        (w, n) for w in (1, 2) for n in range(200)
    ]


def test_full_disk_is_a_clear_message_and_leaves_no_torn_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "feedback.jsonl"
    store = FeedbackStore(path)
    store.append({"n": 1})
    before = path.read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        real_write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("web.feedback.os.write", half_then_full)
    with pytest.raises(FeedbackError, match="the disk is full") as caught:
        store.append({"n": 2, "comment": "x" * 100})
    assert "NEWSRAG_FEEDBACK_PATH" in str(caught.value)
    assert path.read_bytes() == before  # the half line was cut off again


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_feedback_folder_is_found_at_start(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        problem = FeedbackStore(folder / "feedback.jsonl").check_writable()
        assert problem is not None and "NEWSRAG_FEEDBACK_PATH" in problem
        with pytest.raises(FeedbackError, match="not writable"):
            FeedbackStore(folder / "feedback.jsonl").append({"n": 1})
    finally:
        folder.chmod(0o700)
    assert FeedbackStore(tmp_path / "new" / "f.jsonl").check_writable() is None


def test_a_lost_vote_is_reported_to_the_reader_not_as_a_generic_error(
    fake_components: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handlers = Handlers(Runtime.ready(fake_components), FeedbackStore(tmp_path / "fb.jsonl"))
    *_, last = handlers.respond("Wer zahlt für das Stadtfest?", None, 5, "extractive")
    session = last[2]

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("web.feedback.os.write", full)
    shown: list[str] = []
    monkeypatch.setattr("web.handlers.warn", shown.append)
    handlers.feedback("up", "", session)
    assert len(shown) == 1 and "the disk is full" in shown[0]


def test_page_loading_retries_while_the_store_is_down_and_recovers(fake_components: Any) -> None:
    attempts: list[int] = []
    statuses: list[str] = []
    runtime = Runtime(retry_seconds=0.01)

    def loader(progress: Any) -> Any:
        attempts.append(1)
        statuses.append(runtime.status().message)
        if len(attempts) < 3:
            raise StoreError("no Chroma server answers at 127.0.0.1:8765")
        return fake_components

    runtime.load(loader)
    assert len(attempts) == 3 and runtime.status().state == "ready"
    assert "trying again" in statuses[1] and "no Chroma server" in statuses[1]
    assert runtime.require() is fake_components


def test_a_setting_error_is_not_retried() -> None:
    from index.errors import SettingsError

    runtime = Runtime(retry_seconds=0.01)
    calls: list[int] = []

    def loader(progress: Any) -> Any:
        calls.append(1)
        raise SettingsError("invalid settings: NEWSRAG_TOP_K: must be greater than 0")

    runtime.load(loader)
    assert calls == [1] and runtime.status().state == "failed"


def test_a_rejected_question_logs_one_line_not_a_traceback(
    fake_components: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    handlers = Handlers(Runtime.ready(fake_components))
    with pytest.raises(gr.Error):
        handlers.ask("https://example.com")
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "only a link" in err[0] and "Traceback" not in err[0]


def test_damaged_index_folder_names_the_fix(tmp_path: Path) -> None:
    from index.store import open_client

    (tmp_path / "chroma").mkdir()
    (tmp_path / "chroma" / "chroma.sqlite3").write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError, match=r"python app\.py ingest"):
        open_client(tmp_path / "chroma")
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="NEWSRAG_CHROMA_PATH"):
        open_client(tmp_path / "file")


def test_truncated_llm_weights_name_the_fix(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    from index.llm.llamacpp import load_llama

    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x00" * 1000)
    with pytest.raises(ModelError, match=r"truncated or damaged.*provision llm"):
        load_llama(path, 512, 1, 0)
