"""Benchmark: ingest throughput, per-stage query latency and memory at three sizes.

    python -m eval.bench --size 1      --work var/bench/1     --json var/bench/1.json
    python -m eval.bench --size 1000   --work var/bench/1000  --json var/bench/1000.json \
        --manpages-de DIR --manpages-en DIR --real-articles 30
    python -m eval.bench --size 100000 --work var/bench/100k  --json var/bench/100k.json \
        --manpages-de DIR --manpages-en DIR --real-articles 30

Size 1 is the project's article. Larger sizes add Debian manual pages, German and English
mixed (eval/benchcorpus.py says where they come from and their licences). The first
`--real-articles` are embedded with the real model (those figures are the ingest
throughput); the rest get vectors derived from real ones (eval/derived.py), labelled
"derived" in the output, so the store, the lexical index and the searches have the full
size while the embedding work stays what this machine can do. A built store is reused
(`--rebuild` starts over). Queries are the dev questions, answered against the store;
`--generative N` also answers N of them with the LLM. Prints a table, writes JSON.
Figures are noisy on shared cores: no assertion is made here.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_CHUNKS = {"1": 0, "1000": 0, "100000": 100_000}
ARTICLES = {"1": 1, "1000": 1000, "100000": 0}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of a non-empty list."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(percentile(values, 95), 1),
        "n": len(values),
    }


def _pages(args: argparse.Namespace) -> list[Any]:
    from eval.benchcorpus import interleave, man_pages

    german = list(man_pages(Path(args.manpages_de), "de", "manpages-de 4.18.1", "GPL-3+"))
    english = list(
        man_pages(
            Path(args.manpages_en),
            "en",
            "manpages/manpages-dev 6.03",
            "GPL-2+, BSD, Expat, Linux man-pages copyleft",
        )
    )
    return interleave(german, english)


def write_bench_corpus(args: argparse.Namespace, corpus: Path) -> None:
    """The project's article plus manual pages, as the size asks."""
    from eval.benchcorpus import write_corpus

    corpus.mkdir(parents=True, exist_ok=True)
    for path in (ROOT / "corpus").iterdir():
        shutil.copy(path, corpus / path.name)
    if args.size == "1":
        return
    pages = _pages(args)
    if args.size == "1000":
        write_corpus(pages, corpus, ARTICLES["1000"] - 1, max_chars=args.max_chars)
    else:  # whole pages, copies labelled, until the target chunk count is passed
        write_corpus(pages, corpus, args.pages_for_100k, max_chars=10**9)


