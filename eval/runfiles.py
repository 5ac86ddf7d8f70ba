"""The files of a run folder: DIR/results.jsonl (one record per item) and DIR/summary.json.

Runner, report, compare and gate all go through here, so none of them imports another.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

RESULTS = "results.jsonl"
SUMMARY = "summary.json"


def write_run(
    out: Path | str,
    records: Sequence[Mapping[str, Any]],
    summary: Mapping[str, Any],
    results: str = RESULTS,
) -> None:
    """Write DIR/<results> (one JSON record a line) and DIR/summary.json, creating DIR."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with (out / results).open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    (out / SUMMARY).write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def read_run(folder: Path | str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The records and summary of a run folder; FileNotFoundError naming what is missing."""
    folder = Path(folder)
    for name in (RESULTS, SUMMARY):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} not found; is {folder} a run folder?")
    with (folder / RESULTS).open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    summary = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    return records, summary
