"""The Gradio chat page: rendering, handlers and layout; no retrieval or answer logic."""

from __future__ import annotations

import os
from typing import Any


def import_gradio() -> Any:
    """gradio, imported with its analytics off (it would look up outside hosts at start)."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    import gradio

    return gradio
