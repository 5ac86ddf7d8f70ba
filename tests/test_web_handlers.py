"""The page's handlers called directly: streaming chat, follow-ups, errors, feedback, API."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from index.types import Composed, Evidence
from web import import_gradio
from web.feedback import FeedbackStore
from web.gate import Gate
from web.handlers import GENERIC_ERROR, Handlers, Session
from web.runtime import Runtime

gr = import_gradio()
QUESTION = "Wie viel zahlt die Stadt für das Stadtfest?"


@pytest.fixture
def handlers(fake_components: Any, tmp_path: Path) -> Handlers:
    """Handlers on the fake pipeline, feedback into a temporary file."""
    return Handlers(
        Runtime.ready(fake_components), FeedbackStore(tmp_path / "fb.jsonl"), editing=True
    )


def _run(
    handlers: Handlers,
    question: str,
    session: Session | None = None,
    top_k: int = 5,
    mode: str = "extractive",
    show_all: bool = False,
) -> list[tuple[Any, ...]]:
    return list(handlers.respond(question, session, top_k, mode, show_all))


class Spy:
    """Wraps answerer.stream and records what it was called with."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.calls: list[tuple[Any, ...]] = []

    def __call__(
        self,
        question: str,
        history: Sequence[Any] = (),
        top_k: int | None = None,
        mode: str | None = None,
    ) -> Iterator[Any]:
        self.calls.append((question, list(history), top_k, mode))
        return self.stream(question, history, top_k, mode)


class PieceWriter:
    """A generative composer double: streams its answer in pieces, cites the best sentence."""

    def stream(
        self,
        question: str,
        language: str,
        ranked: Sequence[Evidence],
        chosen: Sequence[Evidence],
        timings: dict[str, float],
    ) -> Iterator[str | Composed]:
        yield "Die Stadt zahlt "
        yield "250.000 Euro [1]."
        yield Composed("Die Stadt zahlt 250.000 Euro [1].", (chosen[0].citation(1),), "generative")


def test_answer_streams_placeholder_then_cited_answer_and_sources(handlers: Handlers) -> None:
    updates = _run(handlers, QUESTION)
    box, chat, session, panel, note = updates[0]
    assert box == "" and chat[-1]["role"] == "assistant" and "Searching" in chat[-1]["content"]
    box, chat, session, panel, note = updates[-1]
    assert [message["role"] for message in chat] == ["user", "assistant"]
    assert 'href="#cite-0-1"' in chat[1]["content"]
    assert 'id="cite-0-1"' in panel and "250.000 Euro" in panel
    assert isinstance(session, Session) and session.answers[0].citations
    assert "extractive answer from" in note


