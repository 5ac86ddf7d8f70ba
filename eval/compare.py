"""Compares two run folders: metric deltas and item-by-item improvements and regressions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.report import fmt
from eval.runfiles import read_run
from eval.scoring import LOWER_IS_BETTER, METRICS, item_quality

_FLAGS = ("facts_ok", "facts_reader_ok", "citation_covers", "abstention_ok", "language_ok")


DeltaRow = tuple[str, Any, Any, float | None, bool | None]


def metric_deltas(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[DeltaRow]:
    """(metric, before, after, delta, better) for every metric; None where unmeasured."""
    rows: list[DeltaRow] = []
    for name in (*METRICS, "errors"):
        a, b = before.get(name), after.get(name)
        if a is None or b is None:
            rows.append((name, a, b, None, None))
            continue
        delta = b - a
        better = None if delta == 0 else (delta < 0) == (name in LOWER_IS_BETTER)
        rows.append((name, a, b, delta, better))
    return rows


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    notes = []
    if old.get("hit_rank") != new.get("hit_rank") and old["answerable"]:
        notes.append(f"hit rank {old.get('hit_rank') or '-'} → {new.get('hit_rank') or '-'}")
    for flag in _FLAGS:
        if flag in old and flag in new and old[flag] != new[flag]:
            notes.append(f"{flag} {old[flag]} → {new[flag]}")
    if old.get("abstained") != new.get("abstained"):
        notes.append(f"abstained {old.get('abstained')} → {new.get('abstained')}")
    if (old.get("supported"), old.get("claims")) != (new.get("supported"), new.get("claims")):
        notes.append(
            f"supported {old.get('supported')}/{old.get('claims')} → "
            f"{new.get('supported')}/{new.get('claims')}"
        )
    if bool(old.get("error")) != bool(new.get("error")):
        notes.append(f"error: {new.get('error') or 'fixed'}")
    return notes


def item_changes(
    before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]
) -> dict[str, list[tuple[str, float, float, list[str]]]]:
    """Items grouped as improved / regressed / changed (same quality) / only_a / only_b."""
    old = {record["id"]: record for record in before}
    new = {record["id"]: record for record in after}
    result: dict[str, list[tuple[str, float, float, list[str]]]] = {
        "improved": [],
        "regressed": [],
        "changed": [],
        "only_a": [],
        "only_b": [],
    }
    for item_id in sorted(old.keys() | new.keys()):
        if item_id not in new:
            result["only_a"].append((item_id, item_quality(old[item_id]["scores"]), 0.0, []))
            continue
        if item_id not in old:
            result["only_b"].append((item_id, 0.0, item_quality(new[item_id]["scores"]), []))
            continue
        a, b = old[item_id]["scores"], new[item_id]["scores"]
        qa, qb = item_quality(a), item_quality(b)
        notes = _changes(a, b)
        if (
            old[item_id]["answer"]
            and new[item_id]["answer"]
            and old[item_id]["answer"]["answer"] != new[item_id]["answer"]["answer"]
        ):
            notes.append("answer text changed")
        key = "improved" if qb > qa + 1e-9 else "regressed" if qb < qa - 1e-9 else "changed"
        if key != "changed" or notes:
            result[key].append((item_id, qa, qb, notes))
    return result


def _delta(delta: float | None) -> str:
    if delta is None:
        return "n/a"
    if isinstance(delta, int):
        return f"{delta:+d}"
    return f"{delta:+.3f}" if abs(delta) <= 1 else f"{delta:+.0f}"


def compare_runs(folder_a: Path | str, folder_b: Path | str) -> str:
    """A Markdown comparison of run B against run A."""
    records_a, summary_a = read_run(Path(folder_a))
    records_b, summary_b = read_run(Path(folder_b))
    lines = [
        f"# Compare {folder_a} (A) → {folder_b} (B)",
        "",
        "| metric | A | B | delta | |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, a, b, delta, better in metric_deltas(summary_a["metrics"], summary_b["metrics"]):
        mark = "" if better is None else ("better" if better else "**worse**")
        lines.append(f"| {name} | {fmt(a)} | {fmt(b)} | {_delta(delta)} | {mark} |")
    changes = item_changes(records_a, records_b)
    titles = {
        "regressed": "Regressed",
        "improved": "Improved",
        "changed": "Changed, same quality",
        "only_a": "Only in A",
        "only_b": "Only in B",
    }
    for key, title in titles.items():
        rows = changes[key]
        lines += ["", f"## {title} ({len(rows)})", ""]
        for item_id, qa, qb, notes in rows:
            detail = "; ".join(notes)
            lines.append(
                f"- {item_id}: quality {qa:.2f} → {qb:.2f}" + (f" ({detail})" if detail else "")
            )
    return "\n".join(lines) + "\n"
