"""Benchmark: model load, ingest and query latency, printed as figures (no assertions).

    .venv/bin/python scripts/bench.py [--questions eval/questions/dev.jsonl] [--n 20]
        [--mode extractive|generative] [--threads N]

Ingests corpus/ into a fresh temporary Chroma (so ingest is measured from nothing),
re-ingests to show the idempotent path, then answers N questions and prints p50/p95.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    from eval.questions import load_questions
    from index.settings import load_settings
    from index.wiring import build, build_embedder

    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default=str(ROOT / "eval/questions/dev.jsonl"))
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--mode", choices=["extractive", "generative"], default="extractive")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch threads (default: the NEWSRAG_TORCH_THREADS setting)",
    )
    args = parser.parse_args()
    questions = [item.question for item in load_questions(args.questions)][: args.n]

    with tempfile.TemporaryDirectory() as folder:
        overrides: dict[str, object] = {
            "chroma_path": Path(folder) / "chroma",
            "corpus_dir": ROOT / "corpus",
            "mode": args.mode,
        }
        if args.threads is not None:
            overrides["torch_threads"] = args.threads
        settings = load_settings(**overrides)
        mark = time.perf_counter()
        embedder = build_embedder(settings)
        load_s = time.perf_counter() - mark
        components = build(settings, embedder=embedder, with_llm=args.mode == "generative")
        mark = time.perf_counter()
        report = components.ingestor.ingest_folder(settings.corpus_dir)
        ingest_s = time.perf_counter() - mark
        mark = time.perf_counter()
        again = components.ingestor.ingest_folder(settings.corpus_dir)
        reingest_s = time.perf_counter() - mark

        components.answerer.answer("Warm-up: Wer ist Lisa Gürth?")
        totals, retrieves = [], []
        for question in questions:
            answer = components.answerer.answer(question)
            totals.append(answer.timings_ms["total_ms"])
            retrieves.append(answer.timings_ms["retrieve_ms"])
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"torch threads            {settings.torch_threads}")
    print(f"embedding model load     {load_s:6.1f} s")
    print(f"ingest (fresh)           {ingest_s:6.1f} s  ({report.chunks_written} chunks)")
    print(f"ingest (unchanged)       {reingest_s:6.2f} s  ({again.chunks_written} chunks written)")
    print(f"{args.mode} answer, {len(totals)} questions:")
    print(
        f"  total   p50 {statistics.median(totals):7.0f} ms   p95 {_percentile(totals, 95):7.0f} ms"
    )
    print(f"  retrieve p50 {statistics.median(retrieves):6.0f} ms")
    print(f"peak RSS                 {rss_mb:6.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
