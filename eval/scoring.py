"""From one item and its answer to per-item scores, and from those to the summary metrics.

Per-item scores are plain JSON values stored in results.jsonl, so report, compare and
gate work from the files alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from eval import metrics, text
from eval.questions import Item
from eval.text import Detector

METRICS = (
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr",
    "citation_precision",
    "citation_recall",
    "fact_accuracy",
    "fact_accuracy_reader",
    "abstention_precision",
    "abstention_recall",
    "supported_sentence_rate",
    "language_match",
    "latency_p50_ms",
    "latency_p95_ms",
)
"""Summary metrics, in report order. Latencies are better when lower, the rest higher."""

LOWER_IS_BETTER = frozenset({"latency_p50_ms", "latency_p95_ms", "errors"})

Support = Callable[[Mapping[str, Any]], tuple[int, int]]
"""(supported sentences, all sentences) of one answer JSON; (0, 0) for a refusal."""


def answer_language(answer: Mapping[str, Any], detector: Detector) -> str | None:
    """The language detected on the answer text (markers stripped); None without letters."""
    try:
        return detector(text.strip_markers(str(answer.get("answer", ""))))
    except ValueError:
        return None


def score_item(
    item: Item,
    answer: Mapping[str, Any] | None,
    documents: Mapping[str, str],
    support: Support,
    error: str = "",
    detector: Detector | None = None,
) -> dict[str, Any]:
    """The scores of one item's answer (the last turn). `answer` is None after an error.

    `detector` tells the language of the answer text (default: eval.text.detect_language).
    """
    detector = detector or text.detect_language
    scores: dict[str, Any] = {
        "lang": item.lang,
        "answerable": item.answerable,
        "error": error or None,
    }
    if answer is None:
        scores.update(
            abstained=False,
            abstention_ok=False,
            answer_language=None,
            language_ok=False,
            total_ms=None,
            supported=0,
            claims=0,
        )
        if item.answerable:
            scores.update(
                hit_rank=None,
                facts_ok=False,
                cited_gold=0,
                cited=0,
                citation_covers=False,
                facts_reader_ok=False if item.facts_reader else None,
            )
        return scores
    abstained = bool(answer["abstained"])
    supported, claims = support(answer)
    total_ms = answer.get("timings_ms", {}).get("total_ms")
    detected = answer_language(answer, detector)
    scores.update(
        abstained=abstained,
        abstention_ok=abstained != item.answerable,
        answer_language=detected,
        language_ok=detected == item.lang,
        total_ms=float(total_ms) if total_ms is not None else None,
        supported=supported,
        claims=claims,
    )
    if item.answerable:
        spans = metrics.gold_spans(item.evidence, documents)
        inside, cited = metrics.cited_in_gold(answer["citations"], spans)
        reader_ok = (
            metrics.facts_present(answer["answer"], item.facts_reader)
            if item.facts_reader
            else None
        )
        scores.update(
            hit_rank=metrics.first_hit_rank(answer["passages"], spans),
            facts_ok=metrics.facts_present(answer["answer"], item.facts),
            facts_reader_ok=reader_ok,
            cited_gold=inside,
            cited=cited,
            citation_covers=inside > 0,
        )
    return scores


def summarize(scores: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """All metrics over a list of per-item scores (None where nothing was measured)."""
    answerable = [s for s in scores if s["answerable"]]
    ranks = [s["hit_rank"] for s in answerable]
    latencies = [s["total_ms"] for s in scores if s["total_ms"] is not None]
    abstained = [s["abstained"] for s in scores]
    can = [s["answerable"] for s in scores]
    result: dict[str, Any] = {
        "hit@1": metrics.hit_at_k(ranks, 1),
        "hit@3": metrics.hit_at_k(ranks, 3),
        "hit@5": metrics.hit_at_k(ranks, 5),
        "mrr": metrics.mean_reciprocal_rank(ranks),
        "citation_precision": metrics.citation_precision(
            [(s["cited_gold"], s["cited"]) for s in answerable]
        ),
        "citation_recall": metrics.citation_recall([s["citation_covers"] for s in answerable]),
        "fact_accuracy": metrics.fact_accuracy([s["facts_ok"] for s in answerable]),
        "fact_accuracy_reader": metrics.fact_accuracy_reader(
            [s.get("facts_reader_ok") for s in answerable]
        ),
        "abstention_precision": metrics.abstention_precision(abstained, can),
        "abstention_recall": metrics.abstention_recall(abstained, can),
        "supported_sentence_rate": metrics.supported_sentence_rate(
            [(s["supported"], s["claims"]) for s in scores]
        ),
        "language_match": metrics.language_match(
            [s.get("answer_language") or "" for s in scores], [s["lang"] for s in scores]
        ),
        "latency_p50_ms": metrics.percentile(latencies, 50),
        "latency_p95_ms": metrics.percentile(latencies, 95),
        "items": len(scores),
        "answerable": len(answerable),
        "unanswerable": len(scores) - len(answerable),
        "errors": sum(bool(s.get("error")) for s in scores),
    }
    return {
        key: round(value, 4) if isinstance(value, float) else value for key, value in result.items()
    }


def summarize_by_language(scores: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """summarize() for each language that occurs, keyed by language."""
    languages = sorted({s["lang"] for s in scores})
    return {lang: summarize([s for s in scores if s["lang"] == lang]) for lang in languages}


def item_quality(scores: Mapping[str, Any]) -> float:
    """One number in [0, 1] per item, for ranking the worst items and comparing runs.

    Unanswerable: 1 when refused, else 0. Answerable: the mean of reciprocal hit rank,
    facts found, citations in gold evidence, supported-claim share, not refusing, and
    (where measured) reader-language facts found and the answer in the item's language.
    """
    if scores.get("error"):
        return 0.0
    if not scores["answerable"]:
        return 1.0 if scores["abstained"] else 0.0
    rank = scores["hit_rank"]
    claims = scores["claims"]
    parts = [
        1.0 / rank if rank else 0.0,
        float(scores["facts_ok"]),
        float(scores["citation_covers"]),
        scores["supported"] / claims if claims else 0.0,
        0.0 if scores["abstained"] else 1.0,
    ]
    if scores.get("facts_reader_ok") is not None:
        parts.append(float(scores["facts_reader_ok"]))
    if "answer_language" in scores:  # older runs did not detect it
        parts.append(float(scores["language_ok"]))
    return sum(parts) / len(parts)
