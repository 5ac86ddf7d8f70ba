"""How the supported-sentence rate judges an answer: eval's own check, not the product's.

The product's verifier cannot grade itself (its writer already drops what it rejects, so
its rate is 1.0 by construction). Instead each claim of the answer (the text up to its
citation markers) must share at least half of its content words with the texts it cites:
the cited article sentence and, when the citation carries one, its English rendering.
Eval's tokenizer (eval.text) does the counting; nothing here imports the product.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eval import metrics
from eval.scoring import Support

SUPPORT_NAME = "eval token overlap >= {threshold:g} (cited text + rendering)"


def overlap_support(threshold: float = 0.5) -> Support:
    """(supported claims, all claims) of an answer by eval's token-overlap check."""
    verifier = metrics.overlap_verifier(threshold)

    def support(answer: Mapping[str, Any]) -> tuple[int, int]:
        return metrics.supported_claims(answer, verifier)

    return support


def default_support(threshold: float = 0.5) -> tuple[Support, str]:
    """(support function, its name for summary.json) as `eval run` uses them."""
    return overlap_support(threshold), SUPPORT_NAME.format(threshold=threshold)
