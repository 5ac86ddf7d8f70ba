"""The onnx embedding backend: settings, the missing-runtime message, batching order."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.errors import ModelError, SettingsError
from index.models.onnx_embedder import OnnxSentenceModel, load_onnx_model, onnx_dir
from index.settings import load_settings


def test_the_onnx_backend_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSRAG_EMBED_BACKEND", "onnx")
    assert load_settings().embed_backend == "onnx"


def test_an_unknown_backend_is_named_with_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSRAG_EMBED_BACKEND", "onnx-int8")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    text = str(caught.value)
    assert "NEWSRAG_EMBED_BACKEND" in text and "'onnx'" in text and "\n" not in text


def test_a_missing_onnxruntime_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import raises ImportError
    with pytest.raises(ModelError, match="pip install onnxruntime"):
        load_onnx_model(str(tmp_path), True, tmp_path)
    assert not (tmp_path.parent / f"{tmp_path.name}-onnx").exists()


def test_a_missing_onnx_package_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("onnxruntime")
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ModelError, match="pip install onnx"):
        load_onnx_model(str(tmp_path), True, tmp_path, say=lambda message: None)


def test_the_export_lives_beside_the_model(tmp_path: Path) -> None:
    model = tmp_path / "embeddinggemma-300m"
    model.mkdir()
    assert onnx_dir(str(model), tmp_path / "cache") == tmp_path / "embeddinggemma-300m-onnx"
    assert onnx_dir("org/model", tmp_path) == tmp_path / "models" / "org--model-onnx"


class _Tokenizer:
    def __call__(self, texts: list[str], **_: Any) -> dict[str, np.ndarray]:
        width = max(len(text) for text in texts)
        ids = np.array([[len(text)] + [0] * (width - 1) for text in texts])
        return {"input_ids": ids, "attention_mask": np.ones_like(ids)}


class _Session:
    def __init__(self) -> None:
        self.batches: list[int] = []

    def run(self, _: Any, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        ids = feeds["input_ids"]
        self.batches.append(len(ids))
        return [np.stack([[float(row[0]), 1.0] for row in ids])]


def test_vectors_come_back_in_the_order_of_the_texts() -> None:
    session = _Session()
    model = OnnxSentenceModel(session, _Tokenizer(), {"document": "d: "}, 64)
    texts = ["a", "ccc", "bb", "dddd", "e"]
    vectors = model.encode(texts, prompt_name="document", batch_size=2)
    assert [int(vector[0]) for vector in vectors] == [len("d: " + text) for text in texts]
    assert session.batches == [2, 2, 1]
    assert model.encode([], prompt_name="document").shape[0] == 0


def test_questions_run_on_the_query_session_and_passages_on_the_other() -> None:
    passages, questions = _Session(), _Session()
    model = OnnxSentenceModel(
        passages, _Tokenizer(), {"query": "q: ", "document": "d: "}, 64, query_session=questions
    )
    model.encode(["a", "b", "c"], prompt_name="document")
    model.encode(["who?"], prompt_name="query")
    model.encode(["plain"])
    assert passages.batches == [3, 1] and questions.batches == [1]
    # a question under another task's prompt, given as text, is a question too
    (vector,) = model.encode(["who?"], prompt="task: question answering | query: ")
    assert questions.batches == [1, 1] and passages.batches == [3, 1]
    assert int(vector[0]) == len("task: question answering | query: who?")


def test_a_lazy_session_is_made_once_at_first_run_from_any_thread() -> None:
    import threading

    from index.models.onnx_embedder import LazySession

    made: list[_Session] = []

    def make() -> _Session:
        made.append(_Session())
        return made[-1]

    lazy = LazySession(make)
    model = OnnxSentenceModel(
        lazy, _Tokenizer(), {"query": "q: ", "document": "d: "}, 64, query_session=_Session()
    )
    model.encode(["who?"], prompt_name="query")
    assert not lazy.loaded and made == []  # questions alone never make the passage session
    threads = [
        threading.Thread(
            target=model.encode, args=(["a", "b"],), kwargs={"prompt_name": "document"}
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert lazy.loaded and len(made) == 1 and made[0].batches == [2, 2, 2, 2]


def test_a_lazy_session_that_failed_to_load_is_not_tried_again() -> None:
    from index.errors import ModelError
    from index.models.onnx_embedder import LazySession

    calls: list[int] = []

    def broken() -> Any:
        calls.append(1)
        raise ModelError("cannot load the ONNX embedding model: damaged")

    lazy = LazySession(broken)
    for _ in range(2):
        with pytest.raises(ModelError, match="damaged"):
            lazy.run(None, {})
    assert len(calls) == 1 and not lazy.loaded


def _int8_folder(tmp_path: Path, cosine: float) -> Path:
    import json

    from index.models.onnx_embedder import INT8_FILE, INT8_STAMP_FILE, STAMP_FILE

    export = {"format": 2, "source": "model"}
    (tmp_path / STAMP_FILE).write_text(json.dumps(export), encoding="utf-8")
    stamp = {"export": export, "cosine": cosine}
    (tmp_path / INT8_STAMP_FILE).write_text(json.dumps(stamp), encoding="utf-8")
    for name in (INT8_FILE, INT8_FILE + ".data"):
        (tmp_path / name).write_bytes(b"not a model")
    return tmp_path


def test_an_int8_copy_too_far_from_fp32_is_not_used(tmp_path: Path) -> None:
    from index.models.onnx_embedder import query_session

    said: list[str] = []
    model = OnnxSentenceModel(_Session(), _Tokenizer(), {"query": "q: "}, 64)
    assert query_session(_int8_folder(tmp_path, 0.9), model, 1, "query", said.append) is None
    assert "questions use fp32" in said[0]


def test_a_damaged_int8_copy_is_made_again_at_the_next_start(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    from index.models.onnx_embedder import INT8_STAMP_FILE, query_session

    model = OnnxSentenceModel(_Session(), _Tokenizer(), {"query": "q: "}, 64)
    folder = _int8_folder(tmp_path, 0.99)
    with pytest.raises(Exception):  # noqa: B017 (onnxruntime's own error type)
        query_session(folder, model, 1, "query", lambda message: None)
    assert not (folder / INT8_STAMP_FILE).exists()  # so the next start makes it anew


def _real_embedder(onnx: bool, query_int8: bool = False) -> Any:
    """The provisioned embedding model from the default settings, on 1 thread."""
    from index.wiring import build_embedder

    settings = load_settings(
        embed_backend="onnx" if onnx else "torch", torch_threads=1, embed_query_int8=query_int8
    )
    return build_embedder(settings)


@pytest.mark.slow
def test_int8_question_vectors_stay_close_to_fp32() -> None:
    """The int8 copy is made on first use (about 10 s) and used for questions only."""
    int8, fp32 = (_real_embedder(True, query_int8=quantized) for quantized in (True, False))
    assert int8._model.query_session is not None and fp32._model.query_session is None
    questions = ["Who met Putin in Minsk?", "Wie viele Soldaten könnten dazu gehören?"]
    mine = np.array([int8.get_query_embedding(question) for question in questions])
    theirs = np.array([fp32.get_query_embedding(question) for question in questions])
    cosines = np.sum(mine * theirs, axis=1)
    assert 0.95 <= cosines.min() < 0.99999  # close, and really the other model
    passage = "Die Kampftruppe könnten bis zu 9000 russische Soldaten bilden."
    assert int8.get_text_embedding(passage) == fp32.get_text_embedding(passage)


@pytest.mark.slow
def test_onnx_vectors_are_the_torch_vectors() -> None:
    """Exports on first use (about a minute), then loads; cosine >= 0.999 against torch."""
    onnx, torch = (_real_embedder(backend) for backend in (True, False))
    assert type(onnx._model).__name__ == "OnnxSentenceModel"
    assert type(torch._model).__name__ == "SentenceTransformer"
    assert onnx.model_name == torch.model_name  # the same vectors: one index serves both
    passages = [
        "Am Montag traf sich Kreml-Chef Wladimir Putin mit Alexander Lukaschenko in Minsk.",
        "Die Kampftruppe könnten bis zu 9000 russische Soldaten bilden.",
        "Short.",
    ]
    questions = ["Who met Putin in Minsk?", "Wie viele Soldaten könnten dazu gehören?"]
    pairs = [
        (onnx.get_text_embedding_batch(passages), torch.get_text_embedding_batch(passages)),
        (
            [onnx.get_query_embedding(question) for question in questions],
            [torch.get_query_embedding(question) for question in questions],
        ),
    ]
    for mine, theirs in pairs:
        cosines = np.sum(np.array(mine) * np.array(theirs), axis=1)
        assert cosines.min() >= 0.999
    assert onnx.count_tokens(passages[0]) == torch.count_tokens(passages[0])
    assert onnx.max_tokens == torch.max_tokens
