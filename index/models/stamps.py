"""Small JSON stamps kept beside model files: what a one-time export or check found.

Read tolerantly (a missing or damaged stamp is no stamp: the work is done again) and
written atomically (a temporary file, then a rename), so a reader never sees half a
stamp and two processes writing at once leave one whole.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def read_stamp(path: Path) -> dict[str, Any] | None:
    """The stamp at `path`, or None when it is missing, unreadable or not an object."""
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def write_stamp(path: Path, stamp: dict[str, Any]) -> None:
    """Write `stamp` to `path` atomically; OSError when the folder is not writable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    temporary.write_text(json.dumps(stamp, indent=2), encoding="utf-8")
    os.replace(temporary, path)
