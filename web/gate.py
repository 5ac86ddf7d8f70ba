"""A bounded turnstile for work that shares one scarce thing (the language model).

Gradio puts each event in one concurrency group, fixed when the page is built; the
`/ask` API takes both answer modes, so it cannot route a call to a group by its mode.
Its handler takes a Gate for the mode instead (see web.handlers.Handlers.ask).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from index.errors import NewsragError


class Busy(NewsragError):
    """Too many calls are already waiting at a gate; the caller should try again later."""


class Gate:
    """At most `running` holders at once and `waiting` more waiting for a turn.

    A call beyond both is refused at once with Busy, so waiting calls (each a thread of
    the server) stay bounded. `waiting=None`: wait without a bound of its own (for a gate
    whose callers are already bounded elsewhere).
    """

    def __init__(self, running: int, waiting: int | None, busy_message: str = "") -> None:
        if running <= 0:
            raise ValueError(f"running must be greater than 0; got {running}")
        if waiting is not None and waiting < 0:
            raise ValueError(f"waiting must be 0 or more; got {waiting}")
        self.running = running
        self.waiting = waiting
        self._turns = threading.BoundedSemaphore(running)
        self._admitted = None if waiting is None else threading.BoundedSemaphore(running + waiting)
        self._busy_message = busy_message or (
            f"Busy: {running} running and {waiting} waiting already; try again later."
        )

    @property
    def capacity(self) -> int | None:
        """How many calls it holds at most, running or waiting (None: no bound)."""
        return None if self.waiting is None else self.running + self.waiting

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Wait for a turn and keep it for the `with` block; Busy when the line is full."""
        if self._admitted is not None and not self._admitted.acquire(blocking=False):
            raise Busy(self._busy_message)
        try:
            with self._turns:
                yield
        finally:
            if self._admitted is not None:
                self._admitted.release()
