"""The embedding model through ONNX Runtime: sentence-transformers' vectors, faster on CPU.

The whole sentence-transformers forward (transformer, pooling, dense layers, normalisation)
is exported once with `torch.onnx` into `<model folder>-onnx/model.onnx` (the weights in
`model.onnx.data`) beside the model (temporary files, then renames), checked against
torch, and run with onnxruntime from then on. `OnnxSentenceModel` looks like the few
parts of a SentenceTransformer that `SentenceTransformerEmbedding` uses (`encode`,
`tokenizer`, `prompts`, `max_seq_length`), so the backend sits behind the same seam.

EmbeddingGemma builds its attention masks with `torch.vmap`, which the exporter cannot
trace; the export wrapper passes the two masks (bidirectional, and bidirectional within
the sliding window) ready-made, as transformers allows.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import ModelError
from index.models.fast_tokenizer import load_fast_tokenizer
from index.models.sessions import DATA_SUFFIX, folder_lock, onnx_session, optimized_session
from index.models.stamps import read_stamp, write_stamp

ONNX_FILE = "model.onnx"
EXPORT_FORMAT = 2  # 2: weights in model.onnx.data; a stamp of another format re-exports
STAMP_FILE = "export.json"
MIN_EXPORT_COSINE = 0.999
INT8_FILE = "model.int8.onnx"  # question vectors: the export's MatMuls quantised to int8
INT8_STAMP_FILE = "int8.json"
INT8_LOCK_FILE = ".int8.lock"
# An int8 question vector is checked against the fp32 one; dev questions gave 0.98-0.99
# with the same retrieval (BENCHMARKS.md). Below this the int8 copy is not used.
MIN_INT8_COSINE = 0.95
_CHECK_TEXTS = (
    "Wie viele Menschen leben in der Stadt?",
    "The council approved the new budget on Tuesday after a long debate about schools.",
)


def onnx_dir(target: str, cache_dir: Path) -> Path:
    """Where the exported model of `target` (a folder or a hub id) is kept."""
    path = Path(target)
    if path.exists():
        return path.resolve().parent / f"{path.resolve().name}-onnx"
    return cache_dir / "models" / (target.replace("/", "--") + "-onnx")


def source_stamp(target: str) -> dict[str, Any]:
    """What the export was made from: the model and the sizes and times of its weights."""
    path = Path(target)
    if not path.exists():
        return {"format": EXPORT_FORMAT, "source": target}
    weights = sorted(
        item
        for pattern in ("*.safetensors", "*.bin", "*/*.safetensors", "*/*.bin")
        for item in path.glob(pattern)
    )
    return {
        "format": EXPORT_FORMAT,
        "source": str(path.resolve()),
        "weights": {
            str(item.relative_to(path)): [item.stat().st_size, int(item.stat().st_mtime)]
            for item in weights
        },
    }


def _read_stamp(folder: Path) -> dict[str, Any] | None:
    return read_stamp(folder / STAMP_FILE)


def sentence_forward(model: Any) -> Any:
    """A torch module: (input_ids, attention_mask) -> the model's normalised sentence vector."""
    import torch

    backbone = model[0].auto_model
    config = backbone.config
    window = int(getattr(config, "sliding_window", 0) or 0)
    bidirectional = bool(getattr(config, "use_bidirectional_attention", False))

    class SentenceForward(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.backbone = backbone
            self.heads = torch.nn.ModuleList(list(model)[1:])

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            mask: Any = attention_mask
            if bidirectional:
                batch, length = input_ids.shape
                full = attention_mask.bool()[:, None, None, :].expand(batch, 1, length, length)
                positions = torch.arange(length, device=input_ids.device)
                near = (positions[None, :] - positions[:, None]).abs() < window
                mask = {"full_attention": full, "sliding_attention": full & near[None, None]}
            output = self.backbone(input_ids=input_ids, attention_mask=mask, use_cache=False)
            features = {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_embeddings": output.last_hidden_state,
            }
            for head in self.heads:
                features = head(features)
            return features["sentence_embedding"]

    return SentenceForward().eval()


def export_onnx(model: Any, path: Path) -> None:
    """Export a SentenceTransformer's whole forward to `path`, weights in `path`.data.

    Weights in a separate file are memory-mapped by onnxruntime: a process loads in
    about 2 s and keeps only the pages it touches (most of the 262k-token embedding
    table stays on disk). Both files are written in a temporary folder first, then
    renamed into place, the weights before the graph that names them.
    """
    import onnx
    import torch

    forward = sentence_forward(model)
    sample = model.tokenizer(list(_CHECK_TEXTS), padding=True, return_tensors="pt")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
    dynamic = {
        "input_ids": {0: "batch", 1: "tokens"},
        "attention_mask": {0: "batch", 1: "tokens"},
        "sentence_embedding": {0: "batch"},
    }
    data = path.name + DATA_SUFFIX
    try:
        with torch.no_grad():
            torch.onnx.export(
                forward,
                (sample["input_ids"], sample["attention_mask"]),
                str(temporary / "whole.onnx"),
                input_names=["input_ids", "attention_mask"],
                output_names=["sentence_embedding"],
                dynamic_axes=dynamic,
                opset_version=17,
                dynamo=False,
            )
        graph = onnx.load(str(temporary / "whole.onnx"))
        (temporary / "whole.onnx").unlink()
        onnx.save_model(
            graph,
            str(temporary / path.name),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=data,
            size_threshold=1024,
        )
        del graph
        os.replace(temporary / data, path.with_name(data))
        os.replace(temporary / path.name, path)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


class OnnxSentenceModel:
    """An exported sentence-transformers model run by onnxruntime; encodes like `encode`."""

    def __init__(
        self,
        session: Any,
        tokenizer: Any,
        prompts: dict[str, str],
        max_seq_length: int,
        query_session: Any = None,
        query_prompt: str = "query",
    ) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.prompts = prompts
        self.max_seq_length = max_seq_length
        self.query_session = query_session  # texts encoded with `query_prompt` run here
        self.query_prompt = query_prompt

    def encode(
        self,
        texts: Sequence[str],
        prompt_name: str | None = None,
        batch_size: int = 16,
        prompt: str | None = None,
        **_: Any,
    ) -> np.ndarray:
        """Normalised vectors of `texts`, the prompt put before each, longest batched first.

        `prompt` is a prompt's text, as sentence-transformers' `encode` takes it, in place
        of a named one. Only questions are given one (another task's prompt than the
        query prompt: SentenceTransformerEmbedding.get_prompted_query_embedding), so they
        run on the question session too.
        """
        asks = prompt is not None or bool(prompt_name and prompt_name == self.query_prompt)
        if prompt is None:
            prompt = self.prompts.get(prompt_name, "") if prompt_name else ""
        session = self.query_session if self.query_session is not None and asks else self.session
        inputs = [prompt + text for text in texts]
        order = sorted(range(len(inputs)), key=lambda index: -len(inputs[index]))
        vectors: list[np.ndarray] = [np.empty(0)] * len(inputs)
        size = max(1, batch_size)
        for begin in range(0, len(order), size):
            indices = order[begin : begin + size]
            encoded = self.tokenizer(
                [inputs[index] for index in indices],
                padding=True,
                truncation=True,
                max_length=self.max_seq_length,
                return_tensors="np",
            )
            (batch,) = session.run(
                None,
                {
                    "input_ids": encoded["input_ids"].astype(np.int64),
                    "attention_mask": encoded["attention_mask"].astype(np.int64),
                },
            )
            for index, vector in zip(indices, batch, strict=True):
                vectors[index] = vector
        if not vectors:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack(vectors)


class LazySession:
    """An onnxruntime session made on first `run`, once, under a lock.

    With int8 question vectors a serving process embeds questions only; the fp32 model
    (passages: ingest, renderings, the verifier) then loads on first use or in the
    page's background warm-up, not before the first answer (about 1.5 s on 2 cores).
    """

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._session: Any = None
        self._error: BaseException | None = None  # a failed load is not tried again
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the session has been made."""
        return self._session is not None

    def get(self) -> Any:
        """The session, made now if it was not yet."""
        if self._session is None:
            with self._lock:
                if self._error is not None:
                    raise self._error
                if self._session is None:
                    try:
                        self._session = self._make()
                    except Exception as error:
                        self._error = error
                        raise
        return self._session

    def run(self, output_names: Any, feeds: dict[str, Any]) -> Any:
        """`InferenceSession.run` on the session (made first if needed)."""
        return self.get().run(output_names, feeds)


def _export_checked(
    target: str, local: bool, folder: Path, stamp: dict[str, Any], say: Callable[[str], None]
) -> None:
    """Export `target` into `folder`, check it against torch, then write the stamp."""
    try:
        import onnx  # noqa: F401  (torch.onnx writes the file with it)
    except ImportError:
        raise ModelError(
            "exporting the embedding model for the onnx backend needs the onnx package, "
            "which is not installed; run: pip install onnx (or pip install -e .)"
        ) from None
    from sentence_transformers import SentenceTransformer

    say(f"exporting the embedding model to ONNX once (about a minute): {folder}")
    model = SentenceTransformer(target, device="cpu", local_files_only=local)
    path = folder / ONNX_FILE
    export_onnx(model, path)
    prompts = dict(getattr(model, "prompts", {}) or {})
    max_seq_length = int(getattr(model, "max_seq_length", 512) or 512)
    exported = OnnxSentenceModel(onnx_session(path, 0), model.tokenizer, prompts, max_seq_length)
    expected = model.encode(list(_CHECK_TEXTS), normalize_embeddings=True, convert_to_numpy=True)
    cosine = float(np.min(np.sum(expected * exported.encode(list(_CHECK_TEXTS)), axis=1)))
    if cosine < MIN_EXPORT_COSINE:
        raise ModelError(
            f"the ONNX export of {target} does not reproduce its vectors (cosine {cosine:.4f}); "
            "use NEWSRAG_EMBED_BACKEND=torch for this model"
        )
    stamp = {**stamp, "prompts": prompts, "max_seq_length": max_seq_length, "cosine": cosine}
    write_stamp(folder / STAMP_FILE, stamp)


def quantize_for_queries(folder: Path) -> None:
    """Write the int8 copy of `folder`'s export (onnxruntime's dynamic quantisation of the
    MatMul weights, about 10 s), weights beside it; temporary files, then renames.

    onnxruntime writes a shape-inferred graph beside the model it reads (`model-
    inferred.onnx`, about 2 MB, removed after), so callers hold the folder's int8 lock
    (`query_session`). onnx refuses weights behind a link, so it reads the export itself.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    temporary = Path(tempfile.mkdtemp(prefix=f".{INT8_FILE}.tmp-", dir=folder))
    try:
        quantize_dynamic(
            str(folder / ONNX_FILE),
            str(temporary / INT8_FILE),
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul"],
            use_external_data_format=True,
        )
        data = INT8_FILE + DATA_SUFFIX
        if (temporary / data).is_file():
            os.replace(temporary / data, folder / data)
        os.replace(temporary / INT8_FILE, folder / INT8_FILE)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _current_int8(folder: Path, export_stamp: dict[str, Any] | None) -> dict[str, Any] | None:
    """The int8 copy's stamp when the copy was made from this export and is complete."""
    saved = read_stamp(folder / INT8_STAMP_FILE)
    files = (folder / INT8_FILE, folder / (INT8_FILE + DATA_SUFFIX))
    if saved is None or saved.get("export") != export_stamp:
        return None
    return saved if all(file.is_file() for file in files) else None


