"""The runner, report, compare and gate on the fixture corpus with the hash embedder.

The last tests show the CI gate at work: it passes on the real pipeline (with fake
embeddings) and fails once the retriever hands back the wrong passages.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from eval.__main__ import main
from eval.compare import compare_runs, item_changes
from eval.gate import ThresholdsError, check, gate, load_thresholds
from eval.questions import load_questions, parse_item
from eval.runfiles import read_run
from eval.runner import ask_item, evaluate, run_items
from index.types import Answer, Retrieval, Turn

FIXTURE_QUESTIONS = Path(__file__).parent / "fixtures" / "questions.jsonl"
# language_match: fx07 asks in English and the extractive answer quotes the German article,
# which a reader meets as German; 8 of 9 answers are in the question's language.
SANE = {
    "min": {
        "hit@1": 0.8,
        "mrr": 0.8,
        "fact_accuracy": 0.8,
        "citation_recall": 0.8,
        "citation_precision": 0.6,
        "abstention_recall": 0.5,
        "abstention_precision": 0.5,
        "supported_sentence_rate": 0.8,
        "language_match": 0.85,
    },
    "max": {"errors": 0, "latency_p95_ms": 5000},
}


class ReversedRetriever:
    """A deliberately broken retriever: the worst-ranked passages come first."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner

    def search(self, question: str, k: int) -> Retrieval:
        found = self.inner.search(question, 100)
        worst = list(reversed(found.passages))[:k]
        passages = [replace(p, rank=rank) for rank, p in enumerate(worst, start=1)]
        return Retrieval(
            passages=passages, query_vector=found.query_vector, language=found.language
        )

    def retrieve(self, question: str, k: int):  # type: ignore[no-untyped-def]
        return self.search(question, k).passages


@pytest.fixture
def thresholds(tmp_path: Path) -> Path:
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps(SANE), encoding="utf-8")
    return path


def _run(components, out: Path) -> dict:  # type: ignore[no-untyped-def]
    items = load_questions(FIXTURE_QUESTIONS)
    return run_items(components, items, out, questions=str(FIXTURE_QUESTIONS), progress=False)


def test_a_run_writes_results_summary_and_report(fake_components, tmp_path):
    out = tmp_path / "run"
    summary = _run(fake_components, out)
    records, stored = read_run(out)
    assert stored == summary
    assert [r["id"] for r in records] == [f"fx0{n}" for n in range(1, 10)]
    first = records[0]
    assert first["question"] == "Wie viele Besucher werden beim Stadtfest erwartet?"
    assert set(first["answer"]) >= {
        "question",
        "answer",
        "language",
        "abstained",
        "citations",
        "passages",
        "timings_ms",
        "standalone_question",
        "mode",
    }
    follow_up = next(r for r in records if r["id"] == "fx06")
    assert follow_up["earlier"][0]["question"] == "Wer ist Sprecherin Lena Vogel?"
    assert "Lena Vogel" in follow_up["answer"]["standalone_question"]
    assert set(summary["by_lang"]) == {"de", "en"}
    assert summary["run"]["mode"] == "extractive" and summary["run"]["items"] == 9
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| hit@1 |" in report and "![retrieval](retrieval.png)" in report
    assert "| fact_accuracy_reader |" in report and "| language_match |" in report
    english = next(r for r in records if r["id"] == "fx07")
    assert english["scores"]["answer_language"] == "de" and not english["scores"]["language_ok"]
    assert summary["metrics"]["language_match"] == pytest.approx(8 / 9, abs=1e-4)
    assert summary["by_lang"]["de"]["language_match"] == 1
    assert "py3langid" in summary["run"]["language_detector"]
    for group in ("retrieval", "citations", "answers", "abstention", "latency"):
        assert (out / f"{group}.png").read_bytes()[:4] == b"\x89PNG"


