"""The evaluation command line.

    python -m eval run --questions FILE --out DIR [--mode extractive|generative] [--top-k N]
    python -m eval report DIR
    python -m eval compare RUN_A RUN_B [--out FILE]
    python -m eval gate DIR [--thresholds eval/thresholds.json]
    python -m eval check FILE... [--corpus corpus]
    python -m eval translations --set eval/questions/translations.jsonl --out DIR

Known errors become one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_THRESHOLDS = Path(__file__).parent / "thresholds.json"
KNOWN: tuple[type[Exception], ...] = (ValueError, RuntimeError, LookupError, OSError)
"""Errors shown as one line: ours (QuestionSetError, ThresholdsError are ValueErrors) and
the product's user errors, which all derive from these (eval does not import index.errors)."""


def cmd_run(args: argparse.Namespace) -> int:
    from eval.runner import run

    summary = run(args.questions, args.out, mode=args.mode, top_k=args.top_k, limit=args.limit)
    metrics = summary["metrics"]
    from eval.scoring import METRICS

    shown = (*(name for name in METRICS if name != "hit@3"), "errors")
    print(" ".join(f"{name}={metrics[name]}" for name in shown))
    print(f"wrote {args.out}/results.jsonl, summary.json, report.md")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from eval.report import write_report

    print(f"wrote {write_report(args.dir)}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from eval.compare import compare_runs

    text = compare_runs(args.run_a, args.run_b)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


def cmd_gate(args: argparse.Namespace) -> int:
    from eval.gate import gate

    failures, checks = gate(args.dir, args.thresholds)
    for failure in failures:
        print(f"FAIL {failure}")
    if failures:
        print(f"gate failed: {len(failures)} of {checks} checks", file=sys.stderr)
        return 1
    print(f"gate passed: {checks} checks")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from eval.questions import check_evidence, load_questions, read_documents

    documents = read_documents(args.corpus)
    for path in args.files:
        items = load_questions(path)
        check_evidence(items, documents, str(path))
        print(f"{path}: {len(items)} items ok")
    return 0


def cmd_translations(args: argparse.Namespace) -> int:
    from eval import translations
    from eval.questions import read_documents

    documents = read_documents(args.corpus)
    records, summary = translations.run(args.set, args.out, documents=documents)
    print(translations.table(records, summary), end="")
    print(f"wrote {args.out}/{translations.RESULTS}, {translations.SUMMARY}")
    failures = translations.shown_failures(summary)
    if failures > args.max_failures:
        print(
            f"{failures} shown rendering check(s) failed (allowed: {args.max_failures})",
            file=sys.stderr,
        )
        return 1
    shown = summary["shown_rate"] or 0.0
    if shown < args.min_shown:
        print(
            f"only {summary['shown']} of {summary['sentences']} sentences ({shown:.0%}) have a "
            f"shown rendering (minimum: {args.min_shown:.0%})",
            file=sys.stderr,
        )
        return 1
    if failures:
        print(
            f"{failures} shown rendering check(s) failed, within the allowed "
            f"{args.max_failures}: the target is 0",
            file=sys.stderr,
        )
    return 0


def _share(text: str) -> float:
    """A share between 0 and 1 (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (a share); got {value}")
    return value


def parser() -> argparse.ArgumentParser:
    """The `python -m eval` interface."""
    main_parser = argparse.ArgumentParser(
        prog="python -m eval", description="Evaluate answers and citations."
    )
    commands = main_parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run a question set through the answerer")
    run.add_argument("--questions", required=True, type=Path, help="question set (JSONL)")
    run.add_argument("--out", required=True, type=Path, help="folder for the results")
    run.add_argument("--mode", choices=["extractive", "generative"], default=None)
    run.add_argument("--top-k", type=int, default=None, help="passages to retrieve")
    run.add_argument("--limit", type=int, default=None, help="only the first N items")
    run.set_defaults(run=cmd_run)

    report = commands.add_parser("report", help="write DIR/report.md with charts")
    report.add_argument("dir", type=Path)
    report.set_defaults(run=cmd_report)

    compare = commands.add_parser("compare", help="compare two runs item by item")
    compare.add_argument("run_a", type=Path)
    compare.add_argument("run_b", type=Path)
    compare.add_argument("--out", type=Path, default=None, help="also write Markdown here")
    compare.set_defaults(run=cmd_compare)

    gate = commands.add_parser("gate", help="exit 1 when a metric misses its threshold")
    gate.add_argument("dir", type=Path)
    gate.add_argument("--thresholds", type=Path, default=DEFAULT_THRESHOLDS)
    gate.set_defaults(run=cmd_gate)

    check = commands.add_parser("check", help="validate question sets against the corpus")
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("--corpus", type=Path, default=Path("corpus"))
    check.set_defaults(run=cmd_check)

    translate = commands.add_parser(
        "translations",
        help="score the product's English renderings of article sentences "
        "(exit 1 if a shown one flips a negation, number or name)",
    )
    translate.add_argument("--set", required=True, type=Path, help="translation set (JSONL)")
    translate.add_argument("--out", required=True, type=Path, help="folder for the results")
    translate.add_argument("--corpus", type=Path, default=Path("corpus"))
    translate.add_argument(
        "--max-failures",
        type=int,
        default=0,
        help="shown renderings allowed to fail a check before exit 1 (CI: the measured level)",
    )
    translate.add_argument(
        "--min-shown",
        type=_share,
        default=0.0,
        help="share of sentences that must have a shown, checked rendering (0-1), else exit 1",
    )
    translate.set_defaults(run=cmd_translations)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; known errors become one line on stderr and exit code 1."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KNOWN as error:
        if isinstance(error, KeyError | IndexError):  # lookups gone wrong are bugs
            raise
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
