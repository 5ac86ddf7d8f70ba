"""The embedding model's tokenizer without transformers, for the onnx backend.

`transformers.AutoTokenizer` gives the same word pieces but imports torch and
transformers first: about 5 s of a cold start on 2 cores, for a process that runs the
model with onnxruntime and never needs torch. Two adapters answer the one call shape
the embedder makes (`tokenizer(texts, padding=..., truncation=..., max_length=...,
return_tensors="np")` and `tokenizer(text, add_special_tokens=False)["input_ids"]`),
with the padding token and side from `tokenizer_config.json`:

- `FastTokenizer` reads `tokenizer.json` with Hugging Face `tokenizers`. For
  EmbeddingGemma that file is 33 MB (262,144 pieces and their merges): 2.2-2.8 s to
  parse on these cores, holding the GIL, so nothing else of a starting server runs.
- `PieceTokenizer` reads the same vocabulary from the model's SentencePiece file
  (`tokenizer.model`, 4.7 MB) in about 0.2 s, and adds the special tokens that
  `tokenizer.json`'s template adds (<bos> ... <eos>). It is used only after a check
  on first load: both give the same ids for `PROBE_TEXTS` in every `PROBE_CALLS` (with
  and without special tokens, padded and truncated); the verdict is kept in a stamp
  beside the ONNX export, keyed by the two files' sizes and times, both libraries'
  versions and the probe, so later starts skip `tokenizer.json`. A damaged file or
  stamp means `tokenizer.json` (and a new check).
  Known difference: `tokenizer.json` turns the literal text "<eos>" (and the other
  special tokens' names) inside a text into the special token itself; SentencePiece
  reads it as text, which is what a news text means by it.

Tests compare the ids with AutoTokenizer's on the real model.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.models.stamps import read_stamp, write_stamp

TOKENIZER_FILE = "tokenizer.json"
PIECES_FILE = "tokenizer.model"  # SentencePiece: the same vocabulary, quicker to read
CONFIG_FILE = "tokenizer_config.json"
PIECES_STAMP_FILE = "tokenizer-pieces.json"
# Texts both tokenizers must agree on before the SentencePiece one is used: German and
# English prose, quotes, umlauts, runs of spaces, tabs, new lines, digits, a mark-up
# tag, an emoji, a prompt prefix like the embedder's, and one long enough to truncate.
PROBE_TEXTS = (
    "task: search result | query: Tritt Belarus in den Krieg ein?",
    "title: none | text: Die Kampftruppe könnten bis zu 9000 russische Soldaten angehören.",
    "Ünïcödé — „Anführungszeichen“ und «Guillemets»\nzwei  Leerzeichen\tund Tab",
    "The council approved the new budget (€1.2bn, +3.5%) on Tuesday, 19 December 2022.",
    "  leading and trailing spaces  ",
    "<b>Mark-up</b> &amp; entities, an emoji 😀, CJK 北京 and Cyrillic Лукашенко.",
    "x",
    "Straßenbahn-Haltestelle; Nuklearwaffen-Einsätze; Flugzeugbesatzungen. " * 12,
)
# The calls both must answer alike: the embedder's batch call, truncated (also below the
# template's own length, where tokenizer.json does not truncate) and without the template.
PROBE_CALLS: tuple[dict[str, Any], ...] = (
    {"padding": True},
    {"padding": True, "truncation": True, "max_length": 16},
    {"padding": True, "truncation": True, "max_length": 1},
    {"add_special_tokens": False},
)


class FastTokenizer:
    """A `tokenizers.Tokenizer` called like the transformers tokenizer the embedder uses."""

    def __init__(self, tokenizer: Any, pad_id: int, pad_token: str, padding_side: str) -> None:
        self._tokenizer = tokenizer
        self._pad_id = pad_id
        self._pad_token = pad_token
        self._padding_side = padding_side
        self._lock = threading.Lock()  # padding and truncation are settings of the tokenizer

    def __call__(
        self,
        texts: str | list[str],
        padding: bool = False,
        truncation: bool = False,
        max_length: int | None = None,
        return_tensors: str | None = None,
        add_special_tokens: bool = True,
    ) -> dict[str, Any]:
        """Word-piece ids and attention masks of `texts` (one text: lists, not a batch)."""
        with self._lock:
            return self._encode(
                texts, padding, truncation, max_length, return_tensors, add_special_tokens
            )

    def _encode(
        self,
        texts: str | list[str],
        padding: bool,
        truncation: bool,
        max_length: int | None,
        return_tensors: str | None,
        add_special_tokens: bool,
    ) -> dict[str, Any]:
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        if padding:
            self._tokenizer.enable_padding(
                pad_id=self._pad_id, pad_token=self._pad_token, direction=self._padding_side
            )
        if truncation and max_length:
            self._tokenizer.enable_truncation(max_length=max_length)
        if isinstance(texts, str):
            encoding = self._tokenizer.encode(texts, add_special_tokens=add_special_tokens)
            return {"input_ids": encoding.ids, "attention_mask": encoding.attention_mask}
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=add_special_tokens)
        ids = [encoding.ids for encoding in encodings]
        masks = [encoding.attention_mask for encoding in encodings]
        if return_tensors == "np":
            return {"input_ids": np.array(ids), "attention_mask": np.array(masks)}
        return {"input_ids": ids, "attention_mask": masks}


class PieceTokenizer:
    """A SentencePiece processor with the special tokens of `tokenizer.json`'s template,
    called like the transformers tokenizer the embedder uses."""

    def __init__(
        self,
        processor: Any,
        prefix: Sequence[int],
        suffix: Sequence[int],
        pad_id: int,
        padding_side: str,
    ) -> None:
        self._processor = processor  # encode() is thread-safe and keeps no settings
        self._prefix = list(prefix)
        self._suffix = list(suffix)
        self._pad_id = pad_id
        self._padding_side = padding_side

    def __call__(
        self,
        texts: str | list[str],
        padding: bool = False,
        truncation: bool = False,
        max_length: int | None = None,
        return_tensors: str | None = None,
        add_special_tokens: bool = True,
    ) -> dict[str, Any]:
        """Word-piece ids and attention masks of `texts` (one text: lists, not a batch)."""
        batch = [texts] if isinstance(texts, str) else list(texts)
        prefix, suffix = (self._prefix, self._suffix) if add_special_tokens else ([], [])
        room = max_length - len(prefix) - len(suffix) if truncation and max_length else None
        if room is not None and room < 0:
            room = None  # as tokenizer.json: a limit below the template's length cuts nothing
        ids = [
            prefix + (pieces[: max(room, 0)] if room is not None else pieces) + suffix
            for pieces in self._processor.encode(batch, out_type=int)
        ]
        masks = [[1] * len(row) for row in ids]
        if padding and ids:
            longest = max(len(row) for row in ids)
            for row, mask in zip(ids, masks, strict=True):
                fill = longest - len(row)
                if self._padding_side == "left":
                    row[:0], mask[:0] = [self._pad_id] * fill, [0] * fill
                else:
                    row += [self._pad_id] * fill
                    mask += [0] * fill
        if isinstance(texts, str):
            return {"input_ids": ids[0], "attention_mask": masks[0]}
        if return_tensors == "np":
            return {"input_ids": np.array(ids), "attention_mask": np.array(masks)}
        return {"input_ids": ids, "attention_mask": masks}


def _padding(folder: Path) -> tuple[str, str] | None:
    """(pad token, padding side) from the folder's tokenizer_config.json; None without one."""
    try:
        config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    pad_token = config.get("pad_token")
    if isinstance(pad_token, dict):  # older configs store an AddedToken
        pad_token = pad_token.get("content")
    if not isinstance(pad_token, str):
        return None
    side = config.get("padding_side", "right")
    return pad_token, side if side in ("left", "right") else "right"


