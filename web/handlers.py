"""The page's event handlers as plain Python, built around a Runtime; no layout here.

Each handler takes and returns the values of the page's components, so tests call them
directly. Domain errors (`index.errors.NewsragError`, loading, feedback) are shown with
their own message; anything else is logged to stderr with its traceback and the reader
sees a short generic message, never a stack trace. On the page a problem is a warning
toast and the inputs stay as they were (raising would paint every output red); the API
raises `gr.Error`, which gradio_client turns into an AppError with the message.
"""

from __future__ import annotations

import html
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from index.errors import NewsragError, one_line
from index.ingest.library import Library
from index.types import Answer, Turn
from web import import_gradio, render
from web.feedback import FeedbackError, FeedbackStore, feedback_record
from web.gate import Gate
from web.runtime import NotReady, Runtime


class EditingOff(PermissionError):
    """An article change was asked of a page without editing."""


FRIENDLY_ERRORS: tuple[type[Exception], ...] = (NewsragError, NotReady, FeedbackError, EditingOff)
GENERIC_ERROR = "Something went wrong on our side. It was logged; please try again."
Progress = Callable[[float, str], None]
Message = dict[str, str]
T = TypeVar("T")


def _gr() -> Any:
    return import_gradio()


def explain(error: BaseException, doing: str) -> str:
    """The words a reader sees for `error`; unexpected errors are logged with traceback."""
    if isinstance(error, FRIENDLY_ERRORS):
        # Expected (a rejected question, a dead store): one line in the log, no traceback.
        print(f"refused while {doing}: {one_line(error)}", file=sys.stderr, flush=True)
        return str(error)
    print(f"error while {doing}:", file=sys.stderr)
    traceback.print_exception(error, file=sys.stderr)
    return GENERIC_ERROR


def _doc_ids(answer: Answer) -> list[str]:
    """The articles an answer's source panel may show: those of its citations and passages."""
    return list(
        dict.fromkeys([c.doc_id for c in answer.citations] + [p.doc_id for p in answer.passages])
    )


def warn(message: str) -> None:
    """A warning toast on the page (gradio renders its text as HTML, so it is escaped)."""
    _gr().Warning(html.escape(message, quote=False))


def friendly(error: BaseException, doing: str) -> Exception:
    """The gr.Error for `error` (the API's way to report it)."""
    # explain() has logged it (one line, or the traceback of a bug): gradio need not again.
    return _gr().Error(html.escape(explain(error, doing), quote=False), print_exception=False)


@dataclass(frozen=True)
class Session:
    """One reader's conversation: the answers so far and the one the source panel shows."""

    answers: tuple[Answer, ...] = ()
    selected: int = -1

    def history(self) -> list[Turn]:
        """The conversation as Turn values for the answerer (plain text, not markup)."""
        turns: list[Turn] = []
        for answer in self.answers:
            turns.append(Turn(role="user", content=answer.question))
            turns.append(Turn(role="assistant", content=answer.answer))
        return turns

    def add(self, answer: Answer) -> Session:
        """The session with one more answer, which the source panel then shows."""
        return Session(answers=(*self.answers, answer), selected=len(self.answers))

    def current(self) -> tuple[int, Answer] | None:
        """The answer shown in the source panel, with its number."""
        if not self.answers:
            return None
        index = self.selected if 0 <= self.selected < len(self.answers) else len(self.answers) - 1
        return index, self.answers[index]

    def messages(self, titles: dict[str, str]) -> list[Message]:
        """The chat as the Chatbot shows it (role/content dicts, rendered and escaped)."""
        result: list[Message] = []
        for turn, answer in enumerate(self.answers):
            result.append({"role": "user", "content": render.user_message(answer.question)})
            result.append(
                {"role": "assistant", "content": render.answer_message(answer, turn, titles)}
            )
        return result


