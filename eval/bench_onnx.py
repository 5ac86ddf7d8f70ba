"""ONNX Runtime against torch for the embedding model: same vectors? faster?

    python -m eval.bench_onnx [--rounds 3] [--questions 30] [--json FILE]

Loads EmbeddingGemma with sentence-transformers (torch, fp32), its ONNX export (made on
first use by index/models/onnx_embedder.py, as the `onnx` backend does) and a dynamic
int8 quantisation of that export (onnxruntime.quantization, written to var/bench/onnx/).

Agreement: cosine of each ONNX vector with the torch vector of the same text, over the
project article's chunk and sentence texts (document prompt) and the first dev
questions (query prompt); min and mean.

Speed: in every round, at 1 and at 2 threads (torch.set_num_threads / onnxruntime
intra_op_num_threads), torch, onnx and onnx-int8 one after another, so a neighbour's
load on the shared cores falls on all alike: one short question (median of 5 calls) and
one batch of the article's chunks plus sentences (ingest). Medians over rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Wer hat Putin in Minsk begrüßt?"


def _article_texts(count: Callable[[str], int]) -> tuple[list[str], list[str]]:
    from index.ingest.chunking import punkt_splitter
    from index.ingest.corpus import read_corpus
    from index.ingest.pipeline import Ingestor

    articles, _ = read_corpus(ROOT / "corpus")
    ingestor = Ingestor(None, None, punkt_splitter, count, 128)  # type: ignore[arg-type]
    chunks = [chunk for article in articles for chunk in ingestor.chunks(article)]
    return (
        [chunk.embedding_text() for chunk in chunks],
        [sentence.text for chunk in chunks for sentence in chunk.sentences],
    )


def _questions(limit: int) -> list[str]:
    lines = (ROOT / "eval/questions/dev.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    return [item["question"] for item in items if "question" in item][:limit]


def _agreement(reference: np.ndarray, other: np.ndarray) -> dict[str, float]:
    cosines = np.sum(reference * other, axis=1)
    return {"min": round(float(cosines.min()), 6), "mean": round(float(cosines.mean()), 6)}


def main(argv: list[str] | None = None) -> int:
    """Check agreement, then measure every backend at 1 and 2 threads for a few rounds."""
    parser = argparse.ArgumentParser(prog="python -m eval.bench_onnx")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--work", type=Path, default=ROOT / "var/bench/onnx")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    from index.models.embedder import resolve_embed_model
    from index.models.onnx_embedder import (
        ONNX_FILE,
        OnnxSentenceModel,
        load_onnx_model,
        onnx_dir,
        onnx_session,
    )
    from index.settings import load_settings

    cache_dir = load_settings().cache_dir
    target = resolve_embed_model("", cache_dir)
    torch_model = SentenceTransformer(target, device="cpu", local_files_only=True)
    fp32 = load_onnx_model(target, True, cache_dir, threads=1)
    int8_path = args.work / "model-int8.onnx"
    if not int8_path.is_file():
        args.work.mkdir(parents=True, exist_ok=True)
        mark = time.perf_counter()
        quantize_dynamic(
            onnx_dir(target, cache_dir) / ONNX_FILE, int8_path, weight_type=QuantType.QInt8
        )
        print(f"int8 quantisation: {time.perf_counter() - mark:.0f} s", flush=True)

    def tokens(text: str) -> int:
        return len(torch_model.tokenizer(text, add_special_tokens=False)["input_ids"])

    chunk_texts, sentence_texts = _article_texts(tokens)
    ingest_texts = chunk_texts + sentence_texts
    questions = _questions(args.questions)

    models: dict[str, dict[int, Any]] = {"torch": {1: torch_model, 2: torch_model}}
    models["onnx"] = {
        threads: OnnxSentenceModel(
            onnx_session(onnx_dir(target, cache_dir) / ONNX_FILE, threads),
            fp32.tokenizer,
            fp32.prompts,
            fp32.max_seq_length,
        )
        for threads in (1, 2)
    }
    models["onnx-int8"] = {
        threads: OnnxSentenceModel(
            onnx_session(int8_path, threads), fp32.tokenizer, fp32.prompts, fp32.max_seq_length
        )
        for threads in (1, 2)
    }

    def encode(name: str, threads: int, texts: list[str], prompt: str) -> np.ndarray:
        torch.set_num_threads(threads)
        return np.asarray(
            models[name][threads].encode(
                texts,
                prompt_name=prompt,
                normalize_embeddings=True,
                batch_size=16,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        )

    result: dict[str, Any] = {
        "texts": {
            "chunks": len(chunk_texts),
            "sentences": len(sentence_texts),
            "questions": len(questions),
        },
        "agreement_with_torch": {},
    }
    reference = {
        "document": encode("torch", 2, ingest_texts, "document"),
        "query": encode("torch", 2, questions, "query"),
    }
    for name in ("onnx", "onnx-int8"):
        result["agreement_with_torch"][name] = {
            prompt: _agreement(vectors, encode(name, 2, texts, prompt))
            for prompt, texts, vectors in (
                ("document", ingest_texts, reference["document"]),
                ("query", questions, reference["query"]),
            )
        }
        print(f"cosine to torch, {name}: {result['agreement_with_torch'][name]}", flush=True)

    query_ms: dict[str, list[float]] = {}
    ingest_s: dict[str, list[float]] = {}
    for number in range(args.rounds):
        for threads in (1, 2):
            for name in models:
                key = f"{name}, {threads} thread{'s' if threads > 1 else ''}"
                encode(name, threads, [QUESTION], "query")  # warm-up at this setting
                calls = []
                for _ in range(5):
                    mark = time.perf_counter()
                    encode(name, threads, [QUESTION], "query")
                    calls.append((time.perf_counter() - mark) * 1000)
                query_ms.setdefault(key, []).append(statistics.median(calls))
                mark = time.perf_counter()
                encode(name, threads, ingest_texts, "document")
                ingest_s.setdefault(key, []).append(time.perf_counter() - mark)
                print(
                    f"round {number + 1}: {key}: query {query_ms[key][-1]:.0f} ms, "
                    f"ingest {ingest_s[key][-1]:.1f} s",
                    flush=True,
                )
    result["options"] = {}
    print(f"\nquery: one short question; ingest: {len(ingest_texts)} texts")
    for key, values in query_ms.items():
        seconds = statistics.median(ingest_s[key])
        result["options"][key] = {
            "query_ms_median": round(statistics.median(values), 1),
            "ingest_s_median": round(seconds, 2),
            "ingest_texts_per_s": round(len(ingest_texts) / seconds, 2),
            "query_ms": [round(value, 1) for value in values],
            "ingest_s": [round(value, 2) for value in ingest_s[key]],
        }
        print(
            f"{key:22} query {statistics.median(values):6.0f} ms   "
            f"ingest {len(ingest_texts) / seconds:5.1f} texts/s"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
