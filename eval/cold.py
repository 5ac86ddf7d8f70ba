"""Cold start: seconds from `python app.py serve` to the page, and to the first answer.

    python -m eval.cold --chroma var/bench/1/chroma --corpus corpus [--runs 3] [--json FILE]
        [--generative]

Starts the app as a plain process on a free port against an existing store (so the
index is checked, not built), times the first HTTP 200 of the page, Ready (the first 200
of the worker's readiness route `/healthz`: when the page's status says Ready and a
reader may ask) and the first extractive answer through the `/ask` API, asked at Ready
as a reader would (the API client connects while the models load, as a reader's page
loads), stops the process, and repeats. Reports each
run and the median, and the worker's memory after its first answer. `--generative` also
times the first generative answer (the English headline question, asked right after the
first extractive one) and whether it came back generative or fell back.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from eval.procs import api_client, free_port, rss_mb, start_worker, stop, wait_healthy, wait_http

HEADLINE_QUESTION = "Does Belarus enter the war?"
# Between tries to connect (and to ask, should Ready and the API disagree). Ready itself is
# polled on the cheap `/healthz` route every 0.1 s: a refused `/ask` is a whole
# gradio_client call, and at 0.1 s such tries slowed loading from about 6 s to 11 s.
POLL_SECONDS = 0.5


def connect(url: str, timeout: float) -> Any:
    """A gradio_client Client for the page at `url` (made while the models load, as a
    reader's browser loads the page)."""
    started = time.monotonic()
    while True:
        try:
            return api_client(url)
        except Exception:
            if time.monotonic() - started > timeout:
                raise
            time.sleep(POLL_SECONDS)


def first_answer(
    client: Any,
    timeout: float,
    started: float,
    question: str = "Wer ist Lisa Gürth?",
    mode: str = "extractive",
) -> tuple[float, str]:
    """Seconds from `started` until the `/ask` API answers `question`, and the answer's mode."""
    while time.monotonic() - started < timeout:
        try:
            answer = client.predict(question, 0, mode, api_name="/ask")
            return time.monotonic() - started, str(answer.get("mode", ""))
        except Exception:  # still loading
            time.sleep(POLL_SECONDS)
    raise TimeoutError(f"no answer within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    """Measure `--runs` cold starts; print and write the figures."""
    parser = argparse.ArgumentParser(
        prog="python -m eval.cold",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--chroma", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--generative", action="store_true", help="also time the first generative answer"
    )
    args = parser.parse_args(argv)
    env = {
        "NEWSRAG_CHROMA_PATH": str(args.chroma.resolve()),
        "NEWSRAG_CORPUS_DIR": str(args.corpus.resolve()),
    }
    runs: list[dict[str, Any]] = []
    for _ in range(args.runs):
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        started = time.monotonic()
        process = start_worker(port, env, args.chroma.parent / f"cold-{port}.log")
        try:
            page = wait_http(url, args.timeout)
            # The client connects while the models load, as a reader's page loads.
            with ThreadPoolExecutor(max_workers=1) as pool:
                connecting = pool.submit(connect, url, args.timeout)
                ready = wait_healthy(url, args.timeout, started)
                client = connecting.result()
            answer, _ = first_answer(client, args.timeout, started)
            memory = rss_mb(process.pid)
            run: dict[str, Any] = {
                "page_s": round(page, 2),
                "ready_s": round(ready, 2),
                "first_answer_s": round(answer, 2),
                "rss_mb": round(memory.get("rss_mb", 0)),
            }
            if args.generative:
                generative, mode = first_answer(
                    client, args.timeout, started, HEADLINE_QUESTION, "generative"
                )
                run |= {"first_generative_s": round(generative, 2), "generative_mode": mode}
        finally:
            stop(process)
        runs.append(run)
        print(
            f"page {page:.1f} s, Ready {run['ready_s']} s, first extractive answer {answer:.1f} s, "
            f"RSS {memory.get('rss_mb', 0):.0f} MB"
            + (
                f", first generative answer {run['first_generative_s']} s "
                f"(mode {run['generative_mode']})"
                if args.generative
                else ""
            ),
            flush=True,
        )
    result = {
        "runs": runs,
        "page_s_median": statistics.median(run["page_s"] for run in runs),
        "ready_s_median": statistics.median(run["ready_s"] for run in runs),
        "first_answer_s_median": statistics.median(run["first_answer_s"] for run in runs),
    }
    if args.generative:
        result["first_generative_s_median"] = statistics.median(
            run["first_generative_s"] for run in runs
        )
    print(
        f"median: page {result['page_s_median']} s, Ready {result['ready_s_median']} s, "
        f"first answer {result['first_answer_s_median']} s"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
