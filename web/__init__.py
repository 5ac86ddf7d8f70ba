"""The Gradio chat page: rendering, handlers and layout; no retrieval or answer logic."""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

STUB_UPKEEP_MODULE = "gradio.component_meta"
STUB_UPKEEP_FUNCTION = "create_or_modify_pyi"


def import_gradio() -> Any:
    """gradio, imported with its analytics off (it would look up outside hosts at start)
    and without its type-stub upkeep (see `SkipStubUpkeep`).

    matplotlib's backend is "agg" unless MPLBACKEND says otherwise: gradio wraps every
    event in a switch to "agg", whose `get_backend()` otherwise resolves the default
    backend by importing pyplot (0.5 s, measured), on the first question of a worker.
    Set before matplotlib is imported (it reads MPLBACKEND then); child processes
    inherit it.
    """
    if "gradio" not in sys.modules:
        os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
        os.environ.setdefault("MPLBACKEND", "agg")
        hook = SkipStubUpkeep()
        sys.meta_path.insert(0, hook)
        try:
            import gradio
        finally:
            with contextlib.suppress(ValueError):
                sys.meta_path.remove(hook)
    import gradio  # through the import lock: never a half-imported module

    return gradio


class SkipStubUpkeep(importlib.abc.MetaPathFinder):
    """Import `gradio.component_meta` with `create_or_modify_pyi` made a no-op.

    For every component class it defines, gradio reads the class's source file, parses
    it and its `.pyi` stub with `ast`, and rewrites the stub when they differ: upkeep of
    gradio's own type stubs, which does nothing at run time (they ship up to date). It
    was more than half of `import gradio`: 5.2-6.0 s against 2.3-2.5 s without it,
    measured here. Nothing else changes: the module is found and run by the usual
    finders, then that one function is replaced; if a gradio release drops or renames
    it, the import goes on unchanged. Used for one import, then removed by its caller
    (not by itself: Python walks `sys.meta_path` while asking, so a finder that removes
    itself makes the next one skipped).
    """

    def __init__(self) -> None:
        self.done = False

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != STUB_UPKEEP_MODULE or self.done:
            return None
        self.done = True
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = spec.loader if spec is not None else None
        if spec is None or not isinstance(loader, importlib.machinery.SourceFileLoader):
            return spec  # not the usual source module: leave it alone
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            if callable(getattr(module, STUB_UPKEEP_FUNCTION, None)):
                setattr(module, STUB_UPKEEP_FUNCTION, _no_stub_upkeep)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _no_stub_upkeep(*args: Any, **kwargs: Any) -> None:
    """Stands in for gradio's `create_or_modify_pyi` (see SkipStubUpkeep)."""
