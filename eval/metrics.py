"""Evaluation metrics as small pure functions that check their inputs.

Answers, passages and citations are the plain dicts of the `ask --json` contract
(index.types.Answer.to_json). A rate over nothing is None ("not measured"), never a
made-up 0 or 1, so an empty group cannot pass a gate by accident.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from eval.text import token_overlap

Verifier = Callable[[str, Sequence[str]], bool]
"""Decides whether an answer sentence is supported by the texts it cites."""


class Span(NamedTuple):
    """A half-open character range [start, end) of one document."""

    doc_id: str
    start: int
    end: int


# --- gold spans -------------------------------------------------------------------------


def gold_spans(evidence: Sequence[str], documents: Mapping[str, str]) -> list[Span]:
    """Every occurrence of every evidence string in the documents.

    Raises ValueError naming the evidence string that occurs nowhere.
    """
    spans: list[Span] = []
    for text in evidence:
        if not isinstance(text, str) or not text:
            raise ValueError(f"evidence must be non-empty strings; got {text!r}")
        found = False
        for doc_id, source in documents.items():
            start = source.find(text)
            while start >= 0:
                spans.append(Span(doc_id, start, start + len(text)))
                found = True
                start = source.find(text, start + 1)
        if not found:
            raise ValueError(f"evidence not found in any document: {text[:80]!r}")
    return spans


def overlaps(doc_id: str, start: int, end: int, spans: Sequence[Span]) -> bool:
    """True when [start, end) of `doc_id` shares at least one character with a span."""
    if start > end:
        raise ValueError(f"start must not be after end; got [{start}, {end})")
    return any(span.doc_id == doc_id and start < span.end and span.start < end for span in spans)


def _span_of(value: Mapping[str, Any]) -> tuple[str, int, int]:
    try:
        return str(value["doc_id"]), int(value["start"]), int(value["end"])
    except (KeyError, TypeError, ValueError):
        raise ValueError(
            f"expected a passage or citation with doc_id, start and end; got {value!r}"
        ) from None


# --- retrieval --------------------------------------------------------------------------


def first_hit_rank(passages: Sequence[Mapping[str, Any]], spans: Sequence[Span]) -> int | None:
    """1-based position of the first passage overlapping a gold span; None if none does."""
    for position, passage in enumerate(passages, start=1):
        if overlaps(*_span_of(passage), spans):
            return position
    return None


def _check_ranks(ranks: Sequence[int | None]) -> None:
    for rank in ranks:
        if rank is not None and (not isinstance(rank, int) or rank < 1):
            raise ValueError(f"ranks must be positive integers or None; got {rank!r}")


def hit_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of items whose first hit is within the top k (None: no hit). None if empty."""
    if k < 1:
        raise ValueError(f"k must be at least 1; got {k}")
    _check_ranks(ranks)
    if not ranks:
        return None
    return sum(rank is not None and rank <= k for rank in ranks) / len(ranks)


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float | None:
    """Mean of 1/rank of the first hit (0 for no hit). None if empty."""
    _check_ranks(ranks)
    if not ranks:
        return None
    return sum(1.0 / rank for rank in ranks if rank is not None) / len(ranks)


# --- citations --------------------------------------------------------------------------


def cited_in_gold(citations: Sequence[Mapping[str, Any]], spans: Sequence[Span]) -> tuple[int, int]:
    """(citations overlapping a gold span, all citations) of one answer."""
    inside = sum(overlaps(*_span_of(citation), spans) for citation in citations)
    return inside, len(citations)


def citation_precision(counts: Sequence[tuple[int, int]]) -> float | None:
    """Cited spans that overlap gold evidence / all citations, pooled over items.

    `counts` holds one (overlapping, total) pair per item. None when nothing was cited.
    """
    for inside, total in counts:
        if not 0 <= inside <= total:
            raise ValueError(f"need 0 <= overlapping <= total; got ({inside}, {total})")
    total = sum(total for _, total in counts)
    return sum(inside for inside, _ in counts) / total if total else None


def rate(flags: Sequence[bool]) -> float | None:
    """Share of True values; None if empty."""
    if any(not isinstance(flag, bool) for flag in flags):
        raise ValueError(f"rate needs booleans; got {list(flags)!r}")
    return sum(flags) / len(flags) if flags else None


def citation_recall(covers: Sequence[bool]) -> float | None:
    """Share of answerable items whose citations overlap at least one gold span."""
    return rate(covers)


# --- facts ------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def contains_alternative(text: str, alternative: str) -> bool:
    """Case-insensitive match of `alternative` in `text`, not inside a longer word."""
    wanted = _normalise(alternative)
    if not wanted:
        raise ValueError("a fact alternative must not be empty")
    pattern = rf"(?<!\w){re.escape(wanted)}(?!\w)"
    return re.search(pattern, _normalise(text)) is not None


def facts_present(text: str, facts: Sequence[Sequence[str]]) -> bool:
    """True when `text` contains one alternative of every group of `facts`."""
    if not facts or any(not group for group in facts):
        raise ValueError(f"facts must be non-empty groups of alternatives; got {facts!r}")
    return all(
        any(contains_alternative(text, alternative) for alternative in group) for group in facts
    )


def fact_accuracy(correct: Sequence[bool]) -> float | None:
    """Share of answerable items whose answer contains all their facts."""
    return rate(correct)