def test_the_gate_passes_on_the_pipeline_and_fails_on_a_broken_retriever(
    fake_components, tmp_path, thresholds, capsys
):
    good = tmp_path / "good"
    _run(fake_components, good)
    assert gate(good, thresholds) == ([], 11)
    assert main(["gate", str(good), "--thresholds", str(thresholds)]) == 0
    assert "gate passed: 11 checks" in capsys.readouterr().out

    fake_components.answerer.retriever = ReversedRetriever(fake_components.answerer.retriever)
    broken = tmp_path / "broken"
    _run(fake_components, broken)
    failures, _ = gate(broken, thresholds)
    failed = {message.split(" ")[0] for message in failures}
    assert {"hit@1", "mrr", "fact_accuracy", "citation_recall"} <= failed
    assert main(["gate", str(broken), "--thresholds", str(thresholds)]) == 1
    printed = capsys.readouterr()
    assert "FAIL hit@1 = 0 is below the minimum 0.8" in printed.out
    assert "gate failed" in printed.err

    text = compare_runs(good, broken)
    assert "| hit@1 | 1.000 | 0.000 | -1.000 | **worse** |" in text
    assert "## Regressed" in text and "fx01: quality 1.00 →" in text
    records_good, _ = read_run(good)
    records_broken, _ = read_run(broken)
    assert item_changes(records_broken, records_good)["improved"]


def test_reader_facts_are_scored_and_reported_per_language(fake_components, tmp_path):
    items = [
        parse_item(
            {
                "id": "r1",
                "lang": "de",
                "answerable": True,
                "question": "Wie viele Besucher werden beim Stadtfest erwartet?",
                "facts": [["12000", "12.000"]],
                "facts_reader": [["12000", "12.000"]],
                "evidence": ["Bis zu 12000 Besucher werden erwartet."],
            }
        ),
        parse_item(
            {
                "id": "r2",
                "lang": "en",
                "answerable": True,
                "question": "How many visitors are expected at the town festival?",
                "facts": [["12000"]],
                "facts_reader": [["visitors"], ["12000"]],
                "evidence": ["Bis zu 12000 Besucher werden erwartet."],
            }
        ),
    ]
    out = tmp_path / "reader"
    summary = run_items(fake_components, items, out, progress=False)
    records, _ = read_run(out)
    assert records[0]["facts_reader"] == [["12000", "12.000"]]
    assert records[0]["scores"]["facts_reader_ok"]
    assert not records[1]["scores"]["facts_reader_ok"]  # a German quote has no "visitors"
    assert summary["by_lang"]["de"]["fact_accuracy_reader"] == 1
    assert summary["by_lang"]["en"]["fact_accuracy_reader"] == 0
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "expected in the reader's language: (visitors) AND (12000)" in report


def test_compare_command_prints_and_writes(fake_components, tmp_path, capsys):
    out = tmp_path / "a"
    _run(fake_components, out)
    target = tmp_path / "compare.md"
    assert main(["compare", str(out), str(out), "--out", str(target)]) == 0
    assert "## Regressed (0)" in capsys.readouterr().out
    assert "## Improved (0)" in target.read_text(encoding="utf-8")


def test_report_command_rewrites_the_report(fake_components, tmp_path, capsys):
    out = tmp_path / "run"
    _run(fake_components, out)
    (out / "report.md").unlink()
    assert main(["report", str(out)]) == 0
    assert (out / "report.md").is_file()
    assert main(["report", str(tmp_path / "nowhere")]) == 1
    assert "a run folder?" in capsys.readouterr().err


class RecordingAnswerer:
    """Answers every question with a fixed refusal and records what it was given."""

    def __init__(self, fail_on: str = "") -> None:
        self.calls: list[tuple[str, tuple[Turn, ...], int | None, str | None]] = []
        self.fail_on = fail_on

    def answer(
        self,
        question: str,
        history: Sequence[Turn] = (),
        top_k: int | None = None,
        mode: str | None = None,
    ) -> Answer:
        self.calls.append((question, tuple(history), top_k, mode))
        if question == self.fail_on:
            raise RuntimeError("no luck")
        return Answer(
            question=question,
            answer=f"reply to {question}",
            language="en",
            abstained=True,
            citations=(),
            passages=(),
            timings_ms={"total_ms": 1.0},
        )


