"""Who wrote the article: the author its metadata names, cited where the text names them.

"Who wrote the analysis?" shares no words with "Dieser Text enthält eine Einordnung ...,
in die ... auch die Einschätzungen von Marie Illner ... einfließen" (cosine 0.22, under
the refusal threshold), yet the article's header names its author (`author: Marie
Illner`, recorded with the article at ingest). A question for the author cites the
best-scored sentence of the article that names that author; when no sentence does, it
is answered as any other question (the header is not part of the text a citation
points into).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from index.text.names import mentions
from index.types import Evidence

# What a question calls the article ("the analysis", "diesen Text").
_ARTICLE = (
    r"(?:(?:the|this)\s+)?(?:article|analysis|piece|text|story|report|commentary|column)"
    r"|(?:(?:den|diesen|die|diese|das|dieses)\s+)?(?:artikel|analyse|text|beitrag|bericht|"
    r"kommentar)"
)
_AUTHOR_QUESTION = re.compile(
    r"\bwho\s+(?:has\s+)?(?:wrote|written|authored|penned)\s*"
    rf"(?:{_ARTICLE})?\s*[?.!]*\s*$"
    rf"|\bwho\s+(?:is|was)\s+(?:the\s+)?(?:author|writer)\b(?!\s+of\s+(?!{_ARTICLE}))"
    rf"|\b(?:author|writer|byline)\s+of\s+(?:{_ARTICLE})\b"
    r"|\bwhich\s+journalist\b"
    r"|\bwhose\s+(?:article|analysis|piece|text|story|assessment|judge?ment)\b"
    rf"|\bwer\s+(?:hat\s+)?(?:{_ARTICLE})?\s*(?:geschrieben|verfasst|schrieb|verfasste)"
    rf"\s*(?:{_ARTICLE})?\s*[?.!]*\s*$"
    r"|\bwer\s+ist\s+(?:der\s+|die\s+)?(?:autor|autorin|verfasser|verfasserin)\b"
    rf"|\b(?:autor|autorin|verfasser|verfasserin)\s+(?:{_ARTICLE})\b"
    r"|\bvon\s+wem\s+(?:stammt|ist)\s+(?:der|die|das|dieser|diese|dieses)\s+"
    r"(?:artikel|analyse|text|beitrag)\b"
    r"|\bwelche[rs]?\s+journalist(?:in)?\b",
    re.IGNORECASE,
)


def asks_for_author(question: str) -> bool:
    """True for a question about who wrote the article ("Who wrote the analysis?",
    "Wer ist die Autorin?", "Which journalist's judgement shapes this piece?")."""
    return _AUTHOR_QUESTION.search(question) is not None


def naming_the_author(ranked: Sequence[Evidence], authors: Mapping[str, str]) -> list[Evidence]:
    """[the best-scored sentence that names its article's author] ([] when none does).

    An author is named by their surname (the last word of the recorded name)."""
    for item in ranked:
        author = authors.get(item.doc_id, "")
        surname = author.split()[-1] if author.split() else ""
        if surname and mentions(item.text, surname):
            return [item]
    return []