def _signature(folder: Path) -> dict[str, Any]:
    """What a stamp is valid for: the sizes and modification times of both tokenizer
    files, both libraries' versions and the probe itself (a change of any checks again)."""
    import sentencepiece
    import tokenizers

    found: dict[str, Any] = {}
    for name in (TOKENIZER_FILE, PIECES_FILE):
        stat = (folder / name).stat()
        found[name] = [stat.st_size, stat.st_mtime_ns]
    probe = json.dumps([PROBE_TEXTS, PROBE_CALLS], ensure_ascii=False)
    found["probe"] = hashlib.sha256(probe.encode()).hexdigest()[:16]
    found["libraries"] = [sentencepiece.__version__, tokenizers.__version__]
    return found


def _template(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The ids `tokenizer.json`'s template puts before and after a text's own pieces."""
    plain = tokenizer.encode("x", add_special_tokens=False).ids
    full = tokenizer.encode("x", add_special_tokens=True).ids
    start = next(i for i in range(len(full)) if full[i : i + len(plain)] == plain)
    return full[:start], full[start + len(plain) :]


def _agree(first: Any, second: Any) -> bool:
    """True when two adapters give the same ids and masks for every probe call."""
    texts = list(PROBE_TEXTS)
    for arguments in PROBE_CALLS:
        if first(texts, **arguments) != second(texts, **arguments):
            return False
    return all(first(text) == second(text) for text in texts)


def _pieces(folder: Path) -> Any:
    """The folder's SentencePiece processor, or None (no file, or no library)."""
    if not (folder / PIECES_FILE).is_file():
        return None
    try:
        import sentencepiece

        return sentencepiece.SentencePieceProcessor(model_file=str(folder / PIECES_FILE))
    except Exception:  # no library, or a damaged file: tokenizer.json serves alone
        return None


def _valid(stamp: dict[str, Any]) -> bool:
    """True when a stamp has every field, of the right type (else it is checked again)."""
    ids = ("prefix", "suffix")
    return (
        isinstance(stamp.get("files"), dict)
        and isinstance(stamp.get("same_ids"), bool)
        and all(isinstance(stamp.get(key), list) for key in ids)
        and all(isinstance(item, int) for key in ids for item in stamp[key])
        and isinstance(stamp.get("pad_id"), int)
    )


def load_fast_tokenizer(
    folder: Path, stamp_dir: Path | None = None
) -> FastTokenizer | PieceTokenizer | None:
    """The tokenizer of a local model folder, or None when it has no `tokenizer.json` or
    no padding token (the caller then loads transformers' tokenizer).

    With `stamp_dir`, the SentencePiece file is used instead of `tokenizer.json` once a
    check has shown that both give the same ids (see the module's docstring).
    """
    path = folder / TOKENIZER_FILE
    padding = _padding(folder)
    if not path.is_file() or padding is None:
        return None
    pad_token, side = padding
    stamp_path = stamp_dir / PIECES_STAMP_FILE if stamp_dir is not None else None
    stamp = (read_stamp(stamp_path) if stamp_path is not None else None) or {}
    pieces = _pieces(folder) if stamp_path is not None else None
    if pieces is not None and _valid(stamp) and stamp["files"] == _signature(folder):
        if stamp["same_ids"]:
            return PieceTokenizer(pieces, stamp["prefix"], stamp["suffix"], stamp["pad_id"], side)
        pieces = None  # checked before: the two differ, so tokenizer.json it is
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    pad_id = tokenizer.token_to_id(pad_token)
    if pad_id is None:
        return None
    fast = FastTokenizer(tokenizer, pad_id, pad_token, side)
    if pieces is None or stamp_path is None:
        return fast
    prefix, suffix = _template(tokenizer)
    quick = PieceTokenizer(pieces, prefix, suffix, pad_id, side)
    same = _agree(fast, quick)
    verdict = {
        "files": _signature(folder),
        "same_ids": same,
        "prefix": prefix,
        "suffix": suffix,
        "pad_id": pad_id,
    }
    with contextlib.suppress(OSError):  # a read-only cache: checked again next start
        write_stamp(stamp_path, verdict)
    return quick if same else fast
