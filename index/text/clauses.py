"""A long sentence cut into its clauses, for matching a question clause by clause
(index.answer.clauses).

A sentence of CLAUSE_MIN_WORDS words or more is cut at commas, semicolons, colons and
"und"/"and"; a piece under CLAUSE_MIN_PIECE words joins its neighbour ("so Gürth").

Why by hand: a clause cutter for scoring needs no parse, only cuts that keep each piece
a readable phrase; the ingest's sentence splitter keeps whole sentences.
"""

from __future__ import annotations

import re

CLAUSE_MIN_WORDS = 14  # shorter sentences are matched whole
CLAUSE_MIN_PIECE = 4  # a shorter piece joins its neighbour ("so Gürth")
_CUT = re.compile(r",\s+|;\s+|:\s+|\s+und\s+|\s+and\s+")
_QUOTES = ' "„“”«»'


def clauses(text: str) -> list[str]:
    """The clauses of a long sentence, in order; [] for a sentence matched whole."""
    if len(text.split()) < CLAUSE_MIN_WORDS:
        return []
    pieces: list[str] = []
    for piece in _CUT.split(text):
        piece = piece.strip(_QUOTES)
        if not piece:
            continue
        if pieces and min(len(piece.split()), len(pieces[-1].split())) < CLAUSE_MIN_PIECE:
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces if len(pieces) > 1 else []
