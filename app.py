"""newsrag: ask questions about news articles, get answers cited with the article's own words.

Command line (also installed as the `newsrag` console script):

    python app.py provision [embedder|llm ...]   fetch, assemble and verify model weights
    python app.py ingest [--rebuild]              bring the Chroma index in line with corpus/
    python app.py ask "QUESTION" [--json] [--top-k N] [--mode extractive|generative]
    python app.py serve [--host 127.0.0.1] [--port 7860]
    python app.py prune                           drop cached renderings no sentence uses

This file parses, calls and renders; the work happens in index/ (and web/ for the page).
Errors become one line on stderr and exit code 1, never a stack trace.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any


def _progress(fraction: float, message: str) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


def _components(args: argparse.Namespace, with_llm: bool | None = None) -> Any:
    """Components from settings; the LLM is wired in when available (None) unless told."""
    from index.settings import load_settings
    from index.wiring import build

    overrides: dict[str, object] = {}
    if getattr(args, "mode", None):
        overrides["mode"] = args.mode
    settings = load_settings(**overrides)
    return build(settings, with_llm=with_llm, rebuilding=bool(getattr(args, "rebuild", False)))


def _ensure_index(components: Any) -> None:
    from index.wiring import ensure_index

    def progress(fraction: float, message: str) -> None:
        if fraction < 1.0:  # the closing summary is printed below, when anything changed
            _progress(fraction, message)

    report = ensure_index(components, progress)
    if report is not None and (report.added or report.updated or report.removed or report.problems):
        _print_report(report)


def _print_report(report: Any) -> None:
    for problem in report.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)


def cmd_provision(args: argparse.Namespace) -> int:
    from index.models.provision import SPECS, provision
    from index.settings import load_settings

    settings = load_settings()
    names = args.models or ["embedder", "llm"]
    unknown = sorted(set(names) - set(SPECS))
    if unknown:
        print(f"error: unknown model {unknown[0]!r}; choose from {sorted(SPECS)}", file=sys.stderr)
        return 1
    for name in names:
        provision(SPECS[name], settings.cache_dir)
    if "embedder" in names and settings.embed_backend == "onnx":
        from index.wiring import build_embedder

        embedder = build_embedder(settings)  # the onnx backend's one-time export, here
        # one passage: the fp32 model's session and its graph-optimised copy, made here
        # too, not by the first worker's warm-up
        embedder.get_text_embedding_batch(["provision"])
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from index.wiring import prerender

    components = _components(args, with_llm=None if args.render else False)
    folder = components.settings.corpus_dir
    # A rebuild is built beside the live index and swapped in: readers never see it empty.
    ingest = components.ingestor.rebuild if args.rebuild else components.ingestor.ingest_folder
    report = ingest(folder, _progress)
    _print_report(report)
    if args.render:
        counts = prerender(components, progress=_progress)
        if counts:
            print(
                f"renderings: {counts['checked']} checked, {counts['unchecked']} without a "
                f"passing rendering, {counts['cached']} already cached; "
                f"{counts['articles_done']} articles were rendered before",
                file=sys.stderr,
            )
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    components = _components(args)
    _ensure_index(components)
    answer = components.answerer.answer(args.question, top_k=args.top_k, mode=args.mode)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    for citation in answer.citations:
        print(
            f"  [{citation.n}] {citation.doc_id} · {citation.section} "
            f"[{citation.start}:{citation.end}]"
        )
        if citation.rendering is not None:
            print(f"      machine translation of: „{' '.join(citation.text.split())}“")
    if answer.mode != (args.mode or answer.mode):
        print(f"  ({args.mode} mode fell back to {answer.mode})")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    from index.wiring import prune

    components = _components(args)
    deleted = prune(components)
    print(
        "deleted: "
        + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in deleted.items()),
        file=sys.stderr,
    )
    if "renderings" not in deleted:
        print("renderings kept: no LLM is configured, so their keys are unknown", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from web.page import serve

    serve(host=args.host, port=args.port)
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    main_parser = argparse.ArgumentParser(prog="newsrag", description=__doc__.split("\n")[0])
    commands = main_parser.add_subparsers(dest="command", required=True)

    provision = commands.add_parser("provision", help="fetch and verify model weights")
    provision.add_argument(
        "models", nargs="*", metavar="{embedder,llm}", help="which models (default: both)"
    )
    provision.set_defaults(run=cmd_provision)

    ingest = commands.add_parser("ingest", help="index the articles in corpus/")
    ingest.add_argument("--rebuild", action="store_true", help="drop the index first")
    ingest.add_argument(
        "--no-render",
        dest="render",
        action="store_false",
        help="skip rendering sentences for English readers (LLM, cached)",
    )
    ingest.set_defaults(run=cmd_ingest)

    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the full answer as JSON")
    ask.add_argument("--top-k", type=int, default=None, help="passages to retrieve")
    ask.add_argument("--mode", choices=["extractive", "generative"], default=None)
    ask.set_defaults(run=cmd_ask)

    prune = commands.add_parser(
        "prune", help="drop cached renderings and vectors that no stored sentence uses"
    )
    prune.set_defaults(run=cmd_prune)

    serve = commands.add_parser("serve", help="serve the chat page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)
    serve.set_defaults(run=cmd_serve)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; known errors become one line on stderr and exit code 1."""
    from index.errors import run_command

    args = parser().parse_args(argv)
    if getattr(args, "top_k", None) is not None and args.top_k <= 0:
        print(f"error: --top-k must be greater than 0; got {args.top_k}", file=sys.stderr)
        return 1
    return run_command(lambda: args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
