"""Graph-optimised copies of an ONNX model: made once, the same outputs, made again when
the source or onnxruntime changes, and never in the way of a session."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
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


def _paths(source: Path) -> tuple[Path, Path, Path]:
    return optimized_paths(source, sessions.optimization_key(source))


def test_the_copy_is_made_once_checked_and_gives_the_same_outputs(tmp_path: Path) -> None:
    source = _model(tmp_path / "model.int8.onnx")
    expected = _run(onnx_session(source, 1))
    said: list[str] = []
    first = optimized_session(source, 1, said.append)
    copy, data, stamp = _paths(source)
    assert copy.name.startswith("model.int8.opt-") and copy.suffix == ".onnx"
    assert copy.is_file() and data.is_file() and stamp.is_file()
    assert len(said) == 1 and "making a graph-optimised copy" in said[0]
    made = copy.stat().st_mtime_ns
    second = optimized_session(source, 1, said.append)
    assert copy.stat().st_mtime_ns == made and len(said) == 1  # read, not made again
    assert np.array_equal(_run(first), expected) and np.array_equal(_run(second), expected)
    assert not list(tmp_path.glob(".*.tmp-*"))  # the temporary folder is gone


def test_a_changed_source_or_onnxruntime_gets_a_copy_of_its_own_and_old_ones_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _model(tmp_path / "model.onnx", seed=1)
    optimized_session(source, 1)
    old_copy = _paths(source)[0]
    _model(source, seed=2)  # new weights, as a new export or int8 copy would write
    assert np.array_equal(_run(optimized_session(source, 1)), _run(onnx_session(source, 1)))
    new_copy = _paths(source)[0]
    assert new_copy != old_copy and new_copy.is_file() and not old_copy.exists()
    real_key = sessions.optimization_key
    monkeypatch.setattr(
        sessions, "optimization_key", lambda path: {**real_key(path), "onnxruntime": "9.9"}
    )
    optimized_session(source, 1)
    assert "9.9" in _paths(source)[2].read_text() and not new_copy.exists()


def test_a_damaged_copy_is_said_made_again_and_the_session_still_works(tmp_path: Path) -> None:
    source = _model(tmp_path / "model.onnx")
    expected = _run(onnx_session(source, 1))
    optimized_session(source, 1)
    copy, _data, _stamp = _paths(source)
    copy.write_bytes(b"not a model")
    said: list[str] = []
    session = optimized_session(source, 1, said.append)
    assert "did not load" in said[0] and "making a graph-optimised copy" in said[1]
    assert np.array_equal(_run(session), expected)
    assert np.array_equal(_run(optimized_session(source, 1)), expected)  # whole again


def test_a_model_without_a_weights_file_gets_a_copy_too(tmp_path: Path) -> None:
    import onnx

    source = _model(tmp_path / "model.onnx")
    small = tmp_path / "small.onnx"
    onnx.save_model(onnx.load(str(source)), str(small))  # weights inside the graph file
    said: list[str] = []
    optimized_session(small, 1, said.append)
    optimized_session(small, 1, said.append)
    assert len(said) == 1 and _paths(small)[2].is_file()  # made once, then read


def test_a_copy_that_cannot_be_kept_keeps_the_optimised_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _model(tmp_path / "model.onnx")
    expected = _run(onnx_session(source, 1))
    made: list[str] = []
    real_session = sessions.onnx_session

    def counting(path: Path, threads: int, level: Any = "all", save_to: Any = None) -> Any:
        made.append(str(level))
        return real_session(path, threads, level, save_to)

    def full_disk(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sessions, "onnx_session", counting)
    monkeypatch.setattr(sessions, "write_stamp", full_disk)
    said: list[str] = []
    session = optimized_session(source, 1, said.append)
    assert "No space left" in said[-1]
    assert np.array_equal(_run(session), expected)
    assert made.count("extended") == 1 and "all" not in made  # not optimised a second time
    copy, data, stamp = _paths(source)
    assert not (copy.exists() or data.exists() or stamp.exists())  # tried again next start


def test_too_little_disk_means_optimising_at_load_and_saying_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _model(tmp_path / "model.onnx")
    monkeypatch.setattr(
        sessions.shutil, "disk_usage", lambda path: SimpleNamespace(total=10, used=10, free=0)
    )
    said: list[str] = []
    session = optimized_session(source, 1, said.append)
    assert "MB free" in said[0]
    assert np.array_equal(_run(session), _run(onnx_session(source, 1)))
    assert not _paths(source)[0].exists()
