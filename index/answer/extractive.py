"""The extractive way of answering: the chosen sentences themselves, quoted and numbered."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from index.prompts import Prompts
from index.types import Citation, Composed, Evidence

_SPACE = re.compile(r"\s+")


class ExtractiveComposer:
    """Writes the answer from the chosen sentences themselves, quoted and numbered."""

    def __init__(self, prompts: Prompts) -> None:
        self.prompts = prompts

    def compose(
        self, question: str, language: str, evidence: Sequence[Evidence]
    ) -> tuple[str, list[Citation]]:
        """Answer text and citations; the refusal text when there is no evidence."""
        if not evidence:
            return self.prompts.render("refusal", language), []
        citations = [item.citation(n) for n, item in enumerate(evidence, start=1)]
        quotes = " ".join(
            self.prompts.render("quote", language, n=c.n, text=_SPACE.sub(" ", c.text).strip())
            for c in citations
        )
        return self.prompts.render("extractive", language, quotes=quotes), citations

    def compose_answer(self, question: str, language: str,
                       evidence: Sequence[Evidence]) -> Composed:
        """The extractive answer as a Composed value."""
        text, citations = self.compose(question, language, evidence)
        return Composed(text=text, citations=tuple(citations), mode="extractive")

    def stream(self, question: str, language: str, ranked: Sequence[Evidence],
               chosen: Sequence[Evidence], timings: dict[str, float]
               ) -> Iterator[str | Composed]:
        """The Composer seam: no pieces, just the answer."""
        yield self.compose_answer(question, language, chosen)
