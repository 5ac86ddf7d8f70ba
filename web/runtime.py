"""The page's link to the pipeline: components that may still be loading in the background.

The page is served at once; the models load and the index is built in a thread while a
status line tells the reader how far it got. Handlers ask `require()` for the
components and get a `NotReady` error (a friendly message) until they are there.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from index.errors import NewsragError, StoreError, one_line

State = Literal["loading", "ready", "failed"]
Progress = Callable[[float, str], None]
Loader = Callable[[Progress], Any]


class NotReady(RuntimeError):
    """The components are still loading, or failed to load; the message says which."""


@dataclass(frozen=True)
class Status:
    """Where loading stands, in words for the reader."""

    state: State
    message: str


class Runtime:
    """Holds the components once they are built; thread-safe."""

    def __init__(self, retry_seconds: float | None = None) -> None:
        self._lock = threading.Lock()
        self._components: Any = None
        self._status = Status("loading", "Starting …")
        # A store that is down at start (a Chroma server not up yet) is waited for:
        # loading is tried again every `retry_seconds`; None means one try.
        self.retry_seconds = retry_seconds
        self._stop = threading.Event()
        # Set when the background warm-up after Ready has ended (the LLM, renderings,
        # lingua's models): answers before it work but may wait for those loads.
        self._warm = threading.Event()

    @classmethod
    def ready(cls, components: Any) -> Runtime:
        """A runtime around components that are already built (tests, scripts)."""
        runtime = cls()
        runtime._set_ready(components)
        runtime.mark_warm()  # built by the caller: nothing warms up behind it
        return runtime

    def _set_ready(self, components: Any) -> None:
        count = len(components.store.document_hashes())  # metadata only, not the texts
        with self._lock:
            self._components = components
            self._status = Status("ready", f"Ready · {count} article{'s' * (count != 1)} indexed")

    def progress(self, fraction: float, message: str) -> None:
        """Record loading progress (a ProgressCallback)."""
        with self._lock:
            if self._components is None:
                self._status = Status("loading", f"Loading: {message} ({fraction:.0%})")

    def load(self, loader: Loader) -> None:
        """Run `loader(progress)` now; the status says whether it worked.

        A StoreError (the store cannot be reached) is retried every `retry_seconds`
        until it works or `stop()` is called; the status says so meanwhile.
        """
        attempt = 1
        while True:
            try:
                components = loader(self.progress)
            except StoreError as error:
                if self.retry_seconds is None:
                    self._fail(f"Could not start: {error}")
                    print(f"error: {error}", file=sys.stderr)
                    return
                self._fail(
                    f"Could not start (attempt {attempt}), trying again every "
                    f"{self.retry_seconds:g} s: {error}"
                )
                print(
                    f"error (attempt {attempt}; retrying): {one_line(error)}",
                    file=sys.stderr,
                    flush=True,
                )
                attempt += 1
                if self._stop.wait(self.retry_seconds):
                    return
                continue
            except NewsragError as error:  # a bad setting, a missing model: retry won't help
                self._fail(f"Could not start: {error}")
                print(f"error: {error}", file=sys.stderr)
                return
            except Exception:
                traceback.print_exc(file=sys.stderr)
                self._fail(
                    "Could not start: an unexpected error happened while loading "
                    "(details in the server log)."
                )
                return
            self._set_ready(components)
            print(self.status().message, file=sys.stderr, flush=True)
            return

    def mark_warm(self) -> None:
        """Record that the warm-up behind Ready has ended (whether or not it all loaded)."""
        self._warm.set()

    @property
    def warm(self) -> bool:
        """Whether the warm-up behind Ready has ended."""
        return self._warm.is_set()

    def stop(self) -> None:
        """End a retry loop (tests, shutdown)."""
        self._stop.set()

    def start(self, loader: Loader) -> threading.Thread:
        """Load in a background thread (a daemon, so a stopped server does not wait)."""
        thread = threading.Thread(
            target=self.load, args=(loader,), name="newsrag-loader", daemon=True
        )
        thread.start()
        return thread

    def _fail(self, message: str) -> None:
        with self._lock:
            self._status = Status("failed", message)

    def status(self) -> Status:
        """The current status."""
        with self._lock:
            return self._status

    def refresh(self) -> Status:
        """Recount the articles after the corpus changed (ready runtimes only)."""
        components = self.components
        if components is not None:
            self._set_ready(components)
        return self.status()

    @property
    def components(self) -> Any:
        """The components, or None while loading."""
        with self._lock:
            return self._components

    def require(self) -> Any:
        """The components; NotReady with the status message when they are not there."""
        components = self.components
        if components is None:
            status = self.status()
            if status.state == "failed":
                raise NotReady(status.message)
            raise NotReady(
                f"The models are still loading; please try again in a moment. ({status.message})"
            )
        return components


def load_components(
    settings: Any, progress: Progress, on_warm: Callable[[], None] | None = None
) -> Any:
    """Build the components from settings (index.wiring) and index the corpus on first run.

    The warm-up behind Ready runs in a thread and calls `on_warm` when it has ended.
    """
    from index.wiring import build, ensure_index

    progress(0.05, "loading the embedding model")
    components = build(settings)
    # gradio's wrapper of every event imports matplotlib (web.import_gradio): here,
    # before Ready, rather than in the first reader's question (0.4 s, more under load).
    import matplotlib  # noqa: F401  (a dependency)

    progress(0.5, "checking the index")
    ensure_index(components, lambda fraction, message: progress(0.5 + fraction / 2, message))
    # The page is ready now; lingua's models (needed by few questions), the LLM and the
    # renderings warm up behind it.
    threading.Thread(
        target=_warm_up, args=(components, on_warm), name="newsrag-warm-up", daemon=True
    ).start()
    return components


def _warm_up(components: Any, on_warm: Callable[[], None] | None = None) -> None:
    from index.text.language import load_detectors
    from index.wiring import warm_up

    # The models first: their loads are native code that lets an answer run meanwhile.
    # lingua's models (about 2.4 s, needed only by questions with few function words)
    # load last: building them holds the GIL, and the first reader's question, often
    # asked right after Ready, would wait for it (measured: 2.6-2.9 s).
    try:
        warm_up(components, lambda fraction, message: None)
        print("language model loaded; renderings ready", file=sys.stderr, flush=True)
    except NewsragError as error:  # answers still work; renderings are made on demand
        print(f"warm-up incomplete: {error}", file=sys.stderr, flush=True)
    finally:
        try:
            load_detectors()
        finally:
            if on_warm is not None:
                on_warm()
