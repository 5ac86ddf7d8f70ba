"""The Markdown report of a run folder: metric tables, one chart per metric group, and
the worst items with their answers and citations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.runfiles import read_run
from eval.scoring import item_quality

REPORT = "report.md"
GROUPS: dict[str, tuple[str, ...]] = {
    "retrieval": ("hit@1", "hit@3", "hit@5", "mrr"),
    "citations": ("citation_precision", "citation_recall", "supported_sentence_rate"),
    "answers": ("fact_accuracy", "fact_accuracy_reader", "language_match"),
    "abstention": ("abstention_precision", "abstention_recall"),
    "latency": ("latency_p50_ms", "latency_p95_ms"),
}


def fmt(value: object) -> str:
    """A metric value for a table: rates with 3 decimals, None as 'n/a'."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1.0 else f"{value:.0f}"
    return str(value)


def chart(
    path: Path, title: str, names: Sequence[str], columns: Mapping[str, Mapping[str, Any]]
) -> None:
    """A grouped bar chart (one group per metric, one bar per column) saved as PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2.4 + 1.4 * len(names), 3.0), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    width = 0.8 / max(len(columns), 1)
    for index, (label, values) in enumerate(columns.items()):
        heights = [float(values.get(name) or 0.0) for name in names]
        positions = [i + (index - (len(columns) - 1) / 2) * width for i in range(len(names))]
        bars = axes.bar(positions, heights, width, label=label)
        axes.bar_label(bars, labels=[fmt(values.get(name)) for name in names], fontsize=7)
    axes.set_xticks(range(len(names)), names, fontsize=8)
    axes.set_title(title)
    top = max((float(v.get(n) or 0.0) for v in columns.values() for n in names), default=0.0)
    axes.set_ylim(0, 1.12 if top <= 1.0 else top * 1.15)
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    figure.savefig(path, format="png")


def _metric_table(summary: Mapping[str, Any]) -> list[str]:
    languages = sorted(summary.get("by_lang", {}))
    lines = [
        "| metric | all | " + " | ".join(languages) + " |",
        "| --- | --- | " + " | ".join("---" for _ in languages) + " |",
    ]
    for names in GROUPS.values():
        for name in names:
            cells = [fmt(summary["metrics"].get(name))]
            cells += [fmt(summary["by_lang"][lang].get(name)) for lang in languages]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for name in ("items", "answerable", "unanswerable", "errors"):
        cells = [fmt(summary["metrics"].get(name))]
        cells += [fmt(summary["by_lang"][lang].get(name)) for lang in languages]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def describe_item(record: Mapping[str, Any]) -> list[str]:
    """A Markdown block for one item: question, expectation, answer, citations, scores."""
    scores = record["scores"]
    kind = "answerable" if record["answerable"] else "unanswerable"
    lines = [
        f"### {record['id']} ({record['lang']}, {kind}, quality {item_quality(scores):.2f})",
        "",
    ]
    for turn in record.get("earlier", []):
        lines.append(
            f"- earlier turn: {_one_line(turn['question'])} → {_one_line(turn['answer'], 160)}"
        )
    lines.append(f"- question: {_one_line(record['question'])}")
    if record["answerable"]:
        facts = " AND ".join("(" + " | ".join(group) + ")" for group in record["facts"])
        lines.append(f"- expected facts: {facts}")
        if record.get("facts_reader"):
            reader = " AND ".join("(" + " | ".join(g) + ")" for g in record["facts_reader"])
            lines.append(f"- expected in the reader's language: {reader}")
        lines.append(f"- gold evidence: {_one_line(record['evidence'][0], 200)}")
    if scores.get("error"):
        lines.append(f"- **error**: {_one_line(scores['error'])}")
    answer = record.get("answer")
    if answer:
        if answer.get("standalone_question") != answer.get("question"):
            lines.append(f"- standalone question: {_one_line(answer['standalone_question'])}")
        detected = scores.get("answer_language") or "n/a"
        lines.append(
            f"- answer (product says {answer['language']}, eval detects {detected}, "
            f"abstained={answer['abstained']}): {_one_line(answer['answer'], 500)}"
        )
        if answer.get("direct_answer"):
            lines.append(f"- direct answer: {_one_line(answer['direct_answer'], 200)}")
        for citation in answer["citations"]:
            lines.append(
                f"  - [{citation['n']}] {citation['section'] or '(no section)'} "
                f"[{citation['start']}:{citation['end']}] "
                f"{_one_line(citation['text'], 200)}"
            )
            rendering = citation.get("rendering")
            if rendering and rendering.get("text"):
                shown = "shown" if rendering.get("checked") else "not shown"
                lines.append(
                    f"    - {rendering.get('language', '?')} rendering ({shown}): "
                    f"{_one_line(rendering['text'], 200)}"
                )
    if record["answerable"]:
        lines.append(
            f"- hit rank: {scores['hit_rank'] or 'none'}; facts found: "
            f"{scores['facts_ok']}; reader-language facts: "
            f"{scores.get('facts_reader_ok', 'n/a')}; citations in gold: "
            f"{scores['cited_gold']}/"
            f"{scores['cited']}; supported claims: {scores['supported']}/"
            f"{scores['claims']}"
        )
    lines.append("")
    return lines


def worst_items(records: Sequence[Mapping[str, Any]], n: int = 10) -> list[Mapping[str, Any]]:
    """The n items with the lowest quality (below 1), worst first."""
    ranked = sorted(records, key=lambda r: (item_quality(r["scores"]), r["id"]))
    return [record for record in ranked if item_quality(record["scores"]) < 1.0][:n]


def write_report(folder: Path | str, worst: int = 10) -> Path:
    """Write report.md and one PNG chart per metric group into the run folder."""
    folder = Path(folder)
    records, summary = read_run(folder)
    columns = {"all": summary["metrics"], **summary.get("by_lang", {})}
    lines = ["# Evaluation report", ""]
    run = summary.get("run", {})
    lines += [", ".join(f"{key}: {value}" for key, value in run.items()), ""]
    lines += ["## Metrics", "", *_metric_table(summary), ""]
    for group, names in GROUPS.items():
        chart(folder / f"{group}.png", group, names, columns)
        lines += [f"![{group}]({group}.png)", ""]
    chosen = worst_items(records, worst)
    lines += [f"## Worst items ({len(chosen)} of {len(records)})", ""]
    if not chosen:
        lines += ["Every item was answered perfectly.", ""]
    for record in chosen:
        lines += describe_item(record)
    path = folder / REPORT
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
