"""The newsroom's termbase: German news terms with the English a newsroom uses for them.

Why by hand: the Ding dictionary lacks some news terms ("Unterhaus") and gives others a
sense news English does not use ("Bundestag" -> "National Assembly", "stellvertretend"
-> "representative"); a weak LLM follows whatever hint it gets. A termbase is the
translator's usual answer: a short list an editor keeps, read before the dictionary.
The file is UTF-8 text, one term a line: a German word, a tab, its English renderings
separated by "; " (the preferred one first); "#" starts a comment line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import SettingsError


@dataclass(frozen=True)
class Termbase:
    """German words as written, each with its English renderings, preferred first."""

    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _by_form: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lowered = {word.lower(): senses for word, senses in self.terms.items()}
        object.__setattr__(self, "_by_form", lowered)  # frozen: set once, here

    @property
    def digest(self) -> str:
        """What identifies these terms (for caches made with them)."""
        raw = "\n".join(
            f"{word}\t{'; '.join(senses)}" for word, senses in sorted(self.terms.items())
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:16]

    def senses(self, form: str) -> tuple[str, ...] | None:
        """The renderings of one German form as written (case aside); None when absent."""
        return self._by_form.get(form.lower())

    def german_for(self, phrase: str) -> tuple[str, ...]:
        """The German words given for an English rendering ("lower house" -> Unterhaus)."""
        wanted = phrase.lower().strip()
        return tuple(
            word
            for word, senses in self.terms.items()
            if any(sense.lower() == wanted for sense in senses)
        )


def parse_termbase(text: str, origin: str = "termbase") -> Termbase:
    """The terms of a termbase file's text; a malformed line is a SettingsError naming it."""
    terms: dict[str, tuple[str, ...]] = {}
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        german, tab, english = line.partition("\t")
        senses = tuple(sense.strip() for sense in english.split(";") if sense.strip())
        if not tab or not german.strip() or len(german.split()) != 1 or not senses:
            raise SettingsError(
                f"{origin}, line {number}: expected one German word, a tab and its English "
                f"renderings separated by '; '; got {line!r}"
            )
        word = german.strip()
        if word.lower() in seen:
            raise SettingsError(f"{origin}, line {number}: {word!r} is listed twice")
        seen.add(word.lower())
        terms[word] = senses
    return Termbase(terms)


def load_termbase(path: Path) -> Termbase:
    """The termbase at `path`; a missing or malformed file is a SettingsError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"cannot read the termbase {path}: {error}") from error
    return parse_termbase(text, str(path))