def query_session(
    folder: Path,
    model: OnnxSentenceModel,
    threads: int,
    query_prompt: str,
    say: Callable[[str], None],
) -> Any:
    """The int8 session for question vectors, made on first use (one process at a time)
    and checked against the fp32 model (cosine >= MIN_INT8_COSINE); None, with a
    warning, when it fails that check."""
    export_stamp = _read_stamp(folder)
    saved = _current_int8(folder, export_stamp)
    session = None
    if saved is None:
        with folder_lock(folder / INT8_LOCK_FILE):
            saved = _current_int8(folder, export_stamp)  # made by another process meanwhile
            if saved is None:
                say("making the int8 copy of the embedding model for questions once (about 10 s)")
                (folder / INT8_STAMP_FILE).unlink(missing_ok=True)
                for stale in folder.glob(f".{INT8_FILE}.tmp-*"):  # left by a killed process
                    shutil.rmtree(stale, ignore_errors=True)
                quantize_for_queries(folder)
                session = optimized_session(folder / INT8_FILE, threads, say)
                texts = list(_CHECK_TEXTS)
                expected = model.encode(texts, prompt_name=query_prompt)
                quantized = OnnxSentenceModel(
                    session, model.tokenizer, model.prompts, model.max_seq_length
                )
                got = quantized.encode(texts, prompt_name=query_prompt)
                saved = {"export": export_stamp, "cosine": float(np.min(np.sum(expected * got, 1)))}
                write_stamp(folder / INT8_STAMP_FILE, saved)
    cosine = float(saved.get("cosine", 0.0))
    if cosine < MIN_INT8_COSINE:
        say(
            f"warning: the int8 question model is too far from fp32 (cosine {cosine:.3f} < "
            f"{MIN_INT8_COSINE}); questions use fp32"
        )
        return None
    if session is not None:
        return session
    try:
        # from its graph-optimised copy (index.models.sessions): 0.3 s instead of 2 s
        return optimized_session(folder / INT8_FILE, threads, say)
    except Exception:
        (folder / INT8_STAMP_FILE).unlink(missing_ok=True)  # damaged: made again next start
        raise


