"""The extractive way of answering: the article's own sentences, answer first, in the reader's
language.

A German reader gets the sentences quoted. A reader of another language gets each
sentence's checked rendering (a machine translation, see index.translate), with the
German original in the citation; a sentence without a checked rendering is quoted in
German with a short note, never shown with an unchecked translation. A yes/no question
whose best sentence denies it opens with "No." (index.answer.verdict); a "how many",
"how long" or "when" question with the value itself, a "who" question with the person
the sentence names (index.answer.lead, index.answer.who).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from index.answer.conflict import find_conflict
from index.answer.lead import value_lead
from index.answer.refusal import expected_answer_kind
from index.answer.verdict import verdict
from index.answer.where import place_lead
from index.answer.who import Senses, person_lead
from index.prompts import Prompts
from index.text.language import detect_language
from index.text.markers import cite
from index.text.sentences import split_sentences
from index.translate.terms import TermExtractor
from index.types import Citation, Composed, Evidence, Renderer, Rendering

_SPACE = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _readable_first(
    language: str, evidence: Sequence[Evidence], renderings: Sequence[Rendering | None]
) -> list[tuple[Evidence, Rendering | None]]:
    """The sentences in the order the reader gets them: those they can read (in their
    language, or with a checked rendering) before those quoted in another language, each
    group in its own order. "According to the law, affected persons should be punished
    more severely [1]. In German (no checked translation): ..." [2]" puts first what an
    English reader can read."""
    pairs = list(zip(evidence, renderings, strict=True))
    return sorted(
        pairs,
        key=lambda pair: pair[1] is None and detect_language(pair[0].text) != language,
    )


class ExtractiveComposer:
    """Writes the answer from the chosen sentences themselves (a Composer)."""

    def __init__(
        self,
        prompts: Prompts,
        renderer: Renderer | None = None,
        render_missing: bool = True,
        senses: Senses | None = None,
        terms: TermExtractor | None = None,
    ) -> None:
        self.prompts = prompts
        self.renderer = renderer
        # A German word's dictionary senses (None: unknown): they tell the people a
        # sentence names from its nouns, for the "who" lead. None: no such lead.
        self.senses = senses
        # Carries a yes/no question's words into German: is it about what a sentence's
        # "..., nicht aber Y" sets apart? None: such a sentence gives no verdict.
        self.terms = terms
        # Render a cited sentence now when no rendering is cached (an LLM call); when
        # False, such a sentence is quoted in German until pre-rendering reaches it.
        self.render_missing = render_missing

    def renderings(self, language: str, evidence: Sequence[Evidence]) -> list[Rendering | None]:
        """The checked rendering of each sentence for a reader of `language`, or None."""
        result: list[Rendering | None] = []
        for item in evidence:
            source = detect_language(item.text)
            if self.renderer is None or source == language:
                result.append(None)
                continue
            found = self.renderer.cached([item.text], source, language).get(item.text)
            if found is None and self.render_missing:
                found = self.renderer.render(item.text, source, language)
            result.append(found if found is not None and found.checked else None)
        return result

    def _conflict(self, language: str, pair: tuple[Evidence, Evidence]) -> Composed:
        """Two articles disagree: name the conflict and show both sides, cited."""
        renderings = self.renderings(language, pair)
        citations = tuple(
            item.citation(n, rendering)
            for n, (item, rendering) in enumerate(zip(pair, renderings, strict=True), start=1)
        )
        first, second = (
            cite(_clean(c.rendering.text), c.n)
            if c.rendering is not None
            else self.prompts.render("quote", language, n=c.n, text=_clean(c.text))
            for c in citations
        )
        text = self.prompts.render("conflict", language, first=first, second=second)
        return Composed(
            text=text,
            citations=citations,
            mode="extractive",
            direct_answer=split_sentences(text)[0],
        )

    def compose_answer(
        self,
        question: str,
        language: str,
        evidence: Sequence[Evidence],
        ranked: Sequence[Evidence] = (),
    ) -> Composed:
        """The extractive answer: refusal, or verdict + the sentences with [n] markers.

        `ranked` (every scored sentence) lets a contradicting article be found and named.
        """
        if not evidence:
            return Composed(self.prompts.render("refusal", language), (), "extractive")
        conflict = find_conflict(evidence, ranked)
        if conflict is not None:  # two articles disagree: say so and quote both
            return self._conflict(language, conflict)
        best = evidence[0]
        renderings = self.renderings(language, evidence)
        shown = renderings[0].text if renderings[0] is not None else ""
        citations = tuple(
            item.citation(n, rendering)
            for n, (item, rendering) in enumerate(
                _readable_first(language, evidence, renderings), start=1
            )
        )
        parts = self._parts(language, citations)
        opening = verdict(question, best, self.terms, language)
        lead = self.prompts.render(f"verdict_{opening}", language).strip() if opening else ""
        if not lead:  # "How many ...?" -> "Up to 9000." from the sentence itself
            value = value_lead(expected_answer_kind(question), question, best.text, language)
            if not value and self.senses is not None and detect_language(best.text) == "de":
                value = person_lead(
                    question, best.text, language, self.senses, shown
                ) or place_lead(question, best.text, language, self.senses, shown)
            lead = f"{value}." if value else ""
        text = " ".join(part for part in [lead, *parts] if part)
        direct = " ".join(part for part in [lead, parts[0]] if part)
        return Composed(text=text, citations=citations, mode="extractive", direct_answer=direct)

    def _parts(self, language: str, citations: Sequence[Citation]) -> list[str]:
        """Rendered sentences with their markers; quotes grouped into one block per kind:
        in the reader's language ("Laut Artikel: ...") or untranslated ("In German ...").
        """
        blocks: dict[str, list[str]] = {"extractive": [], "untranslated": []}
        parts: list[str | tuple[str]] = []  # a 1-tuple holds the kind of a quote block
        for citation in citations:
            if citation.rendering is not None:
                parts.append(cite(_clean(citation.rendering.text), citation.n))
                continue
            kind = "extractive" if detect_language(citation.text) == language else "untranslated"
            if not blocks[kind]:
                parts.append((kind,))  # the block goes where its first quote is
            blocks[kind].append(
                self.prompts.render("quote", language, n=citation.n, text=_clean(citation.text))
            )
        return [
            part
            if isinstance(part, str)
            else self.prompts.render(part[0], language, quotes=" ".join(blocks[part[0]]))
            for part in parts
        ]

    def compose(
        self,
        question: str,
        language: str,
        evidence: Sequence[Evidence],
        ranked: Sequence[Evidence] = (),
    ) -> tuple[str, list[Citation]]:
        """Answer text and citations (compose_answer without the extras)."""
        composed = self.compose_answer(question, language, evidence, ranked)
        return composed.text, list(composed.citations)

    def stream(
        self,
        question: str,
        language: str,
        ranked: Sequence[Evidence],
        chosen: Sequence[Evidence],
        timings: dict[str, float],
    ) -> Iterator[str | Composed]:
        """The Composer seam: no pieces, just the answer."""
        yield self.compose_answer(question, language, chosen, ranked)
