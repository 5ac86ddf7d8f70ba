"""Answer text split into sentences, citation markers kept with the sentence they close."""

from __future__ import annotations

import re

from index.text.markers import markers_of
from index.text.tokens import words

_END = re.compile(r"[.!?…]+[\"'“”»«)]*(?:\s*\[[\d,;\s]+\])*")
_STARTS_SENTENCE = re.compile(r"[\"'“„»«(]?[A-ZÄÖÜ0-9]")


_ABBREVIATIONS = frozenset(
    "dr prof mr mrs ms st nr ca bzw vgl z.b u.a etc usw inkl evtl ggf jr sr vs no".split()
)


def split_sentences(text: str) -> list[str]:
    """Answer text split into sentences; markers after the full stop stay with their sentence.

    Short uncited openings ("No." / "Nein.") are joined to the sentence that follows.
    """
    pieces: list[str] = []
    for line in text.splitlines():
        pieces.extend(_split_line(line))
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        piece = f"{carry} {piece}".strip() if carry else piece
        carry = ""
        if not markers_of(piece) and len(words(piece)) <= 2 and piece is not pieces[-1]:
            carry = piece
            continue
        merged.append(piece)
    if carry:
        merged.append(carry)
    return merged


def _split_line(line: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(line):
        end = match.end()
        rest = line[end:]
        if rest and not rest[:1].isspace():
            continue
        if rest.strip() and not _STARTS_SENTENCE.match(rest.lstrip()):
            continue
        before = line[start : match.start()].split()
        last = before[-1].lower().strip("(\"'„“") if before else ""
        if match.group().startswith(".") and (
            last in _ABBREVIATIONS or re.fullmatch(r"\d{1,2}|[a-zäöü]", last)
        ):
            continue
        sentences.append(line[start:end].strip())
        start = end
    tail = line[start:].strip()
    if tail:
        sentences.append(tail)
    return [sentence for sentence in sentences if sentence]
