"""Runs a question set through the app's own answerer and writes results and summary.

Follow-up items ("turns") are asked turn by turn with the conversation as history,
exactly as the chat page does; only the last turn is scored.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from eval.questions import Item, check_evidence, load_questions
from eval.runfiles import write_run
from eval.scoring import Support, score_item, summarize, summarize_by_language
from eval.support import default_support, overlap_support
from eval.text import Detector
from index.types import Answer, Turn


class AnswererLike(Protocol):
    """What the runner needs of the product's answerer."""

    def answer(
        self,
        question: str,
        history: Sequence[Turn] = (),
        top_k: int | None = None,
        mode: str | None = None,
    ) -> Answer: ...


def ask_item(
    answerer: AnswererLike, item: Item, mode: str | None = None, top_k: int | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Ask every turn of an item; return the last answer's JSON and the earlier answers'."""
    history: list[Turn] = []
    earlier: list[dict[str, Any]] = []
    for turn in item.history:
        answer = answerer.answer(turn, history=tuple(history), top_k=top_k, mode=mode)
        earlier.append(answer.to_json())
        history += [Turn(role="user", content=turn), Turn(role="assistant", content=answer.answer)]
    final = answerer.answer(item.question, history=tuple(history), top_k=top_k, mode=mode)
    return final.to_json(), earlier


def evaluate(
    answerer: AnswererLike,
    items: Sequence[Item],
    documents: Mapping[str, str],
    mode: str | None = None,
    top_k: int | None = None,
    support: Support | None = None,
    progress: bool = True,
    detector: Detector | None = None,
) -> list[dict[str, Any]]:
    """One result record per item: the question, the full answer JSON and its scores.

    An exception while answering is recorded on the item (and counted as an error in
    the summary) so one bad item does not lose the whole run. `support` and `detector`
    default to eval's own claim check and language detector.
    """
    from tqdm import tqdm

    support = support or overlap_support()
    records = []
    for item in tqdm(items, desc="eval", unit="item", disable=not progress):
        answer: dict[str, Any] | None = None
        earlier: list[dict[str, Any]] = []
        error = ""
        try:
            answer, earlier = ask_item(answerer, item, mode, top_k)
        except Exception as exc:  # recorded and counted, see the docstring
            error = f"{type(exc).__name__}: {exc}"
        record: dict[str, Any] = {
            "id": item.id,
            "lang": item.lang,
            "answerable": item.answerable,
            "question": item.question,
            "turns": list(item.turns),
            "answer": answer,
            "earlier": [
                {
                    "question": a["question"],
                    "answer": a["answer"],
                    "standalone_question": a["standalone_question"],
                }
                for a in earlier
            ],
            "facts": [list(group) for group in item.facts],
            "facts_reader": [list(group) for group in item.facts_reader],
            "evidence": list(item.evidence),
            "scores": score_item(item, answer, documents, support, error, detector),
        }
        records.append(record)
    return records


def build_summary(records: Sequence[Mapping[str, Any]], run: Mapping[str, Any]) -> dict[str, Any]:
    """summary.json: run details, overall metrics and metrics per language."""
    scores = [record["scores"] for record in records]
    return {
        "run": dict(run),
        "metrics": summarize(scores),
        "by_lang": summarize_by_language(scores),
    }


def run_items(
    components: Any,
    items: Sequence[Item],
    out: Path,
    mode: str | None = None,
    top_k: int | None = None,
    questions: str = "",
    progress: bool = True,
    report: bool = True,
) -> dict[str, Any]:
    """The core of `eval run` on built components: check, answer, score, write, report."""
    documents = components.store.documents()
    check_evidence(items, documents, questions or "<questions>")
    settings = components.settings
    support, support_name = default_support()
    started = time.perf_counter()
    records = evaluate(components.answerer, items, documents, mode, top_k, support, progress)
    run = {
        "questions": questions,
        "items": len(items),
        "mode": mode or settings.mode,
        "top_k": top_k or settings.top_k,
        "answer_modes": sorted({r["answer"]["mode"] for r in records if r["answer"]}),
        "embed_model": settings.embed_model or "default",
        "chunk_tokens": settings.chunk_tokens,
        "abstain_threshold": settings.abstain_threshold,
        "support_check": support_name,
        "language_detector": "py3langid (de, en)",
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - started, 1),
    }
    summary = build_summary(records, run)
    write_run(out, records, summary)
    if report:
        from eval.report import write_report

        write_report(out)
    return summary


def build_components(mode: str | None = None, **overrides: object) -> Any:
    """The real pipeline from settings (as the app builds it), index ensured."""
    from index.settings import load_settings
    from index.wiring import build, ensure_index, prerender, warm_up

    if mode:
        overrides["mode"] = mode
    settings = load_settings(**overrides)
    components = build(settings)
    ensure_index(components)
    # As the page does after start-up: answers read cached renderings, and for generative
    # runs the LLM is loaded and has read its constant prompts (the page's warm-up).
    if (mode or settings.mode) == "generative":
        warm_up(components)
    else:
        prerender(components)
    return components


def run(
    questions: Path | str,
    out: Path | str,
    mode: str | None = None,
    top_k: int | None = None,
    progress: bool = True,
    limit: int | None = None,
) -> dict[str, Any]:
    """`eval run`: load the question set, build the real pipeline, evaluate, write.

    `limit` keeps the first N items (CI's generative gate, which costs seconds per item).
    """
    items = load_questions(questions)
    if top_k is not None and top_k <= 0:
        raise ValueError(f"--top-k must be greater than 0; got {top_k}")
    if limit is not None:
        if limit <= 0:
            raise ValueError(f"--limit must be greater than 0; got {limit}")
        items = items[:limit]
    components = build_components(mode)
    return run_items(components, items, Path(out), mode, top_k, str(questions), progress)
