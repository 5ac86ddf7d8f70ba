"""Reader feedback, appended as one JSON line per vote to a file that is never rewritten."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from index.types import Answer

Rating = Literal["up", "down"]
MAX_COMMENT_CHARS = 2000


class FeedbackError(ValueError):
    """Feedback cannot be saved as given; the message says why."""


def feedback_record(answer: Answer, rating: str, comment: str = "",
                    now: datetime | None = None) -> dict[str, Any]:
    """One feedback line: when, the vote, the comment, and what was asked and answered."""
    if rating not in ("up", "down"):
        raise FeedbackError(f"rating must be 'up' or 'down'; got {rating!r}")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackError(f"The comment has {len(comment):,} characters; the limit is "
                            f"{MAX_COMMENT_CHARS:,}.")
    contract = answer.to_json()
    return {
        "timestamp": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "rating": rating,
        "comment": comment,
        "question": contract["question"],
        "standalone_question": contract["standalone_question"],
        "answer": contract["answer"],
        "citations": contract["citations"],
        "mode": contract["mode"],
        "language": contract["language"],
        "abstained": contract["abstained"],
    }


class FeedbackStore:
    """An append-only JSONL file: earlier lines are never changed, restarts keep them."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        """Add one record as one line (the folder is made when missing)."""
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)

    def records(self) -> list[dict[str, Any]]:
        """Every record saved so far, oldest first."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
