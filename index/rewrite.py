"""Follow-up questions made standalone by the LLM, before retrieval.

"What does she think about the trip?" after "Who is Lisa Gürth?" becomes "What does
Lisa Gürth think about the trip?". The LLM is asked only when the question looks like
a follow-up (`index.answer.is_follow_up`); its rewrite is checked (one line, a sensible
length, the question's language, no answer text) and replaced by the heuristic
rewrite when it fails a check.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from index.answer import HeuristicRewriter, Rewriter, is_follow_up
from index.lexical import detect_language, words
from index.prompts import Prompts
from index.settings import Settings
from index.types import Generator, Turn

log = logging.getLogger(__name__)

_LABEL = re.compile(r"^\s*(?:[\w ]{0,30}(?:question|frage)\s*:)\s*", re.IGNORECASE)
_MARKER = re.compile(r"\[\d+\]")


class LLMRewriter:
    """Rewrites follow-ups with an LLM; falls back to another Rewriter (heuristic)."""

    def __init__(self, generator: Generator, prompts: Prompts,
                 fallback: Rewriter | None = None, max_turns: int = 4,
                 max_turn_chars: int = 300, max_tokens: int = 60,
                 max_chars: int = 300) -> None:
        if max_turns <= 0 or max_tokens <= 0 or max_chars <= 0:
            raise ValueError(f"max_turns, max_tokens and max_chars must be greater than 0; "
                             f"got {max_turns}, {max_tokens}, {max_chars}")
        self.generator = generator
        self.prompts = prompts
        self.fallback = fallback or HeuristicRewriter()
        self.max_turns = max_turns
        self.max_turn_chars = max_turn_chars
        self.max_tokens = max_tokens
        self.max_chars = max_chars

    def rewrite(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone version of `question`; the question itself when it needs none."""
        if not history or not is_follow_up(question):
            return question
        language = detect_language(question, default="en")
        system = self.prompts.render("rewrite_system", language).strip()
        user = self.prompts.render("rewrite_user", language,
                                   history=self.history_text(history, language),
                                   question=question.strip()).strip()
        reply = "".join(self.generator.stream(system, user, self.max_tokens))
        candidate = clean_rewrite(reply)
        problem = self.problem(candidate, question, language)
        if problem:
            log.info("rewrite %r rejected (%s); using the heuristic", candidate, problem)
            return self.fallback.rewrite(question, history)
        return candidate

    def history_text(self, history: Sequence[Turn], language: str) -> str:
        """The last turns, one line each, shortened."""
        lines = []
        for turn in list(history)[-self.max_turns:]:
            text = " ".join(turn.content.split())
            if len(text) > self.max_turn_chars:
                text = text[:self.max_turn_chars].rsplit(" ", 1)[0] + " …"
            lines.append(self.prompts.render(f"history_{turn.role}", language, text=text))
        return "\n".join(lines)

    def problem(self, candidate: str, question: str, language: str) -> str:
        """Why a rewrite is unusable; "" when it is fine."""
        if not words(candidate):
            return "empty"
        if len(candidate) > self.max_chars or len(candidate) > 3 * len(question) + 120:
            return f"too long ({len(candidate)} characters)"
        if _MARKER.search(candidate):
            return "contains citation markers (an answer, not a question)"
        if detect_language(candidate, default=language) != language:
            return "in another language"
        return ""


def clean_rewrite(reply: str) -> str:
    """The first non-empty line of the reply, without a label and quotes."""
    line = next((line for line in reply.splitlines() if line.strip()), "")
    line = _LABEL.sub("", line).strip()
    return line.strip("\"'„“”«» ").strip()


def build_llm_rewriter(settings: Settings, prompts: Prompts) -> LLMRewriter:
    """The LLM rewriter on the configured (shared) LLM, the heuristic as fallback."""
    from index.generate import build_generator

    return LLMRewriter(build_generator(settings), prompts)
