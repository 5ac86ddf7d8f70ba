"""Embedding throughput of the ingest options, measured side by side.

    python -m eval.bench_embed [--rounds 3] [--json FILE]

Embeds the project article's chunk and sentence texts (what an ingest embeds) under each
option, option after option in every round, so a neighbour's load on the shared cores
falls on all options alike; prints texts/s and chunks/s (chunks plus their sentences)
per option, median over rounds. Options: torch threads 1 vs 2; chunks and sentences
embedded in separate calls vs one length-sorted, deduplicated call; fp32 vs dynamic int8.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> tuple[list[str], list[str]]:
    from index.ingest.chunking import punkt_splitter
    from index.ingest.corpus import read_corpus
    from index.ingest.pipeline import Ingestor
    from index.settings import load_settings
    from index.wiring import build_embedder

    articles, _ = read_corpus(ROOT / "corpus")
    embedder = build_embedder(load_settings())
    count = getattr(embedder, "count_tokens", len)
    ingestor = Ingestor(None, embedder, punkt_splitter, count, 128)  # type: ignore[arg-type]
    chunks = [chunk for article in articles for chunk in ingestor.chunks(article)]
    return (
        [chunk.embedding_text() for chunk in chunks],
        [sentence.text for chunk in chunks for sentence in chunk.sentences],
    )


def _encode(model: Any, texts: list[str], threads: int) -> None:
    import torch

    torch.set_num_threads(threads)
    model.encode(
        texts,
        prompt_name="document",
        normalize_embeddings=True,
        batch_size=16,
        show_progress_bar=False,
    )


def main(argv: list[str] | None = None) -> int:
    """Measure every option for a few rounds; print and write the medians."""
    parser = argparse.ArgumentParser(prog="python -m eval.bench_embed")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    from index.models.embedder import quantize_int8, resolve_embed_model
    from index.settings import load_settings

    chunk_texts, sentence_texts = _texts()
    target = resolve_embed_model("", load_settings().cache_dir)
    fp32 = SentenceTransformer(target, device="cpu", local_files_only=True)
    int8 = quantize_int8(SentenceTransformer(target, device="cpu", local_files_only=True))
    combined = list(dict.fromkeys(chunk_texts + sentence_texts))

    def separate(model: Any, threads: int) -> None:
        _encode(model, chunk_texts, threads)
        _encode(model, sentence_texts, threads)

    options = {
        "fp32, 1 thread, separate calls": lambda: separate(fp32, 1),
        "fp32, 2 threads, separate calls": lambda: separate(fp32, 2),
        "fp32, 2 threads, one sorted deduplicated call": lambda: _encode(fp32, combined, 2),
        "int8, 2 threads, one sorted deduplicated call": lambda: _encode(int8, combined, 2),
    }
    _encode(fp32, chunk_texts[:4], 2)  # warm-up
    _encode(int8, chunk_texts[:4], 2)
    seconds: dict[str, list[float]] = {name: [] for name in options}
    for number in range(args.rounds):
        for name, run in options.items():
            mark = time.perf_counter()
            run()
            seconds[name].append(time.perf_counter() - mark)
            print(f"round {number + 1}: {name}: {seconds[name][-1]:.1f} s", flush=True)
    result: dict[str, Any] = {
        "chunks": len(chunk_texts),
        "sentences": len(sentence_texts),
        "distinct_texts": len(combined),
        "options": {},
    }
    print(
        f"\n{len(chunk_texts)} chunks + {len(sentence_texts)} sentences "
        f"({len(combined)} distinct texts)"
    )
    for name, values in seconds.items():
        median = statistics.median(values)
        chunks_per_s = len(chunk_texts) / median
        result["options"][name] = {
            "seconds_median": round(median, 2),
            "chunks_per_s_incl_sentences": round(chunks_per_s, 2),
            "seconds": [round(v, 2) for v in values],
        }
        print(f"{name:50} {median:6.1f} s  {chunks_per_s:5.2f} chunks/s incl. sentences")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