def fact_accuracy_reader(correct: Sequence[bool | None]) -> float | None:
    """Share of answerable items whose answer holds every reader-language fact group.

    None entries (items without `facts_reader`) are not measured; None if none is.
    """
    return rate([flag for flag in correct if flag is not None])


# --- abstention -------------------------------------------------------------------------


def _check_pairs(abstained: Sequence[bool], answerable: Sequence[bool]) -> None:
    if len(abstained) != len(answerable):
        raise ValueError(
            f"abstained and answerable differ in length: {len(abstained)} != {len(answerable)}"
        )


def abstention_precision(abstained: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Refusals of unanswerable items / all refusals (refusing answerable items costs).

    None when nothing was refused.
    """
    _check_pairs(abstained, answerable)
    refused = [can for did, can in zip(abstained, answerable, strict=True) if did]
    return rate([not can for can in refused])


def abstention_recall(abstained: Sequence[bool], answerable: Sequence[bool]) -> float | None:
    """Unanswerable items that were refused / all unanswerable items. None if none."""
    _check_pairs(abstained, answerable)
    return rate([did for did, can in zip(abstained, answerable, strict=True) if not can])


# --- supported sentences ----------------------------------------------------------------

_MARKERS = re.compile(r"(?:\s*\[\d+\])+")
_WORDISH = re.compile(r"\w")


def answer_claims(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer cut into claims: each stretch of text ending in citation markers.

    "A [1]. B [2][3]. C" gives [("A", (1,)), ("B", (2, 3)), ("C", ())]; stretches
    without a letter or digit (a lone full stop) are dropped.
    """
    claims: list[tuple[str, tuple[int, ...]]] = []
    position = 0
    for match in _MARKERS.finditer(text):
        numbers = tuple(int(n) for n in re.findall(r"\d+", match.group()))
        claims.append((text[position : match.start()], numbers))
        position = match.end()
    claims.append((text[position:], ()))
    cleaned = [(piece.strip(" \t\n.,;:"), numbers) for piece, numbers in claims]
    return [(piece, numbers) for piece, numbers in cleaned if _WORDISH.search(piece)]


def overlap_verifier(threshold: float = 0.5) -> Verifier:
    """Eval's own claim check: supported when `eval.text.token_overlap` >= threshold.

    It compares words only (eval's tokenizer, no product code): a claim passes when at
    least `threshold` of its content words occur in the cited texts, which include the
    English rendering of a citation when the answer carries one.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1]; got {threshold}")

    def verify(sentence: str, cited: Sequence[str]) -> bool:
        return bool(cited) and token_overlap(sentence, tuple(cited)) >= threshold

    return verify


def cited_texts(citation: Mapping[str, Any]) -> list[str]:
    """The texts a citation vouches for: its article text and, if given, its rendering's.

    `rendering` is optional (older runs lack it) and may be null.
    """
    if "text" not in citation:
        raise ValueError(f"a citation needs its text; got {citation!r}")
    texts = [str(citation["text"])]
    rendering = citation.get("rendering")
    if isinstance(rendering, Mapping) and str(rendering.get("text") or "").strip():
        texts.append(str(rendering["text"]))
    return texts


def supported_claims(answer: Mapping[str, Any], verifier: Verifier) -> tuple[int, int]:
    """(supported claims, all claims) of one answer; (0, 0) for a refusal.

    A claim is supported when the verifier accepts it against the texts (and renderings)
    of the citations it names; a claim that names no citation (or an unknown number) is
    unsupported.
    """
    if answer.get("abstained"):
        return 0, 0
    by_number = {int(c["n"]): cited_texts(c) for c in answer.get("citations", [])}
    claims = answer_claims(str(answer.get("answer", "")))
    supported = 0
    for sentence, numbers in claims:
        if not numbers or any(n not in by_number for n in numbers):
            continue
        cited = [piece for n in numbers for piece in by_number[n]]
        if verifier(sentence, cited):
            supported += 1
    return supported, len(claims)


def supported_sentence_rate(counts: Sequence[tuple[int, int]]) -> float | None:
    """Supported claims / all claims, pooled over answers. None when there are none."""
    for supported, total in counts:
        if not 0 <= supported <= total:
            raise ValueError(f"need 0 <= supported <= total; got ({supported}, {total})")
    total = sum(total for _, total in counts)
    return sum(supported for supported, _ in counts) / total if total else None


# --- language and latency ---------------------------------------------------------------


def language_match(answer_languages: Sequence[str], item_languages: Sequence[str]) -> float | None:
    """Share of answers written in the item's language.

    `answer_languages` are detected on the answer texts (eval.text.detect_language),
    not taken from the product's own idea of the question's language.
    """
    if len(answer_languages) != len(item_languages):
        raise ValueError(
            "answer and item languages differ in length: "
            f"{len(answer_languages)} != {len(item_languages)}"
        )
    return rate([a == b for a, b in zip(answer_languages, item_languages, strict=True)])


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between ranks; None if empty."""
    if not 0 <= q <= 100:
        raise ValueError(f"q must be in [0, 100]; got {q}")
    if any(not isinstance(v, int | float) or math.isnan(v) or v < 0 for v in values):
        raise ValueError(f"latencies must be non-negative numbers; got {list(values)!r}")
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