def load_tokenizer(target: str, local: bool, stamp_dir: Path | None = None) -> Any:
    """The model's tokenizer: read from its own files when the folder has `tokenizer.json`
    (no torch import; its SentencePiece file once checked, with the verdict kept in
    `stamp_dir`: index.models.fast_tokenizer), else transformers' AutoTokenizer."""
    if Path(target).is_dir():
        fast = load_fast_tokenizer(Path(target), stamp_dir)
        if fast is not None:
            return fast
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(target, local_files_only=local)


def load_onnx_model(
    target: str,
    local: bool,
    cache_dir: Path,
    threads: int = 0,
    say: Callable[[str], None] | None = None,
    query_int8: bool = False,
    query_prompt: str = "query",
) -> OnnxSentenceModel:
    """The ONNX model of `target`: exported on first use, loaded with onnxruntime after.

    `query_int8`: texts encoded with `query_prompt` (questions) run through an int8 copy
    (made on first use, checked against fp32); other texts through the fp32 export, whose
    session is then made on first use (`LazySession`): a process that only answers
    questions does not wait for it.
    """
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        raise ModelError(
            "the onnx embedding backend needs ONNX Runtime, which is not installed; run: "
            "pip install onnxruntime (or pip install -e .), or set NEWSRAG_EMBED_BACKEND=torch"
        ) from None
    folder = onnx_dir(target, cache_dir)
    stamp = source_stamp(target)
    saved = _read_stamp(folder)
    current = saved is not None and all(saved.get(key) == value for key, value in stamp.items())
    files = (folder / ONNX_FILE, folder / (ONNX_FILE + DATA_SUFFIX))
    report = say or (lambda message: print(message, file=sys.stderr, flush=True))
    if not current or not all(file.is_file() for file in files):
        try:
            _export_checked(target, local, folder, stamp, report)
        except ModelError:
            raise
        except Exception as error:
            raise ModelError(
                f"cannot export the embedding model {target} to ONNX: {error}. "
                "Use NEWSRAG_EMBED_BACKEND=torch"
            ) from None
        saved = _read_stamp(folder) or {}
    assert saved is not None

    def fp32_session() -> Any:
        try:
            return optimized_session(folder / ONNX_FILE, threads, report)
        except Exception as error:
            raise ModelError(
                f"cannot load the ONNX embedding model from {folder}: {error}. Delete that "
                "folder to export it again"
            ) from None

    try:
        tokenizer = load_tokenizer(target, local, folder)
    except Exception as error:
        raise ModelError(
            f"cannot load the tokenizer of {target}: {error}. If its files are damaged, "
            f"delete {target} and run: python app.py provision"
        ) from None
    # With int8 questions the fp32 model (passages) loads on first use (LazySession).
    session: Any = LazySession(fp32_session) if query_int8 else fp32_session()
    model = OnnxSentenceModel(
        session,
        tokenizer,
        dict(saved.get("prompts") or {}),
        int(saved.get("max_seq_length") or 512),
        query_prompt=query_prompt,
    )
    if query_int8:
        try:
            model.query_session = query_session(folder, model, threads, query_prompt, report)
        except ModelError:
            raise  # the fp32 model itself failed to load (made for the int8 check)
        except Exception as error:  # questions still work in fp32
            report(f"warning: no int8 question model ({error}); questions use fp32")
        if model.query_session is None:
            session.get()  # questions take the fp32 path: loaded now, as before
    return model
