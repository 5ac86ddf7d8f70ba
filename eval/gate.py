"""The CI gate: compares a run's summary with thresholds recorded in the repository.

Thresholds file (JSON):

    {"min": {"hit@5": 0.9, "de.fact_accuracy": 0.6},
     "max": {"latency_p95_ms": 3000, "errors": 0}}

A plain name refers to the overall metrics, "<lang>.<name>" to one language's. A metric
that was not measured (null) fails its threshold.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eval.runfiles import read_run
from eval.scoring import METRICS

COUNTS = ("errors", "items", "answerable", "unanswerable")
LANGUAGES = ("de", "en")


class ThresholdsError(ValueError):
    """The thresholds file is malformed; the message says where."""


def known_name(name: str) -> bool:
    """True for a summary metric ("fact_accuracy_reader") or one language's ("en.mrr")."""
    lang, dot, metric = name.partition(".")
    if dot:
        return lang in LANGUAGES and metric in (*METRICS, *COUNTS)
    return name in (*METRICS, *COUNTS)


def load_thresholds(path: Path | str) -> dict[str, dict[str, float]]:
    """Read and check a thresholds file; a misspelt metric name is an error, not a skip."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ThresholdsError(f"{path}: cannot read ({error.strerror})") from None
    except json.JSONDecodeError as error:
        raise ThresholdsError(
            f"{path}: not valid JSON ({error.msg}, line {error.lineno})"
        ) from None
    if not isinstance(data, dict) or not set(data) <= {"min", "max", "comment"}:
        raise ThresholdsError(f"{path}: expected an object with 'min' and/or 'max'")
    result: dict[str, dict[str, float]] = {}
    for bound in ("min", "max"):
        values = data.get(bound, {})
        if not isinstance(values, dict):
            raise ThresholdsError(f"{path}: {bound!r} must map metric names to numbers")
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ThresholdsError(f"{path}: {bound}.{name} must be a number; got {value!r}")
            if not known_name(str(name)):
                raise ThresholdsError(f"{path}: {bound}.{name} is not a metric of the summary")
        result[bound] = {str(name): float(value) for name, value in values.items()}
    if not result["min"] and not result["max"]:
        raise ThresholdsError(f"{path}: no thresholds given")
    return result


def lookup(summary: Mapping[str, Any], name: str) -> Any:
    """The value of `name` ("metric" or "lang.metric") in a summary; KeyError if unknown."""
    lang, dot, metric = name.partition(".")
    if dot:
        return summary["by_lang"][lang][metric]
    return summary["metrics"][name]


def check(
    summary: Mapping[str, Any], thresholds: Mapping[str, Mapping[str, float]]
) -> tuple[list[str], int]:
    """(failure messages, number of checks) for a summary against thresholds."""
    failures = []
    checks = 0
    for bound, values in thresholds.items():
        for name, limit in values.items():
            checks += 1
            try:
                value = lookup(summary, name)
            except KeyError:
                failures.append(f"{name}: not in the summary (threshold {bound} {limit:g})")
                continue
            if value is None:
                failures.append(f"{name}: not measured (threshold {bound} {limit:g})")
            elif bound == "min" and value < limit:
                failures.append(f"{name} = {value:g} is below the minimum {limit:g}")
            elif bound == "max" and value > limit:
                failures.append(f"{name} = {value:g} is above the maximum {limit:g}")
    return failures, checks


def gate(folder: Path | str, thresholds_path: Path | str) -> tuple[list[str], int]:
    """Check a run folder against a thresholds file."""
    _, summary = read_run(Path(folder))
    return check(summary, load_thresholds(thresholds_path))