def test_follow_up_passes_the_conversation_as_turns(
    handlers: Handlers, fake_components: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(fake_components.answerer.stream)
    monkeypatch.setattr(fake_components.answerer, "stream", spy)
    session = _run(handlers, QUESTION, top_k=3)[-1][2]
    final = _run(handlers, "Und wer zahlt den Rest?", session, top_k=3)[-1]
    _question, history, top_k, mode = spy.calls[-1]
    assert [(turn.role, turn.content) for turn in history] == [
        ("user", QUESTION),
        ("assistant", session.answers[0].answer),
    ]
    assert (top_k, mode) == (3, "extractive")
    assert final[2].answers[1].standalone_question == f"Und wer zahlt den Rest? ({QUESTION})"
    assert 'href="#cite-1-1"' in final[1][3]["content"]  # the second answer's own anchors
    assert "read as" in final[4]


def test_generative_pieces_are_streamed_escaped(handlers: Handlers, fake_components: Any) -> None:
    fake_components.answerer.composers["generative"] = PieceWriter()
    updates = _run(handlers, QUESTION, mode="generative")
    partial = [u[1][-1]["content"] for u in updates if "cursor" in u[1][-1]["content"]]
    assert partial[0].startswith("Die Stadt zahlt") and "250.000 Euro" in partial[-1]
    assert updates[-1][2].answers[0].mode == "generative"


def test_generative_without_a_writer_falls_back_with_a_note(handlers: Handlers) -> None:
    final = _run(handlers, QUESTION, mode="generative")[-1]
    assert final[2].answers[0].mode == "extractive"
    assert "no generative answer" in final[4] and "extractive answer" in final[4]


def test_user_error_restores_the_question_and_shows_its_message(handlers: Handlers) -> None:
    with pytest.warns(UserWarning, match="The question is empty"):
        updates = _run(handlers, "   ", Session())
    assert updates[-1][0] == "   " and updates[-1][1] == []  # chat put back as it was


def test_unexpected_error_is_logged_and_shown_generically(
    handlers: Handlers,
    fake_components: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Iterator[Any]:
        raise RuntimeError("chroma exploded at /secret/path")
        yield  # pragma: no cover

    monkeypatch.setattr(fake_components.answerer, "stream", broken)
    with pytest.warns(UserWarning) as shown:
        _run(handlers, QUESTION)
    assert [str(w.message) for w in shown] == [GENERIC_ERROR]
    assert "chroma exploded" in capsys.readouterr().err
    with pytest.raises(gr.Error) as raised:  # the API raises, with the same generic words
        handlers.ask(QUESTION)
    assert raised.value.message == GENERIC_ERROR


def test_questions_while_loading_get_a_friendly_wait() -> None:
    loading = Handlers(Runtime())
    with pytest.warns(UserWarning, match="still loading"):
        _run(loading, QUESTION)
    badge, _note, still_loading = loading.status()
    assert still_loading and "status-loading" in badge


def test_failed_loading_is_shown_without_a_stack_trace(capsys: pytest.CaptureFixture[str]) -> None:
    def load(progress: Any) -> Any:
        progress(0.2, "loading")
        raise KeyError("internal detail")

    runtime = Runtime()
    runtime.load(load)
    badge, _note, still_loading = Handlers(runtime).status()
    assert not still_loading and "status-failed" in badge and "internal detail" not in badge
    with pytest.raises(gr.Error, match="Could not start"):
        Handlers(runtime).ask(QUESTION)
    assert "internal detail" in capsys.readouterr().err


def test_messages_shown_as_html_are_escaped(handlers: Handlers, tmp_path: Path) -> None:
    upload = tmp_path / "<img src=x onerror=alert(1)>.png"
    upload.write_bytes(b"x")
    with pytest.warns(UserWarning) as shown:
        handlers.add_file(str(upload))
    assert "<img" not in str(shown[0].message) and "&lt;img" in str(shown[0].message)


def test_ready_status_notes_missing_generative_mode(handlers: Handlers) -> None:
    badge, note, still_loading = handlers.status()
    assert not still_loading and "2 articles" in badge and "Generative mode" in note


def test_clicking_an_older_answer_shows_its_sources(handlers: Handlers) -> None:
    session = _run(handlers, QUESTION)[-1][2]
    session = _run(handlers, "Wann ist die Bibliothek geöffnet?", session)[-1][2]
    panel, selected = handlers.select_message(session, 1, False)  # message 1: first answer
    assert selected.selected == 0 and 'data-turn="0"' in panel and "250.000" in panel
    panel, _ = handlers.show_answer(selected, None, True)
    assert "Retrieved passages" in panel


def test_new_chat_forgets_the_conversation(handlers: Handlers) -> None:
    box, chat, session, panel, _note, _feedback = handlers.clear()
    assert (box, chat, session.answers) == ("", [], ()) and "Ask a question" in panel


def test_feedback_is_appended_for_the_shown_answer(handlers: Handlers, tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Ask a question first"):
        assert handlers.feedback("up", "", Session()) == (gr.skip(), gr.skip())
    session = _run(handlers, QUESTION)[-1][2]
    comment, note = handlers.feedback("down", "Quelle passt", session)
    assert comment == "" and "saved" in note
    record = json.loads((tmp_path / "fb.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert (record["rating"], record["comment"], record["question"]) == (
        "down",
        "Quelle passt",
        QUESTION,
    )
    assert record["citations"][0]["text"] in record["answer"]


def test_api_returns_the_ask_json_contract(handlers: Handlers, fake_components: Any) -> None:
    result = handlers.ask(QUESTION, 3, "extractive")
    expected = fake_components.answerer.answer(QUESTION, top_k=3, mode="extractive").to_json()
    assert set(result) == set(expected)
    assert {k: v for k, v in result.items() if k != "timings_ms"} == {
        k: v for k, v in expected.items() if k != "timings_ms"
    }
    assert len(result["passages"]) == 3
    json.dumps(result)  # plain JSON all the way down
    with pytest.raises(gr.Error, match="top_k must be greater than 0"):
        handlers.ask(QUESTION, -1)


def test_api_answers_wait_at_the_gate_of_their_mode(fake_components: Any) -> None:
    fake_components.answerer.composers["generative"] = PieceWriter()
    handlers = Handlers(Runtime.ready(fake_components), llm_gate=Gate(1, 0, "LLM busy"))
    assert handlers.needs_llm("generative") and not handlers.needs_llm("extractive")
    assert not handlers.needs_llm("")  # the configured mode (extractive)
    with handlers.llm_gate.hold():  # the LLM is taken, nobody may wait for it
        assert handlers.ask(QUESTION, 3, "extractive")["mode"] == "extractive"
        with pytest.raises(gr.Error, match="LLM busy"):
            handlers.ask(QUESTION, 3, "generative")
    assert handlers.ask(QUESTION, 3, "generative")["mode"] == "generative"


def test_a_generative_question_without_a_model_is_no_llm_call(handlers: Handlers) -> None:
    assert not handlers.needs_llm("generative")  # it is answered by quoting, at once


def test_article_handlers_add_list_and_remove(handlers: Handlers) -> None:
    message, table, menu, title, text = handlers.add_text(
        "Radweg", "Die Stadt baut einen Radweg am Fluss. Er ist im Herbst fertig.\n"
    )
    assert "Added" in message and "Radweg" in table and (title, text) == ("", "")
    assert ("Radweg (radweg)", "radweg") in menu["choices"]
    assert "3 articles" in handlers.status()[0]
    with pytest.warns(UserWarning, match="empty"):  # the pasted text stays in its box
        assert handlers.add_text("Leer", "  ") == (gr.skip(),) * 5
    with pytest.warns(UserWarning, match=r"Choose a \.txt"):
        handlers.add_file(None)
    assert handlers.remove(None)[0].startswith("Nothing removed")
    message, table, menu = handlers.remove("radweg")
    assert "Removed" in message and "radweg" not in [value for _label, value in menu["choices"]]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_gradio_client_gets_the_contract_from_the_running_page(
    fake_components: Any, tmp_path: Path
) -> None:
    from gradio_client import Client

    from web.page import build_page, launch

    page = build_page(fake_components, FeedbackStore(tmp_path / "fb.jsonl"))
    port = _free_port()
    launch(page, "127.0.0.1", port, block=False)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        result = client.predict(QUESTION, 2, "extractive", api_name="/ask")
        assert result["question"] == QUESTION and len(result["passages"]) == 2
        assert result["citations"][0]["doc_id"] == "stadtfest"
        endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
        assert list(endpoints) == ["/ask"]  # the page's own events stay private
    finally:
        page.close()
