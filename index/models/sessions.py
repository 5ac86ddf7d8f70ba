"""onnxruntime sessions, and graph-optimised copies of a model made once beside it.

Making a session optimises the model's graph (fusing attention, normalisation and
activation nodes) every time: 1.5-2.2 s for the int8 question model on 2 cores, on the
path to Ready. onnxruntime can save the optimised graph; a session of that copy, with
optimisation off, took 0.3-0.4 s and gave bit-identical vectors (dev questions, max
difference 0.0). The copy is made at the "extended" level, which onnxruntime documents
as portable (the "all" level may add layouts specific to this CPU), keyed by the source
files and the onnxruntime version, and made again when either changes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from index.models.stamps import read_stamp, write_stamp

log = logging.getLogger(__name__)

Level = Literal["all", "extended", "none"]
OPTIMIZED_SUFFIX = ".opt"  # model.int8.onnx -> model.int8.opt.onnx (+ .data, .json)
DATA_SUFFIX = ".data"
MIN_EXTERNAL_BYTES = 1024  # initialisers above this go to the copy's .data file


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


def optimized_paths(path: Path) -> tuple[Path, Path, Path]:
    """The optimised copy of `path`, its weights and its stamp."""
    copy = path.with_name(path.stem + OPTIMIZED_SUFFIX + path.suffix)
    return copy, copy.with_name(copy.name + DATA_SUFFIX), copy.with_suffix(".json")


def optimization_key(path: Path) -> dict[str, Any]:
    """What an optimised copy of `path` is valid for: the source graph and weights (sizes
    and times) and this onnxruntime."""
    import onnxruntime

    key: dict[str, Any] = {"level": "extended", "onnxruntime": onnxruntime.__version__}
    for part in (path, path.with_name(path.name + DATA_SUFFIX)):
        if part.is_file():
            stat = part.stat()
            key[part.name] = [stat.st_size, stat.st_mtime_ns]
    return key


def optimized_session(path: Path, threads: int) -> Any:
    """A session of `path` from its optimised copy, made now if missing or stale.

    Falls back to optimising at load (as before) when the copy cannot be written (a
    read-only folder, a full disk) or does not load; a damaged copy is made again at the
    next start. Two processes starting at once make it once (a lock beside the model).
    """
    copy, data, stamp = optimized_paths(path)
    key = optimization_key(path)
    if read_stamp(stamp) == key and copy.is_file() and data.is_file():
        try:
            return onnx_session(copy, threads, level="none")
        except Exception as error:  # damaged: made again below
            log.warning("the optimised copy %s did not load (%s); making it again", copy, error)
            stamp.unlink(missing_ok=True)
    try:
        with folder_lock(path.with_name(f".{copy.name}.lock")):
            if read_stamp(stamp) == key and copy.is_file() and data.is_file():
                return onnx_session(copy, threads, level="none")  # made by another process
            stamp.unlink(missing_ok=True)
            for stale in path.parent.glob(f".{copy.name}.tmp-*"):  # left by a killed process
                shutil.rmtree(stale, ignore_errors=True)
            session = _make_copy(path, threads, copy, data)
            write_stamp(stamp, key)
            return session
    except Exception as error:  # a read-only folder, a full disk, a failed save
        log.warning("cannot keep an optimised copy of %s (%s); optimising at load", path, error)
        return onnx_session(path, threads)


def _make_copy(path: Path, threads: int, copy: Path, data: Path) -> Any:
    """Optimise `path` into a temporary folder beside it, then move graph and weights into
    place (weights first): a reader never finds a graph without its weights."""
    work = Path(tempfile.mkdtemp(prefix=f".{copy.name}.tmp-", dir=path.parent))
    try:
        session = onnx_session(path, threads, level="extended", save_to=work / copy.name)
        os.replace(work / data.name, data)
        os.replace(work / copy.name, copy)
        return session
    finally:
        shutil.rmtree(work, ignore_errors=True)


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
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
