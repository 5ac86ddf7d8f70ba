"""Load test: N concurrent readers through gradio_client against W app workers.

    python -m eval.load --workers 2 --readers 20 --per-reader 5 --work var/load

Starts one Chroma server (`chroma run`) and W workers (`python app.py serve`) on
127.0.0.1 sharing it and one lexical index file, builds the index once
(`python app.py ingest` against the server), waits until every worker answers, then lets
the readers ask dev questions (extractive, through the `/ask` API), reader i on worker
i mod W. Prints p50/p95 latency, errors and memory per worker, writes JSON; stops
exactly the processes it started. `--urls` points it at workers already running instead.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from eval.bench import percentile
from eval.procs import (
    api_client,
    environment,
    free_port,
    rss_mb,
    start_chroma,
    start_worker,
    stop,
    wait_healthy,
)

ROOT = Path(__file__).resolve().parent.parent


def wait_ready(url: str, timeout: float, started: float) -> dict[str, float]:
    """Seconds from `started` (its launch) until the worker at `url` is Ready and warm;
    then it answers one question.

    The readers start once the worker's warm-up behind Ready has ended (`/healthz?warm=
    true`, the load balancer's probe in the README): this measures answering under load,
    not the loads of a starting worker (`python -m eval.cold` measures those).
    """
    ready = wait_healthy(url, timeout, started)
    warm = wait_healthy(url, timeout, started, warm=True)
    api_client(url).predict("Wer ist Lisa Gürth?", 0, "extractive", api_name="/ask")
    return {"ready_s": round(ready, 1), "warm_s": round(warm, 1)}


def run_readers(
    urls: list[str], questions: list[str], readers: int, per_reader: int, mode: str = "extractive"
) -> dict[str, Any]:
    """Readers ask at once; latency of every answer and every error."""
    clients = [api_client(urls[i % len(urls)]) for i in range(readers)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(readers)

    def reader(index: int) -> None:
        barrier.wait()
        for number in range(per_reader):
            question = questions[(index * per_reader + number) % len(questions)]
            mark = time.perf_counter()
            try:
                result = clients[index].predict(question, 0, mode, api_name="/ask")
                if not isinstance(result, dict) or "answer" not in result:
                    raise ValueError(f"unexpected reply {str(result)[:80]}")
                with lock:
                    latencies.append(time.perf_counter() - mark)
            except Exception as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {str(error)[:160]}")

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    mark = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - mark
    return {
        "answers": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "p50_s": round(percentile(latencies, 50), 3) if latencies else None,
        "p95_s": round(percentile(latencies, 95), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "wall_s": round(wall, 1),
        "answers_per_s": round(len(latencies) / wall, 2) if wall else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Start the set-up (or use --urls), run the readers, print and write the figures."""
    parser = argparse.ArgumentParser(
        prog="python -m eval.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--per-reader", type=int, default=5)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "load")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--questions", default=str(ROOT / "eval/questions/dev.jsonl"))
    parser.add_argument("--urls", nargs="*", default=[], help="workers already running")
    parser.add_argument("--ready-timeout", type=float, default=300)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    for name in ("workers", "readers", "per_reader"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be greater than 0")

    from eval.questions import load_questions

    questions = [item.question for item in load_questions(args.questions)]
    args.work.mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []
    workers: list[subprocess.Popen[bytes]] = []
    result: dict[str, Any] = {
        "workers": args.workers,
        "readers": args.readers,
        "per_reader": args.per_reader,
    }
    try:
        urls = list(args.urls)
        launched = time.monotonic()  # workers already running: from now
        if not urls:
            chroma_port = free_port()
            started.append(
                start_chroma(args.work / "chroma", chroma_port, args.work / "chroma.log")
            )
            env = {
                "NEWSRAG_CHROMA_HOST": "127.0.0.1",
                "NEWSRAG_CHROMA_PORT": str(chroma_port),
                "NEWSRAG_CORPUS_DIR": str(args.corpus),
                "NEWSRAG_LEXICAL_PATH": str(args.work / "lexical.sqlite"),
                "NEWSRAG_FEEDBACK_PATH": str(args.work / "feedback.jsonl"),
                # The load test measures answering, not translating: no LLM renderings
                # (pre-rendering the article takes minutes on 2 cores; see README).
                "NEWSRAG_RENDER_TRANSLATIONS": "false",
                # Workers share one LLM server in this set-up (README); none is started here,
                # so no worker loads 1 GB of LLM weights it would not use.
                "NEWSRAG_LLM_BACKEND": "openai",
            }
            mark = time.monotonic()
            subprocess.run(
                [sys.executable, str(ROOT / "app.py"), "ingest", "--no-render"],
                cwd=str(ROOT),
                env=environment(env),
                check=True,
                capture_output=True,
            )
            result["ingest_s"] = round(time.monotonic() - mark, 1)
            launched = time.monotonic()
            for _ in range(args.workers):
                port = free_port()
                worker = start_worker(port, env, args.work / f"worker-{port}.log")
                started.append(worker)
                workers.append(worker)
                urls.append(f"http://127.0.0.1:{port}/")
        started_at = [wait_ready(url, args.ready_timeout, launched) for url in urls]
        result["ready_s"] = [times["ready_s"] for times in started_at]
        result["warm_s"] = [times["warm_s"] for times in started_at]
        print(
            f"{len(urls)} workers ready; {args.readers} readers x {args.per_reader} questions ...",
            flush=True,
        )
        result.update(run_readers(urls, questions, args.readers, args.per_reader))
        result["memory_per_worker_mb"] = [
            {key: round(value) for key, value in rss_mb(worker.pid).items()} for worker in workers
        ]
    finally:
        for process in reversed(started):
            stop(process)
    print(
        f"readers {args.readers}, workers {len(result['ready_s'])}: "
        f"p50 {result['p50_s']} s, p95 {result['p95_s']} s, max {result['max_s']} s, "
        f"errors {result['errors']}, {result['answers_per_s']} answers/s"
    )
    for number, memory in enumerate(result.get("memory_per_worker_mb", []), start=1):
        print(
            f"worker {number}: RSS {memory.get('rss_mb')} MB, peak {memory.get('peak_rss_mb')} MB"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
