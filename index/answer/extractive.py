"""The extractive way of answering: the chosen sentences themselves, quoted and numbered."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from index.answer.conflict import find_conflict
from index.prompts import Prompts
from index.types import Citation, Composed, Evidence

_SPACE = re.compile(r"\s+")


class ExtractiveComposer:
    """Writes the answer from the chosen sentences themselves, quoted and numbered."""

    def __init__(self, prompts: Prompts) -> None:
        self.prompts = prompts

    def compose(
        self, question: str, language: str, evidence: Sequence[Evidence],
        ranked: Sequence[Evidence] = (),
    ) -> tuple[str, list[Citation]]:
        """Answer text and citations; the refusal text when there is no evidence.

        `ranked` (every scored sentence) lets a contradicting article be found and named.
        """
        if not evidence:
            return self.prompts.render("refusal", language), []
        conflict = find_conflict(evidence, ranked)
        if conflict is not None:  # two articles disagree: say so and quote both
            return self._conflict(language, conflict)
        citations = [item.citation(n) for n, item in enumerate(evidence, start=1)]
        quotes = " ".join(
            self.prompts.render("quote", language, n=c.n, text=_SPACE.sub(" ", c.text).strip())
            for c in citations
        )
        return self.prompts.render("extractive", language, quotes=quotes), citations

    def _conflict(self, language: str, pair: tuple[Evidence, Evidence]
                  ) -> tuple[str, list[Citation]]:
        citations = [item.citation(n) for n, item in enumerate(pair, start=1)]
        first, second = (
            self.prompts.render("quote", language, n=c.n, text=_SPACE.sub(" ", c.text).strip())
            for c in citations)
        return self.prompts.render("conflict", language, first=first, second=second), citations

    def compose_answer(self, question: str, language: str,
                       evidence: Sequence[Evidence], ranked: Sequence[Evidence] = ()
                       ) -> Composed:
        """The extractive answer as a Composed value."""
        text, citations = self.compose(question, language, evidence, ranked)
        return Composed(text=text, citations=tuple(citations), mode="extractive")

    def stream(self, question: str, language: str, ranked: Sequence[Evidence],
               chosen: Sequence[Evidence], timings: dict[str, float]
               ) -> Iterator[str | Composed]:
        """The Composer seam: no pieces, just the answer."""
        yield self.compose_answer(question, language, chosen, ranked)
