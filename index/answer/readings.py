"""A question matched against sentences through their checked renderings in its language.

The multilingual embedder matches a question best in its own language: "Does Putin want
to annex Belarus?" is 0.54 from "... er habe "kein Interesse" daran, das Nachbarland
Belarus einzuverleiben" and 0.65 from its checked English rendering. The renderer keeps
the vector of every rendering it shows (`SentenceRenderer.vectors`), so a question costs
one store read here and no embedding. Used by the evidence step (in the retrieval's
sentence rerank it lowered dev hit@1 0.908 -> 0.895: a passage about something else
whose English reads close to the question came up among the five).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from index.text.language import SUPPORTED
from index.text.vectors import cosine_rows
from index.types import ReaderVectors


def reading_vectors(
    texts: Sequence[str], readings: ReaderVectors | None, language: str
) -> dict[str, list[float]]:
    """The vectors of these texts' checked renderings in `language`, by text (one store
    read; texts without one are left out)."""
    if readings is None or not texts:
        return {}
    vectors: dict[str, list[float]] = {}
    for source in SUPPORTED:
        if source != language:
            vectors.update(readings.vectors(texts, source, language))
    return vectors


def reader_cosines(
    query_vector: Sequence[float], texts: Sequence[str], vectors: Mapping[str, Sequence[float]]
) -> list[float] | None:
    """Each text's cosine with the question through its rendering's vector in `vectors`
    (`reading_vectors`; NaN where it has none); None when no text has one."""
    present = list(dict.fromkeys(text for text in texts if text in vectors))
    if not present:
        return None
    found = cosine_rows(query_vector, np.asarray([vectors[text] for text in present]))
    by_text = dict(zip(present, (float(x) for x in found), strict=True))
    return [by_text.get(text, math.nan) for text in texts]
