"""The domain errors: each carries a message meant for the person at the edge.

A leaf module: everything may import it, it imports nothing of ours. Each error is
raised where the problem is found; the edges (command line, web page, eval) catch
`NewsragError` and show its message as one line. Anything else is a bug.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


class NewsragError(Exception):
    """Base of every error whose message is meant for the user."""


class SettingsError(NewsragError, ValueError):
    """A setting has a bad value; the message names it."""


class ModelError(NewsragError, RuntimeError):
    """A model is missing, incomplete or corrupt; the message says how to fix it."""


class StoreError(NewsragError, RuntimeError):
    """The store cannot be reached or does not fit the settings; the message says why."""


class CorpusError(NewsragError, ValueError):
    """An article cannot be read or stored; the message names the file and the reason."""


class QuestionError(NewsragError, ValueError):
    """The question cannot be answered as given (empty, too long); the message says why."""


class PromptError(NewsragError, LookupError):
    """A template is missing or was given the wrong variables."""


def one_line(error: BaseException) -> str:
    """The error's message on one line, as the edges print it."""
    return " ".join(str(error).split()) or type(error).__name__


def run_command(command: Callable[[], int], extra: tuple[type[Exception], ...] = ()) -> int:
    """Run a command-line entry point: a NewsragError (or one of `extra`) becomes one line
    on stderr and exit code 1; Ctrl-C exits 130. Anything else is a bug and propagates.
    """
    caught: tuple[type[Exception], ...] = (NewsragError, *extra)
    try:
        return int(command())
    except caught as error:
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
