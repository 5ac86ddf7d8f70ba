"""A cross-encoder that reads the question and a sentence together, for users who have one.

The evidence step orders sentences by embedding cosines, which compare the question and
a sentence each embedded alone; a cross-encoder reads the pair and tells better whether
the sentence answers ("Which subject was not raised openly?" against "Öffentlich wurde
... gar nicht direkt angesprochen und es ging ... um andere Themen ..."). None is
available offline here (../shared/MODELS.md: no reranker, cross-encoder or NLI model
has bundled weights), so it is off by default: `NEWSRAG_RERANKER` names a
sentence-transformers CrossEncoder with one output (a local folder, or a hub id for
users with a network), loaded at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import ModelError


class CrossEncoderReranker:
    """A sentence-transformers CrossEncoder's scores for (question, sentence) pairs (a
    SentenceReranker)."""

    def __init__(self, model: Any, name: str) -> None:
        self._model = model
        self.name = name

    def scores(self, question: str, texts: Sequence[str]) -> list[float]:
        """How well each text answers the question, in [0, 1] (the model's sigmoid)."""
        if not texts:
            return []
        values = self._model.predict(
            [(question, text) for text in texts],
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [float(value) for value in np.ravel(values)]


def load_reranker(name: str) -> CrossEncoderReranker:
    """The CrossEncoder `name` (a local folder, or a hub id with a network); ModelError
    with the fix when it cannot be loaded or gives more than one score a pair."""
    local = Path(name).expanduser()
    if local.exists():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    elif name.startswith((".", "/", "~")) or "/" not in name:
        raise ModelError(f"reranker folder {name} does not exist (NEWSRAG_RERANKER)")
    try:
        from sentence_transformers import CrossEncoder

        model = CrossEncoder(
            str(local) if local.exists() else name,
            device="cpu",
            local_files_only=local.exists(),
        )
    except Exception as error:
        raise ModelError(
            f"cannot load the reranker {name} (NEWSRAG_RERANKER): "
            f"{type(error).__name__}: {str(error)[:200]}. Name a local sentence-transformers "
            "CrossEncoder folder, or a hub id on a machine with a network; empty turns it off"
        ) from None
    labels = int(getattr(model, "num_labels", 1) or 1)
    if labels != 1:
        raise ModelError(
            f"the reranker {name} gives {labels} scores a pair (a classifier, such as an "
            "NLI model?); NEWSRAG_RERANKER needs a cross-encoder with one score"
        )
    return CrossEncoderReranker(model, local.name if local.exists() else name)
