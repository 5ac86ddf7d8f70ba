"""onnxruntime sessions, and graph-optimised copies of a model made once beside it.

Making a session optimises the model's graph (fusing attention, normalisation and
activation nodes) every time: 1.5-2.2 s for the int8 question model on 2 cores, on the
path to Ready. onnxruntime can save the optimised graph; a session of that copy, with
optimisation off, took 0.3-0.4 s and gave bit-identical vectors (dev questions, max
difference 0.0). The copy is made at the "extended" level, which onnxruntime documents
as portable (the "all" level may add layouts specific to this CPU).

A copy is named after what it was made from (the source files' sizes and times, and
onnxruntime's version), so a copy is never rewritten in place: another source or
another onnxruntime gets its own name, and a reader never pairs one copy's graph with
another's weights. It is stamped only after it loaded and gave the same outputs as the
session it was saved from.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Literal

import numpy as np

from index.models.stamps import read_stamp, write_stamp

log = logging.getLogger(__name__)

Level = Literal["all", "extended", "none"]
OPTIMIZED_TAG = ".opt-"  # model.int8.onnx -> model.int8.opt-<key>.onnx (+ .data, .json)
DATA_SUFFIX = ".data"  # an ONNX model's weights, beside its graph
MIN_EXTERNAL_BYTES = 1024  # initialisers above this go to the copy's .data file
Say = Callable[[str], None]


def onnx_session(
    path: Path, threads: int, level: Level = "all", save_to: Path | None = None
) -> Any:
    """An onnxruntime CPU session on `threads` threads (0: onnxruntime decides).

    `level`: the graph optimisation done now ("none" for a copy optimised before);
    `save_to`: also write the optimised graph there, its weights in `<name>.data`.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if threads > 0:
        options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # no busy-waiting between operators: the cores are shared with other work
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = {
        "all": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
        "extended": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "none": onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL,
    }[level]
    if save_to is not None:
        options.optimized_model_filepath = str(save_to)
        options.add_session_config_entry(
            "session.optimized_model_external_initializers_file_name", save_to.name + DATA_SUFFIX
        )
        options.add_session_config_entry(
            "session.optimized_model_external_initializers_min_size_in_bytes",
            str(MIN_EXTERNAL_BYTES),
        )
    return onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )


def optimization_key(path: Path) -> dict[str, Any]:
    """What an optimised copy of `path` is made from: the source graph and weights (size,
    time, inode) and this onnxruntime."""
    import onnxruntime

    key: dict[str, Any] = {"level": "extended", "onnxruntime": onnxruntime.__version__}
    for part in (path, path.with_name(path.name + DATA_SUFFIX)):
        if part.is_file():
            stat = part.stat()
            key[part.name] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return key


def optimized_paths(path: Path, key: dict[str, Any]) -> tuple[Path, Path, Path]:
    """The optimised copy of `path` made from `key`: its graph, weights and stamp."""
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]
    copy = path.with_name(f"{path.stem}{OPTIMIZED_TAG}{digest}{path.suffix}")
    return copy, copy.with_name(copy.name + DATA_SUFFIX), copy.with_suffix(".json")


def optimized_session(path: Path, threads: int, say: Say | None = None) -> Any:
    """A session of `path` from its optimised copy, made now when there is none.

    When the copy cannot be made (a full disk, a read-only folder) or does not load, the
    graph is optimised at load as before, and the reason is said. Two processes starting
    at once make it once (a lock beside the model); copies made from other sources or
    another onnxruntime are removed then.
    """
    report = say or (lambda message: log.warning("%s", message))
    key = optimization_key(path)
    copy, data, stamp = optimized_paths(path, key)
    if _complete(stamp, key, copy, data):
        try:
            return onnx_session(copy, threads, level="none")
        except Exception as error:
            report(f"the optimised copy {copy.name} did not load ({error}); making it again")
    try:
        with folder_lock(path.with_name(f".{path.name}.opt.lock")):
            return _make_or_read(path, threads, key, report)
    except Exception as error:  # the lock file or the copy cannot be written
        report(f"cannot keep an optimised copy of {path.name} ({error}); optimising at load")
        return onnx_session(path, threads)


def _complete(stamp: Path, key: dict[str, Any], copy: Path, data: Path) -> bool:
    saved = read_stamp(stamp)
    if saved is None or saved.get("key") != key or not copy.is_file():
        return False
    return data.is_file() or not saved.get("weights_file", True)


def _make_or_read(path: Path, threads: int, key: dict[str, Any], report: Say) -> Any:
    """Under the lock: the copy made by another process meanwhile, or a new one."""
    copy, data, stamp = optimized_paths(path, key)
    if _complete(stamp, key, copy, data):
        try:
            return onnx_session(copy, threads, level="none")
        except Exception:  # damaged: made again below
            pass
    for old in path.parent.glob(f"{path.stem}{OPTIMIZED_TAG}*"):  # this copy, or stale ones
        old.unlink(missing_ok=True)
    for stale in path.parent.glob(f".{path.stem}{OPTIMIZED_TAG}*.tmp-*"):  # a killed maker
        shutil.rmtree(stale, ignore_errors=True)
    needed = sum(
        part.stat().st_size
        for part in (path, path.with_name(path.name + DATA_SUFFIX))
        if part.is_file()
    )
    free = shutil.disk_usage(path.parent).free
    if free < 2 * needed:
        report(
            f"not keeping an optimised copy of {path.name}: {free // 2**20:,} MB free, "
            f"{needed // 2**20:,} MB needed; optimising at load"
        )
        return onnx_session(path, threads)
    report(f"making a graph-optimised copy of {path.name} once ({needed // 2**20:,} MB)")
    work = Path(tempfile.mkdtemp(prefix=f".{copy.name}.tmp-", dir=path.parent))
    try:
        session = onnx_session(path, threads, level="extended", save_to=work / copy.name)
        try:
            weights = (work / data.name).is_file()
            if weights:
                os.replace(work / data.name, data)
            os.replace(work / copy.name, copy)
            if optimization_key(path) != key:
                raise OSError(f"{path.name} changed while its copy was made")
            if not _same_outputs(session, onnx_session(copy, threads, level="none")):
                raise ValueError("the saved copy does not give the same outputs")
            write_stamp(stamp, {"key": key, "weights_file": weights})
        except Exception as error:  # the session is good; only keeping its copy failed
            for part in (copy, data, stamp):
                with suppress(OSError):
                    part.unlink(missing_ok=True)
            report(f"cannot keep an optimised copy of {path.name} ({error})")
        return session
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _same_outputs(made: Any, read: Any) -> bool:
    """Whether two sessions give identical outputs for one small fixed input (integer
    inputs all 1: token ids and attention masks; float inputs a ramp)."""
    feeds = {}
    for item in made.get_inputs():
        shape = [dim if isinstance(dim, int) and dim > 0 else 4 for dim in item.shape]
        if shape and not isinstance(item.shape[0], int):
            shape[0] = 1  # one text or row
        if "int" in item.type:
            feeds[item.name] = np.ones(shape, dtype=np.int64 if "64" in item.type else np.int32)
        else:
            count = int(np.prod(shape)) if shape else 1
            feeds[item.name] = np.linspace(-1, 1, count, dtype=np.float32).reshape(shape)
    return all(
        np.array_equal(a, b)
        for a, b in zip(made.run(None, feeds), read.run(None, feeds), strict=True)
    )


@contextmanager
def folder_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (flock; none where fcntl does not exist)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: two processes may both do the work, each safely
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            with suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
