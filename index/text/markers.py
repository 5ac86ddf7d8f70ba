"""Citation markers: "[1]", "[1, 2]", "[1][2]". The one parser for writing and reading them.

Answers, the verifier, the follow-up rewriter and the page all read markers through
these functions, so they agree on what a marker is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_SEPARATOR = re.compile(r"\s*[,;]\s*")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])")
_CLOSING = re.compile(r"[.!?…]+[\"'“”»«)]*$")


@dataclass(frozen=True)
class Marker:
    """One marker in a text: its span (leading space included) and the numbers it names."""

    start: int
    end: int
    numbers: tuple[int, ...]


def find_markers(text: str) -> Iterator[Marker]:
    """Every marker of a text, in order."""
    for match in MARKER.finditer(text):
        numbers = tuple(int(part) for part in _SEPARATOR.split(match.group(1)))
        yield Marker(match.start(), match.end(), numbers)


def markers_of(text: str) -> list[int]:
    """The citation numbers in a text, in order ("[1, 2]" and "[1][2]" both give 1, 2)."""
    return [n for marker in find_markers(text) for n in marker.numbers]


def has_markers(text: str) -> bool:
    """True when the text holds at least one citation marker."""
    return MARKER.search(text) is not None


def without_markers(text: str) -> str:
    """The text with its citation markers removed and spacing tidied."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", MARKER.sub("", text)).strip()


def cite(text: str, n: int) -> str:
    """`text` (without markers) with the marker [n] before its closing punctuation."""
    match = _CLOSING.search(text)
    if match is None:
        return f"{text} [{n}]"
    return f"{text[: match.start()]} [{n}]{text[match.start() :]}"


def renumber(text: str, mapping: Mapping[int, int]) -> str:
    """Markers rewritten through `mapping`; numbers missing from it are removed.

    The result never holds a marker that points outside `mapping`'s values.
    """

    def replace(match: re.Match[str]) -> str:
        kept = [
            mapping[n] for n in (int(p) for p in _SEPARATOR.split(match.group(1))) if n in mapping
        ]
        unique = list(dict.fromkeys(kept))
        return (" " + "".join(f"[{n}]" for n in unique)) if unique else ""

    return _SPACE_BEFORE_PUNCT.sub(r"\1", MARKER.sub(replace, text)).strip()
