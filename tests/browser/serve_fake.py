"""Serve the real page on the fake pipeline (hash embedder, in-memory Chroma).

    python -m tests.browser.serve_fake --port 7861 [--workdir DIR] [--delay 2] [--hold FILE]

The fixture corpus is copied into the work folder first, so articles added or removed
on the page never touch tests/fixtures. `--delay` (seconds) or `--hold` (loading waits
until FILE exists) keeps the "models" loading, to show and test the page meanwhile.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fake_settings(workdir: Path) -> Any:
    """Settings on `workdir` (a copy of the fixture corpus), as the fast tests use them."""
    from index.settings import load_settings

    corpus = workdir / "corpus"
    if not corpus.exists():
        shutil.copytree(FIXTURES / "corpus", corpus)
    return load_settings(
        corpus_dir=corpus,
        chroma_path=workdir / "chroma",
        collection=f"b{uuid.uuid4().hex[:12]}",
        feedback_path=workdir / "feedback.jsonl",
        abstain_threshold=0.2,
        bm25_weight_same_language=0.5,
        bm25_weight_cross_language=0.0,
    )


def fake_loader(settings: Any, delay: float = 0.0, hold: Path | None = None) -> Any:
    """A loader for web.runtime.Runtime: the real pipeline with the test doubles."""

    def load(progress: Any) -> Any:
        from index.store import open_ephemeral_client
        from index.wiring import build, ensure_index
        from tests.fakes import HashEmbedding

        progress(0.1, "loading the (fake) embedding model")
        time.sleep(delay)
        deadline = time.monotonic() + 300
        while hold is not None and not hold.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        components = build(settings, embedder=HashEmbedding(), client=open_ephemeral_client())
        ensure_index(components, progress)
        return components

    return load


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7861)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--hold", type=Path, default=None)
    args = parser.parse_args(argv)

    from web.feedback import FeedbackStore
    from web.page import build_page, launch
    from web.runtime import Runtime

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsrag-browser-"))
    workdir.mkdir(parents=True, exist_ok=True)
    settings = fake_settings(workdir)
    runtime = Runtime()
    runtime.start(fake_loader(settings, args.delay, args.hold))
    # An editor's page: the browser tests add and remove articles (loopback only).
    launch(
        build_page(runtime, FeedbackStore(settings.feedback_path), editing=True),
        args.host,
        args.port,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
