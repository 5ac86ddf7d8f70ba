"""Graph-optimised copies of an ONNX model: made once, the same outputs, made again when
the source or onnxruntime changes, and never in the way of a session."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.models import sessions
from index.models.sessions import onnx_session, optimized_paths, optimized_session


def _model(path: Path, seed: int = 0) -> Path:
    """A small real model (MatMul, Add, Relu) with its weights
    in `<name>.data`, as the exported embedding model keeps them."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(seed)
    weight = numpy_helper.from_array(rng.standard_normal((32, 32)).astype(np.float32), "w")
    bias = numpy_helper.from_array(rng.standard_normal(32).astype(np.float32), "b")
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["x", "w"], ["m"]),
            helper.make_node("Add", ["m", "b"], ["a"]),
            helper.make_node("Relu", ["a"], ["y"]),
        ],
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 32])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 32])],
        initializer=[weight, bias],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save_model(
        model,
        str(path),
        save_as_external_data=True,
        location=path.name + ".data",
        size_threshold=1024,
    )
    return path


def _run(session: Any) -> np.ndarray:
    x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(2, 32)
    return np.asarray(session.run(None, {"x": x})[0])


def test_the_copy_is_made_once_and_gives_the_same_outputs(tmp_path: Path) -> None:
    source = _model(tmp_path / "model.int8.onnx")
    expected = _run(onnx_session(source, 1))
    copy, data, stamp = optimized_paths(source)
    assert (copy.name, data.name, stamp.name) == (
        "model.int8.opt.onnx",
        "model.int8.opt.onnx.data",
        "model.int8.opt.json",
    )
    first = optimized_session(source, 1)
    assert copy.is_file() and data.is_file() and stamp.is_file()
    made = copy.stat().st_mtime_ns
    second = optimized_session(source, 1)
    assert copy.stat().st_mtime_ns == made  # read, not made again
    assert np.array_equal(_run(first), expected) and np.array_equal(_run(second), expected)
    assert not list(tmp_path.glob(".*.tmp-*"))  # the temporary folder is gone


def test_a_changed_source_or_onnxruntime_makes_the_copy_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _model(tmp_path / "model.onnx", seed=1)
    optimized_session(source, 1)
    _model(source, seed=2)  # new weights, as a new export or int8 copy would write
    os.utime(source.with_name(source.name + ".data"), ns=(1, 1))
    assert np.array_equal(_run(optimized_session(source, 1)), _run(onnx_session(source, 1)))
    copy, _data, stamp = optimized_paths(source)
    made = copy.stat().st_mtime_ns
    real_key = sessions.optimization_key
    monkeypatch.setattr(
        sessions, "optimization_key", lambda path: {**real_key(path), "onnxruntime": "9.9"}
    )
    optimized_session(source, 1)
    assert copy.stat().st_mtime_ns != made
    assert "9.9" in stamp.read_text()


def test_a_damaged_copy_is_said_made_again_and_the_session_still_works(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = _model(tmp_path / "model.onnx")
    expected = _run(onnx_session(source, 1))
    optimized_session(source, 1)
    copy, _data, _stamp = optimized_paths(source)
    copy.write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING):
        session = optimized_session(source, 1)
    assert "did not load" in caplog.text
    assert np.array_equal(_run(session), expected)
    assert np.array_equal(_run(optimized_session(source, 1)), expected)  # whole again


def test_a_copy_that_cannot_be_kept_falls_back_to_optimising_at_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    source = _model(tmp_path / "model.onnx")

    def full_disk(*args: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sessions, "_make_copy", full_disk)
    with caplog.at_level(logging.WARNING):
        session = optimized_session(source, 1)
    assert "optimising at load" in caplog.text and "No space left" in caplog.text
    assert np.array_equal(_run(session), _run(onnx_session(source, 1)))
    assert not optimized_paths(source)[2].exists()  # no stamp: tried again next start
