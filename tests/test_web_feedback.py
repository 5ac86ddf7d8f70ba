"""Reader feedback: one JSON line per vote, appended, never rewritten."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from index.types import Answer, Citation
from web.feedback import MAX_COMMENT_CHARS, FeedbackError, FeedbackStore, feedback_record


def _answer() -> Answer:
    citation = Citation(n=1, doc_id="fest", section="Kosten", start=3, end=10, text="zahlt 2")
    return Answer(
        question="Wer zahlt?",
        answer="„zahlt 2“ [1]",
        language="de",
        abstained=False,
        citations=(citation,),
        passages=(),
        timings_ms={},
        mode="extractive",
    )


def test_record_holds_time_vote_comment_question_answer_and_citations() -> None:
    when = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    record = feedback_record(_answer(), "down", "  zu kurz  ", now=when)
    assert record["timestamp"] == "2025-01-02T03:04:05+00:00"
    assert (record["rating"], record["comment"]) == ("down", "zu kurz")
    assert record["question"] == "Wer zahlt?" and record["answer"] == "„zahlt 2“ [1]"
    assert record["citations"] == [
        {
            "n": 1,
            "doc_id": "fest",
            "section": "Kosten",
            "start": 3,
            "end": 10,
            "text": "zahlt 2",
            "rendering": None,
        }
    ]


def test_bad_rating_and_overlong_comment_are_refused() -> None:
    with pytest.raises(FeedbackError, match="rating"):
        feedback_record(_answer(), "meh")
    with pytest.raises(FeedbackError, match="limit"):
        feedback_record(_answer(), "up", "x" * (MAX_COMMENT_CHARS + 1))


def test_store_appends_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "var" / "feedback.jsonl"
    FeedbackStore(path).append(feedback_record(_answer(), "up"))
    first_line = path.read_text(encoding="utf-8")
    restarted = FeedbackStore(path)  # a new process opens the same file
    restarted.append(feedback_record(_answer(), "down", "Ünïcödé"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith(first_line)  # the earlier line is untouched
    assert [r["rating"] for r in restarted.records()] == ["up", "down"]
    assert "Ünïcödé" in text and all(json.loads(line) for line in text.splitlines())
