"""gradio is imported without its type-stub upkeep, and nothing else changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from web import SkipStubUpkeep

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from web import import_gradio
gr = import_gradio()
import gradio.component_meta as meta
with gr.Blocks() as page:
    gr.Textbox(label="question")
print(json.dumps({
    "upkeep": meta.create_or_modify_pyi.__name__,
    "hooks_left": [type(f).__name__ for f in sys.meta_path if type(f).__name__ == "SkipStubUpkeep"],
    "analytics": __import__("os").environ["GRADIO_ANALYTICS_ENABLED"],
    "matplotlib_backend": __import__("os").environ["MPLBACKEND"],
    "same": import_gradio() is gr,
}))
"""


def test_a_fresh_import_skips_the_stub_upkeep_and_removes_its_hook() -> None:
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=str(ROOT),
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "upkeep": "_no_stub_upkeep",
        "hooks_left": [],
        "analytics": "False",
        "matplotlib_backend": "agg",  # gradio's event wrapper then skips importing pyplot
        "same": True,
    }


def test_the_hook_leaves_every_other_module_to_the_usual_finders() -> None:
    hook = SkipStubUpkeep()
    assert hook.find_spec("json", None) is None
    assert hook.find_spec("gradio.components", None) is None