def build_store(args: argparse.Namespace, settings: Any, real: Any) -> dict[str, Any]:
    """Ingest the bench corpus: a real subset first (timed), then derived vectors."""
    from eval.derived import DerivedEmbedding
    from index.ingest.corpus import read_corpus
    from index.wiring import build

    articles, problems = read_corpus(settings.corpus_dir)
    own = [a for a in articles if (ROOT / "corpus" / Path(a.path).name).exists()]
    rest = [a for a in articles if a not in own]
    real_set = own + rest[: args.real_articles if args.size != "1" else 0]
    derived_set = rest[len(real_set) - len(own) :]
    components = build(settings, embedder=real, with_llm=False)
    figures: dict[str, Any] = {"articles": len(articles), "skipped_files": len(problems)}
    mark = time.perf_counter()
    report = components.ingestor.sync(real_set, remove_missing=False)
    seconds = time.perf_counter() - mark
    chunks = components.store.chunks_of([a.doc_id for a in real_set])
    sentences = sum(
        len(components.ingestor.chunks(a))
        and sum(len(c.sentences) for c in components.ingestor.chunks(a))
        for a in real_set
    )
    figures["real"] = {
        "articles": len(real_set),
        "chunks": len(chunks),
        "sentences": sentences,
        "seconds": round(seconds, 1),
        "chunks_per_s": round(len(chunks) / seconds, 2) if seconds else None,
        "sentences_per_s": round(sentences / seconds, 2) if seconds else None,
        "chunks_written": report.chunks_written,
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(f"real ingest: {figures['real']}", flush=True)
    if derived_set:
        pool = components.store.chunks.get(include=["embeddings"], limit=5000)["embeddings"]
        derived = DerivedEmbedding([list(map(float, v)) for v in pool], real)
        fake = build(settings, embedder=derived, with_llm=False)
        mark = time.perf_counter()
        written = 0
        step = 200
        target = TARGET_CHUNKS[args.size]
        for start in range(0, len(derived_set), step):
            written += fake.ingestor.sync(
                derived_set[start : start + step], remove_missing=False
            ).chunks_written
            elapsed = time.perf_counter() - mark
            print(
                f"  derived ingest: {start + step} articles, {written} chunks, {elapsed:.0f} s",
                flush=True,
            )
            if target and components.store.count() >= target:
                break
        seconds = time.perf_counter() - mark
        figures["derived"] = {
            "chunks": written,
            "seconds": round(seconds, 1),
            "chunks_per_s_without_embedding": round(written / seconds, 1),
            "vectors": "derived from real ones (eval/derived.py)",
        }
    figures["store_chunks"] = components.store.count()
    return figures


def measure_queries(components: Any, questions: list[str]) -> dict[str, Any]:
    """Per-stage retrieval and answer latency over the questions (after one warm-up).

    The question-vector cache is off: every question is embedded, as a new one would be.
    """
    retriever = components.answerer.retriever
    retriever.vector_cache = 0
    components.answerer.answer("Wer ist Lisa Gürth?")
    stages: dict[str, list[float]] = {}
    for question in questions:
        retrieval = retriever.search(question, components.settings.top_k)
        for name, value in retrieval.timings_ms.items():
            stages.setdefault(f"retrieval.{name}", []).append(value)
        stages.setdefault("retrieval.total_ms", []).append(sum(retrieval.timings_ms.values()))
    for question in questions:
        answer = components.answerer.answer(question, mode="extractive")
        for name, value in answer.timings_ms.items():
            stages.setdefault(f"extractive.{name}", []).append(value)
    return {name: _summary(values) for name, values in stages.items()}


def measure_generative(components: Any, questions: list[str]) -> dict[str, Any]:
    """First token and total of generative answers."""
    stages: dict[str, list[float]] = {}
    for question in questions:
        answer = components.answerer.answer(question, mode="generative")
        for name, value in answer.timings_ms.items():
            stages.setdefault(f"generative.{name}", []).append(value)
    return {name: _summary(values) for name, values in stages.items()}


def print_table(result: dict[str, Any]) -> None:
    """The figures as a plain table."""
    print(
        f"\nsize {result['size']}: {result['store'].get('store_chunks')} chunks, "
        f"backend {result['backend']}, load {result['model_load_s']} s"
    )
    real = result["store"].get("real", {})
    if real.get("chunks_per_s"):
        print(
            f"ingest (real, {real['articles']} articles): {real['chunks_per_s']} chunks/s, "
            f"{real['sentences_per_s']} sentences/s, peak RSS {real['peak_rss_mb']} MB"
        )
    if "derived" in result["store"]:
        derived = result["store"]["derived"]
        print(
            f"ingest without embedding (derived vectors): "
            f"{derived['chunks_per_s_without_embedding']} chunks/s"
        )
    print(f"{'stage':40} {'p50 ms':>10} {'p95 ms':>10} {'n':>5}")
    for name, values in result["queries"].items():
        if values:
            print(f"{name:40} {values['p50']:>10} {values['p95']:>10} {values['n']:>5}")
    print(f"peak RSS {result['peak_rss_mb']} MB")


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the store for a size, measure, print, write JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m eval.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", choices=sorted(TARGET_CHUNKS), default="1")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--manpages-de", default="/tmp/manpages-de/usr/share/man/de")
    parser.add_argument("--manpages-en", default="/tmp/manpages-en/usr/share/man")
    parser.add_argument("--real-articles", type=int, default=30)
    parser.add_argument("--max-chars", type=int, default=4000)
    parser.add_argument("--pages-for-100k", type=int, default=9000)
    parser.add_argument("--questions", default=str(ROOT / "eval/questions/dev.jsonl"))
    parser.add_argument("--n", type=int, default=50, help="questions to time")
    parser.add_argument("--generative", type=int, default=0, help="generative answers to time")
    parser.add_argument("--backend", default="", help="NEWSRAG_EMBED_BACKEND for this run")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    from eval.questions import load_questions
    from index.settings import load_settings
    from index.wiring import build, build_embedder

    if args.rebuild and args.work.exists():
        shutil.rmtree(args.work)
    corpus = args.work / "corpus"
    fresh = not (args.work / "chroma").exists()
    if fresh:
        write_bench_corpus(args, corpus)
    overrides: dict[str, object] = {"chroma_path": args.work / "chroma", "corpus_dir": corpus}
    if args.backend:
        overrides["embed_backend"] = args.backend
    settings = load_settings(**overrides)
    mark = time.perf_counter()
    real = build_embedder(settings)
    load_s = round(time.perf_counter() - mark, 1)
    store_figures: dict[str, Any] = build_store(args, settings, real) if fresh else {"reused": True}
    components = build(settings, embedder=real, with_llm=args.generative > 0)
    store_figures.setdefault("store_chunks", components.store.count())
    questions = [item.question for item in load_questions(args.questions)][: args.n]
    queries = measure_queries(components, questions)
    if args.generative:
        queries.update(measure_generative(components, questions[: args.generative]))
    result = {
        "size": args.size,
        "backend": settings.embed_backend,
        "model_load_s": load_s,
        "torch_threads": settings.torch_threads,
        "store": store_figures,
        "queries": queries,
        "peak_rss_mb": round(peak_rss_mb()),
        "command": "python -m eval.bench " + " ".join(sys.argv[1:] if argv is None else argv),
    }
    print_table(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