def test_follow_ups_are_asked_turn_by_turn_with_the_history():
    item = parse_item(
        {
            "id": "f",
            "lang": "en",
            "answerable": False,
            "turns": ["Who is A?", "And B?", "Where is she?"],
        }
    )
    answerer = RecordingAnswerer()
    final, earlier = ask_item(answerer, item, mode="extractive", top_k=3)
    assert [call[0] for call in answerer.calls] == ["Who is A?", "And B?", "Where is she?"]
    assert answerer.calls[2][1] == (
        Turn("user", "Who is A?"),
        Turn("assistant", "reply to Who is A?"),
        Turn("user", "And B?"),
        Turn("assistant", "reply to And B?"),
    )
    assert all(call[2:] == (3, "extractive") for call in answerer.calls)
    assert final["question"] == "Where is she?" and len(earlier) == 2


def test_an_exception_is_recorded_on_the_item_and_the_run_goes_on():
    items = [
        parse_item({"id": n, "lang": "en", "answerable": False, "question": n})
        for n in ("one", "two")
    ]
    records = evaluate(RecordingAnswerer(fail_on="one"), items, {"d": "text"}, progress=False)
    assert records[0]["answer"] is None
    assert records[0]["scores"]["error"] == "RuntimeError: no luck"
    assert records[1]["scores"]["abstention_ok"]


def test_thresholds_are_checked_and_unmeasured_metrics_fail(tmp_path):
    summary = {
        "metrics": {"hit@1": 0.5, "abstention_precision": None, "errors": 2},
        "by_lang": {"de": {"hit@1": 0.9}},
    }
    failures, checks = check(
        summary,
        {
            "min": {"hit@1": 0.6, "de.hit@1": 0.8, "abstention_precision": 0.5, "nope": 1},
            "max": {"errors": 0},
        },
    )
    assert checks == 5
    assert failures == [
        "hit@1 = 0.5 is below the minimum 0.6",
        "abstention_precision: not measured (threshold min 0.5)",
        "nope: not in the summary (threshold min 1)",
        "errors = 2 is above the maximum 0",
    ]
    bad = tmp_path / "t.json"
    bad.write_text('{"min": {"hit@1": "high"}}', encoding="utf-8")
    with pytest.raises(ThresholdsError, match=r"min\.hit@1 must be a number"):
        load_thresholds(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="not valid JSON"):
        load_thresholds(bad)
    bad.write_text('{"min": {"fact_acuracy": 0.5}}', encoding="utf-8")
    with pytest.raises(ThresholdsError, match=r"min\.fact_acuracy is not a metric"):
        load_thresholds(bad)


def test_the_gate_knows_the_new_metric_names(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps(
            {
                "min": {
                    "fact_accuracy_reader": 0.5,
                    "en.language_match": 0.9,
                    "de.supported_sentence_rate": 0.8,
                }
            }
        ),
        encoding="utf-8",
    )
    loaded = load_thresholds(path)
    summary = {
        "metrics": {"fact_accuracy_reader": 0.4},
        "by_lang": {"en": {"language_match": 1.0}, "de": {"supported_sentence_rate": 0.9}},
    }
    failures, checks = check(summary, loaded)
    assert checks == 3
    assert failures == ["fact_accuracy_reader = 0.4 is below the minimum 0.5"]


@pytest.mark.parametrize("name", ["thresholds.json", "thresholds.generative.json"])
def test_the_shipped_thresholds_files_are_valid(name):
    shipped = load_thresholds(Path(__file__).resolve().parent.parent / "eval" / name)
    assert shipped["min"]["hit@5"] > 0 and shipped["max"]["errors"] == 0
