"""Reader feedback, appended as one JSON line per vote to a file that is never rewritten."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from index.types import Answer

Rating = Literal["up", "down"]
MAX_COMMENT_CHARS = 2000


class FeedbackError(ValueError):
    """Feedback cannot be saved as given; the message says why."""


def feedback_record(
    answer: Answer, rating: str, comment: str = "", now: datetime | None = None
) -> dict[str, Any]:
    """One feedback line: when, the vote, the comment, and what was asked and answered."""
    if rating not in ("up", "down"):
        raise FeedbackError(f"rating must be 'up' or 'down'; got {rating!r}")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackError(
            f"The comment has {len(comment):,} characters; the limit is {MAX_COMMENT_CHARS:,}."
        )
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
        """Add one record as one line (the folder is made when missing).

        Several app processes may share the file: an exclusive lock around one write of
        the whole line keeps lines whole and none lost. A failed write (a full disk)
        is a FeedbackError naming the fix; a half-written line is cut off again.
        """
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            except OSError as error:
                raise FeedbackError(self._failure(error)) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                size = os.fstat(fd).st_size
                try:
                    written = os.write(fd, data)
                    if written != len(data):
                        raise OSError(errno.ENOSPC, "short write")
                except OSError as error:
                    os.ftruncate(fd, size)  # no torn line for the next reader
                    raise FeedbackError(self._failure(error)) from None
            finally:
                os.close(fd)  # closing releases the lock

    def _failure(self, error: OSError) -> str:
        """Why a vote could not be saved, and what to do, for the reader and the log."""
        if error.errno == errno.ENOSPC:
            why = "the disk is full"
        elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            why = "the folder is not writable"
        else:
            why = error.strerror or type(error).__name__
        return (
            f"Your vote could not be saved: {why} ({self.path}). Please tell the site's "
            "operator: free space or fix NEWSRAG_FEEDBACK_PATH."
        )

    def check_writable(self) -> str | None:
        """None when feedback can be written; else a message naming the folder and setting."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return (
                f"feedback folder {folder} cannot be created ({error.strerror}); votes "
                "will not be saved: fix NEWSRAG_FEEDBACK_PATH"
            )
        target = self.path if self.path.exists() else folder
        if not os.access(target, os.W_OK):
            return (
                f"feedback file {target} is not writable; votes will not be saved: fix "
                "its permissions or NEWSRAG_FEEDBACK_PATH"
            )
        return None

    def records(self) -> list[dict[str, Any]]:
        """Every record saved so far, oldest first."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
