"""Latency of the two answer modes: time to first token and total, p50 over a few questions.

    python scripts/bench_llm.py [--repeat 1] [--questions FILE] [--json]

Uses the configured settings (NEWSRAG_*), the real embedder and the configured LLM, on a
throw-away index of the corpus. The first generative answer loads the model and reads
the constant prompt prefix cold: it is reported apart ("cold") and left out of the p50.
Run it on a quiet machine: another busy process on 2 cores slows llama.cpp severalfold.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUESTIONS = (
    "Does Belarus enter the war?",
    "How many Russian soldiers could serve in the joint military unit?",
    "Wer hat Putin in Minsk auf dem roten Teppich begrüßt?",
    "What position does Lisa Gürth hold?",
    "Wovon ist Belarus wirtschaftlich abhängig?",
    "What is the capital of France?",
)


def _p50(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _components(chroma: Path) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from index.settings import load_settings
    from index.wiring import build

    settings = load_settings(chroma_path=chroma)
    components = build(settings, with_llm=True)
    components.ingestor.ingest_folder(settings.corpus_dir)
    return components


def _ask(components: Any, question: str, mode: str) -> dict[str, Any]:
    started = time.perf_counter()
    first = None
    final = None
    for event in components.answerer.stream(question, mode=mode):
        if isinstance(event, str):
            if first is None:
                first = (time.perf_counter() - started) * 1000
        else:
            final = event
    total = (time.perf_counter() - started) * 1000
    assert final is not None
    # Without streamed tokens (extractive, refusal) the whole answer is the first token.
    return {
        "question": question,
        "mode": mode,
        "first_ms": first if first is not None else total,
        "total_ms": total,
        "llm_first_token_ms": final.timings_ms.get("first_token_ms"),
        "abstained": final.abstained,
        "answer": final.answer,
    }


def run(questions: list[str], repeat: int) -> dict[str, Any]:
    """Ask every question `repeat` times in both modes; return all rows and the p50s."""
    with tempfile.TemporaryDirectory() as folder:
        components = _components(Path(folder) / "chroma")
        cold = _ask(components, questions[0], "generative")
        rows = [
            _ask(components, q, mode)
            for _ in range(repeat)
            for q in questions
            for mode in ("generative", "extractive")
        ]
    summary = {}
    for mode in ("generative", "extractive"):
        mine = [row for row in rows if row["mode"] == mode]
        answered = [row for row in mine if not row["abstained"]]
        summary[mode] = {
            "questions": len(mine),
            "first_token_p50_ms": round(_p50([r["first_ms"] for r in answered]), 1),
            "total_p50_ms": round(_p50([r["total_ms"] for r in answered]), 1),
            "refusal_total_p50_ms": round(_p50([r["total_ms"] for r in mine if r["abstained"]]), 1),
        }
    return {"cold": cold, "rows": rows, "summary": summary}


def main(argv: list[str] | None = None) -> int:
    """Print per-question figures and the p50 per mode."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--questions", type=Path, help="one question per line")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.repeat <= 0:
        parser.error(f"--repeat must be greater than 0; got {args.repeat}")
    questions = (
        list(QUESTIONS)
        if args.questions is None
        else [line.strip() for line in args.questions.read_text().splitlines() if line.strip()]
    )
    if not questions:
        parser.error("no questions")
    result = run(questions, args.repeat)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    cold = result["cold"]
    print(
        f"cold (model load + first prompt): first token {cold['first_ms']:.0f} ms, "
        f"total {cold['total_ms']:.0f} ms"
    )
    for row in result["rows"]:
        print(
            f"{row['mode']:<10} first {row['first_ms']:7.0f} ms  total {row['total_ms']:7.0f} ms"
            f"  {'refused' if row['abstained'] else 'answered'}  {row['question']}"
        )
    for mode, figures in result["summary"].items():
        print(
            f"{mode:<10} p50 first token {figures['first_token_p50_ms']:.0f} ms, total "
            f"{figures['total_p50_ms']:.0f} ms (answered); refusals "
            f"{figures['refusal_total_p50_ms']:.0f} ms; n={figures['questions']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
