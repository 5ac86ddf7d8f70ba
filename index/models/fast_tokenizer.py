"""The embedding model's tokenizer read straight from its `tokenizer.json` (Hugging Face
`tokenizers`), for the onnx backend.

`transformers.AutoTokenizer` gives the same word pieces but imports torch and
transformers first: about 5 s of a cold start on 2 cores, for a process that runs the
model with onnxruntime and never needs torch. This adapter answers the one call shape
the embedder makes (`tokenizer(texts, padding=..., truncation=..., max_length=...,
return_tensors="np")` and `tokenizer(text, add_special_tokens=False)["input_ids"]`),
with the padding token and side from `tokenizer_config.json`. A test compares its ids
with AutoTokenizer's on the real model.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np

TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "tokenizer_config.json"


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


def load_fast_tokenizer(folder: Path) -> FastTokenizer | None:
    """The tokenizer of a local model folder, or None when it has no `tokenizer.json` or
    no padding token (the caller then loads transformers' tokenizer)."""
    path = folder / TOKENIZER_FILE
    if not path.is_file():
        return None
    try:
        config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    pad_token = config.get("pad_token")
    if isinstance(pad_token, dict):  # older configs store an AddedToken
        pad_token = pad_token.get("content")
    if not isinstance(pad_token, str):
        return None
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    pad_id = tokenizer.token_to_id(pad_token)
    if pad_id is None:
        return None
    side = config.get("padding_side", "right")
    return FastTokenizer(
        tokenizer, pad_id, pad_token, side if side in ("left", "right") else "right"
    )
