"""How the supported-sentence rate judges an answer.

Preferred: the product's own verifier (index.verify.Verifier: embedding similarity,
numbers, names and negation of each answer sentence against the sentences it cites),
so the evaluation measures what the answers issue promises. Fallback: the
embedding-free token-overlap verifier of eval.metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eval import metrics
from eval.scoring import Support


def overlap_support(threshold: float = 0.5) -> Support:
    """Claims (text up to citation markers) whose tokens mostly occur in the cited text."""
    verifier = metrics.overlap_verifier(threshold)

    def support(answer: Mapping[str, Any]) -> tuple[int, int]:
        return metrics.supported_claims(answer, verifier)

    return support


def _preambles() -> tuple[str, ...]:
    """The fixed openings of extractive answers ("Laut Artikel: "), from the templates."""
    from index.prompts import PromptError, Prompts

    try:
        prompts = Prompts()
        found = {prompts.render("extractive", lang, quotes="").strip() for lang in ("de", "en")}
    except PromptError:
        return ()
    return tuple(text for text in found if text)


def verifier_support(embedder: Any, min_similarity: float = 0.5) -> Support:
    """Sentences the product's verifier accepts against their citations.

    The extractive preamble is removed first (it is template text, not a claim), and the
    language check is off: language has its own metric.
    """
    from index.answer import Evidence
    from index.verify import Verifier

    verifier = Verifier(embedder, min_similarity=min_similarity, check_language=False)
    preambles = _preambles()

    def support(answer: Mapping[str, Any]) -> tuple[int, int]:
        if answer.get("abstained"):
            return 0, 0
        text = str(answer.get("answer", "")).strip()
        for preamble in preambles:
            if text.startswith(preamble):
                text = text[len(preamble):].strip()
        by_number = {int(c["n"]): c for c in answer.get("citations", [])}
        evidence = []
        for n in range(1, max(by_number, default=0) + 1):
            cited = by_number.get(n, {"doc_id": "", "section": "", "start": 0, "end": 0,
                                      "text": ""})
            evidence.append(Evidence(doc_id=cited["doc_id"], section=cited["section"],
                                     start=cited["start"], end=cited["end"],
                                     text=cited["text"], similarity=0.0, score=0.0,
                                     passage_rank=0))
        question = answer.get("standalone_question") or answer.get("question", "")
        result = verifier.verify(question, answer.get("language", "en"), text, evidence)
        return sum(check.supported for check in result.checks), len(result.checks)

    return support


def default_support(embedder: Any = None, min_similarity: float = 0.5) -> tuple[Support, str]:
    """(support function, its name): the product's verifier when available, else overlap."""
    if embedder is not None:
        try:
            return verifier_support(embedder, min_similarity), "index.verify.Verifier"
        except ImportError:
            pass
    return overlap_support(0.5), "token-overlap>=0.5"
