"""Prompt and answer templates, loaded by name and language from prompts/.

A template file is `prompts/<name>.<lang>.txt` and uses `{variable}` placeholders
(documented in prompts/README.md). Missing languages fall back to English.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from index.errors import PromptError


def default_prompts_dir() -> Path:
    """prompts/ at the project root, next to the index package."""
    return Path(__file__).resolve().parent.parent / "prompts"


class Prompts:
    """Reads templates from one folder and fills them in."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_prompts_dir()
        if not self.folder.is_dir():
            raise PromptError(f"prompt folder {self.folder} does not exist")

    @lru_cache(maxsize=128)  # noqa: B019 - one Prompts object lives as long as the app
    def template(self, name: str, language: str) -> str:
        """The raw template text for `name` in `language` (English when missing)."""
        for lang in (language, "en"):
            path = self.folder / f"{name}.{lang}.txt"
            if path.is_file():
                return path.read_text(encoding="utf-8")
        raise PromptError(f"no template {name!r} in {self.folder} for {language!r} or 'en'")

    def render(self, name: str, language: str, **values: object) -> str:
        """The template filled with `values`; every placeholder must be given, no extras."""
        text = self.template(name, language)
        wanted = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        if wanted != set(values):
            raise PromptError(
                f"template {name}.{language} wants {sorted(wanted)}, got {sorted(values)}"
            )
        return text.format(**values)