def answer_note(answer: Answer, requested_mode: str) -> str:
    """A small line under the chat: how the answer was made."""
    seconds = answer.timings_ms.get("total_ms", 0.0) / 1000
    note = f"{answer.mode} answer from {len(answer.passages)} passages in {seconds:.2f} s"
    if requested_mode == "generative" and answer.mode != "generative":
        note += (
            " · no generative answer (no language model loaded, or its answer did not "
            "pass the checks against the article), so this is the extractive answer"
        )
    if answer.standalone_question and answer.standalone_question != answer.question:
        note += f" · read as: “{answer.standalone_question}”"
    return render.escape_markdown(note)


class Handlers:
    """Every event handler of the page, for one runtime and one feedback file.

    `quote_gate` and `llm_gate` bound the API's answers that quote and those that need
    the language model, apart from each other (see `ask`); by default 4 quoting at once,
    and 1 LLM answer with 4 more waiting.
    """

    def __init__(
        self,
        runtime: Runtime,
        feedback: FeedbackStore | None = None,
        editing: bool = False,
        quote_gate: Gate | None = None,
        llm_gate: Gate | None = None,
    ) -> None:
        self.runtime = runtime
        self._feedback = feedback
        self.editing = editing
        self.quote_gate = quote_gate or Gate(4, None)
        self.llm_gate = llm_gate or Gate(1, 4)

    # ---- plumbing ------------------------------------------------------------------
    def components(self) -> Any:
        """The components (NotReady while loading)."""
        return self.runtime.require()

    def library(self) -> Library:
        """The article shelf of the loaded components."""
        library: Library = self.components().library
        return library

    def editor_library(self) -> Library:
        """The article shelf for a change; refused unless this page is an editor's page.

        The page without editing has no add or remove events at all; this is the second
        lock, for any other way a handler might be reached.
        """
        if not self.editing:
            raise EditingOff(
                "Adding and removing articles is switched off on this page (NEWSRAG_EDITING)."
            )
        return self.library()

    def feedback_store(self) -> FeedbackStore:
        """The feedback file from settings (or the one given)."""
        if self._feedback is None:
            self._feedback = FeedbackStore(self.components().settings.feedback_path)
        return self._feedback

    def titles(self) -> dict[str, str]:
        """Article titles, or none while loading."""
        return self.library().titles() if self.runtime.components is not None else {}

    def generative_available(self) -> bool:
        """True when a language model is wired in (generative answers possible)."""
        components = self.runtime.components
        return components is not None and bool(components.generative_available)

    def default_top_k(self) -> int:
        """The configured number of passages."""
        components = self.runtime.components
        return int(components.settings.top_k) if components is not None else 5

    def _guard(self, doing: str, action: Callable[[], T]) -> T:
        """`action()`, or gr.Error with a friendly message (for the API)."""
        try:
            return action()
        except Exception as error:
            raise friendly(error, doing) from None

    @staticmethod
    def _attempt(doing: str, action: Callable[[], T], fallback: T) -> T:
        """`action()`, or a warning toast and `fallback` (for page events)."""
        try:
            return action()
        except Exception as error:
            warn(explain(error, doing))
            return fallback

    # ---- chat ----------------------------------------------------------------------
    def respond_extractive(
        self,
        question: str,
        session: Session | None,
        top_k: float | None,
        mode: str | None,
        show_all: bool = False,
    ) -> Iterator[tuple[Any, ...]]:
        """The extractive concurrency group's half of a question (see web.page).

        In generative mode it only shows the pending message at once (the answer comes
        from the generative group, perhaps after a wait for the LLM).
        """
        if (mode or "extractive") == "extractive":
            yield from self.respond(question, session, top_k, mode, show_all)
        elif self.runtime.components is not None:
            yield next(self.respond(question, session, top_k, mode, show_all))
        else:
            yield (_gr().skip(),) * 5

    def respond_generative(
        self,
        question: str,
        session: Session | None,
        top_k: float | None,
        mode: str | None,
        show_all: bool = False,
    ) -> Iterator[tuple[Any, ...]]:
        """The generative concurrency group's half of a question: skips other modes."""
        if mode == "generative":
            yield from self.respond(question, session, top_k, mode, show_all)
        else:
            yield (_gr().skip(),) * 5

    def respond(
        self,
        question: str,
        session: Session | None,
        top_k: float | None,
        mode: str | None,
        show_all: bool = False,
    ) -> Iterator[tuple[Any, ...]]:
        """Answer a question in the conversation, streaming.

        Yields (question box, chat messages, session, source panel, note). On an error the
        chat is put back as it was, the question returned to its box, and a warning shown.
        """
        gr = _gr()
        session = session or Session()
        mode = mode or "extractive"
        try:
            components = self.components()
            titles = self.titles()
            before = session.messages(titles)
            asked = [*before, {"role": "user", "content": render.user_message(question or "")}]
            yield (
                "",
                [*asked, {"role": "assistant", "content": render.pending_message(mode)}],
                session,
                gr.skip(),
                "",
            )
            final: Answer | None = None
            text = ""
            stream = components.answerer.stream(
                question, session.history(), top_k=int(top_k or 0) or None, mode=mode
            )
            for event in stream:
                if isinstance(event, Answer):
                    final = event
                else:
                    text += event
                    yield (
                        "",
                        [*asked, {"role": "assistant", "content": render.partial_message(text)}],
                        session,
                        gr.skip(),
                        "",
                    )
            if final is None:
                raise RuntimeError("the answerer ended without an answer")
            session = session.add(final)
            turn = len(session.answers) - 1
            panel = render.source_panel(
                final, turn, self.library().documents(_doc_ids(final)), titles, show_all
            )
            yield "", session.messages(titles), session, panel, answer_note(final, mode)
        except Exception as error:
            warn(explain(error, "answering"))
            yield question, session.messages(self._safe_titles()), session, gr.skip(), ""

    def _safe_titles(self) -> dict[str, str]:
        try:
            return self.titles()
        except Exception:
            return {}

    def show_answer(
        self, session: Session | None, turn: int | None, show_all: bool
    ) -> tuple[str, Session]:
        """Show the sources of answer number `turn` (None: keep the current one)."""
        session = session or Session()
        if turn is not None and 0 <= turn < len(session.answers):
            session = replace(session, selected=turn)
        current = session.current()
        if current is None:
            return render.empty_panel(), session
        index, answer = current

        def panel() -> str:
            return render.source_panel(
                answer, index, self.library().documents(_doc_ids(answer)), self.titles(), show_all
            )

        return self._attempt("showing sources", panel, _gr().skip()), session

    def select_message(
        self, session: Session | None, message_index: Any, show_all: bool
    ) -> tuple[str, Session]:
        """A click on chat message number `message_index` shows that answer's sources."""
        index = message_index[0] if isinstance(message_index, list | tuple) else message_index
        turn = int(index) // 2 if isinstance(index, int) else None
        return self.show_answer(session, turn, show_all)

    def clear(self) -> tuple[str, list[Message], Session, str, str, str]:
        """A new conversation: (question, chat, session, source panel, note, feedback note)."""
        return "", [], Session(), render.empty_panel(), "", ""

    # ---- feedback ------------------------------------------------------------------
    def feedback(self, rating: str, comment: str, session: Session | None) -> tuple[Any, Any]:
        """Save a vote on the answer shown in the source panel: (comment box, note)."""
        skip = _gr().skip()
        current = (session or Session()).current()
        if current is None:
            warn("Ask a question first; then rate its answer.")
            return skip, skip
        _index, answer = current

        def save() -> tuple[Any, Any]:
            self.feedback_store().append(feedback_record(answer, rating, comment))
            vote = "helpful" if rating == "up" else "not helpful"
            return "", (
                f"Thanks! Your vote ({vote}) on “{render.escape_markdown(answer.question)}"
                "” was saved."
            )

        return self._attempt("saving feedback", save, (skip, skip))

    # ---- API -----------------------------------------------------------------------
    def ask(self, question: str, top_k: int = 0, mode: str = "") -> dict[str, Any]:
        """One answer as the `ask --json` contract dict (for gradio_client and scripts).

        An answer that needs the language model waits at the LLM's gate, a quoting one at
        its own, so a quick quote never waits behind a slow LLM answer; when too many LLM
        answers wait already, the call is refused with a message (Busy).
        """

        def run() -> dict[str, Any]:
            gate = self.llm_gate if self.needs_llm(mode) else self.quote_gate
            with gate.hold():
                answer = self.components().answerer.answer(
                    question, top_k=int(top_k or 0) or None, mode=mode or None
                )
            return answer.to_json()

        return self._guard("answering an API call", run)

    def needs_llm(self, mode: str | None) -> bool:
        """True when an answer in `mode` ("": the configured one) uses the language model.

        Without a model a generative question is answered by quoting, so it is not one.
        """
        components = self.runtime.components
        if components is None:  # loading: the call fails at once with NotReady
            return False
        wanted = mode or components.answerer.default_mode
        return wanted == "generative" and self.generative_available()

    # ---- status --------------------------------------------------------------------
    def status(self) -> tuple[str, str, bool]:
        """(status line HTML, settings note, still loading?)."""
        status = self.runtime.status()
        note = ""
        if status.state == "ready" and not self.generative_available():
            note = (
                "Generative mode needs a language model, which is not loaded here; "
                "answers quote the article (extractive)."
            )
        return render.status_badge(status.state, status.message), note, status.state == "loading"

    # ---- articles ------------------------------------------------------------------
    def article_choices(self) -> list[tuple[str, str]]:
        """(label, doc id) for the remove menu."""
        return [(f"{row.title} ({row.doc_id})", row.doc_id) for row in self.library().rows()]

    def articles(self) -> tuple[str, Any]:
        """(article table HTML, remove-menu update); a placeholder while loading."""
        gr = _gr()
        if self.runtime.components is None:
            return '<p class="hint">The article list appears when loading is done.</p>', gr.update(
                choices=[], value=None
            )
        return self._attempt(
            "listing articles",
            lambda: (
                render.articles_table(self.library().rows()),
                gr.update(choices=self.article_choices(), value=None),
            ),
            (gr.skip(), gr.skip()),
        )

    def _changed(self, message: str, *cleared: Any) -> tuple[Any, ...]:
        """After an add or remove: (message, fresh table, fresh remove menu, *cleared)."""
        self.runtime.refresh()
        table, menu = self.articles()
        return (render.escape_markdown(message), table, menu, *cleared)

    def add_text(self, title: str, text: str, progress: Progress | None = None) -> tuple[Any, ...]:
        """Add a pasted article: (message, table, remove menu, title box, text box).

        On bad input a warning says why and the title and text stay in their boxes.
        """
        skip = _gr().skip()
        return self._attempt(
            "adding an article",
            lambda: self._changed(
                self.editor_library().add_text(title, text, progress).message(), "", ""
            ),
            (skip,) * 5,
        )

    def add_file(self, upload: Any, progress: Progress | None = None) -> tuple[Any, ...]:
        """Add an uploaded article file: (message, table, remove menu, cleared upload)."""
        skip = _gr().skip()
        if not upload:
            warn("Choose a .txt, .md or .html file first.")
            return (skip,) * 4
        path = getattr(upload, "name", upload)
        return self._attempt(
            "adding an uploaded article",
            lambda: self._changed(
                self.editor_library().add_file(path, progress=progress).message(), None
            ),
            (skip,) * 4,
        )

    def remove(self, doc_id: str | None) -> tuple[Any, ...]:
        """Remove an article: (message, table, remove menu)."""
        if not doc_id:  # nothing chosen, or the confirmation was cancelled
            return self._changed("Nothing removed: choose an article, then confirm.")
        return self._attempt(
            "removing an article",
            lambda: self._changed(self.editor_library().remove(doc_id)),
            (_gr().skip(),) * 3,
        )
