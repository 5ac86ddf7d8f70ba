"""Many readers at once through the running page's API (gradio_client), on 127.0.0.1:
every conversation answered, nothing crosses between sessions, and quoting answers are
not held up by a generative answer that waits for the (one) language model."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from index.types import Composed, Evidence
from web import render
from web.feedback import FeedbackStore

QUESTIONS = (
    "Wie viele Besucher werden beim Stadtfest erwartet?",
    "Wie viele Bücher bietet die neue Stadtbibliothek?",
    "Wie viel Geld zahlt die Stadt für Bühne und Sicherheit?",
    "An welchen Tagen ist die Bibliothek geöffnet?",
)
FOLLOW_UP = "Und was sagt die Stadt dazu?"
CONVERSATIONS = 20


class GatedWriter:
    """A generative composer double that holds the LLM until the test opens the gate."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()

    def stream(
        self,
        question: str,
        language: str,
        ranked: Sequence[Evidence],
        chosen: Sequence[Evidence],
        timings: dict[str, float],
    ) -> Iterator[str | Composed]:
        self.started.set()
        assert self.gate.wait(120), "the test never opened the gate"
        text = f"Laut Artikel: {chosen[0].text} [1]"
        yield text
        yield Composed(text, (chosen[0].citation(1),), "generative")


def _text(content: Any) -> str:
    """A chat message's text (gradio_client gives a list of typed parts)."""
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content)
    return str(content)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(fake_components: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    from web.page import build_page, launch

    writer = GatedWriter()
    fake_components.answerer.composers["generative"] = writer
    feedback = tmp_path / "feedback.jsonl"
    page = build_page(
        fake_components,
        FeedbackStore(feedback),
        editing=True,
        extractive_limit=4,
        generative_limit=1,
    )
    port = _free_port()
    launch(page, "127.0.0.1", port, block=False, queue_size=64)
    try:
        yield {
            "url": f"http://127.0.0.1:{port}/",
            "writer": writer,
            "feedback": feedback,
            "page": page,
        }
    finally:
        writer.gate.set()
        page.close()


def _conversation(url: str, number: int, results: dict[int, Any]) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    mode = "generative" if number % 5 == 0 else "extractive"
    endpoint = "/chat_generative" if mode == "generative" else "/chat"
    question = QUESTIONS[number % len(QUESTIONS)]
    first = f"{question} (Leser {number})"
    _box, chat1, _sources, _note = client.predict(first, 5, mode, False, api_name=endpoint)
    _box, chat2, sources, _note = client.predict(FOLLOW_UP, 5, mode, False, api_name=endpoint)
    _comment, thanks = client.predict(f"conv-{number}", api_name="/feedback_up")
    results[number] = {
        "mode": mode,
        "first": first,
        "chat1": chat1,
        "chat2": chat2,
        "sources": sources,
        "thanks": thanks,
    }


@pytest.mark.slow  # 20 clients on 2 cores: about a minute
def test_twenty_concurrent_conversations_no_cross_talk_extractive_not_stuck(
    served: dict[str, Any], fake_components: Any
) -> None:
    results: dict[int, Any] = {}
    threads = {
        n: threading.Thread(target=_conversation, args=(served["url"], n, results))
        for n in range(CONVERSATIONS)
    }
    for thread in threads.values():
        thread.start()
    assert served["writer"].started.wait(60)  # a generative answer holds the LLM now
    # An editor adds an article meanwhile.
    added = fake_components.library.add_text(
        "Zoo", "Der Zoo bekommt zwei Pinguine. Sie heißen Kiko und Lumi.\n"
    )
    extractive = [n for n in threads if n % 5 != 0]
    for n in extractive:
        threads[n].join(120)
    # Every quoting conversation finished while the LLM was still held: not stuck behind it.
    assert not served["writer"].gate.is_set()
    assert sorted(n for n in results) == extractive
    served["writer"].gate.set()
    for thread in threads.values():
        thread.join(120)
    assert sorted(results) == list(range(CONVERSATIONS))
    assert added.passages > 0

    for number, result in results.items():
        chat = result["chat2"]
        # Its own two questions, in order, and two answers: no one else's turns.
        users = [_text(m["content"]) for m in chat if m["role"] == "user"]
        assert users == [render.user_message(result["first"]), render.user_message(FOLLOW_UP)]
        assert len([m for m in chat if m["role"] == "assistant"]) == 2
        # The same answer a lone reader gets for that question: nothing mixed in.
        alone = fake_components.answerer.answer(result["first"], mode=result["mode"])
        body = render.link_citations(alone.answer, 0, (c.n for c in alone.citations))
        first_answer = _text(result["chat1"][-1]["content"])
        assert first_answer.startswith(body), (number, first_answer, body)
        assert "Und was sagt die Stadt dazu" in result["thanks"]
    lines = [
        json.loads(line) for line in served["feedback"].read_text(encoding="utf-8").splitlines()
    ]
    assert len(lines) == CONVERSATIONS
    for line in lines:
        number = int(line["comment"].removeprefix("conv-"))
        # The vote is on that reader's own latest answer (the follow-up), in its mode.
        assert line["question"] == FOLLOW_UP and line["mode"] == results[number]["mode"]
        # The follow-up was read with this reader's own first question, no one else's.
        assert f"Leser {number})" in line["standalone_question"], line
        assert line["citations"], line


def test_a_rejected_api_question_is_one_line_in_the_log(
    served: dict[str, Any], capfd: pytest.CaptureFixture[str]
) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(served["url"], verbose=False)
    capfd.readouterr()
    with pytest.raises(AppError, match="only a link"):
        client.predict("https://example.com/x", 5, "extractive", api_name="/ask")
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if "only a link" in line]) == 1


def test_an_extractive_api_answer_does_not_wait_behind_a_generative_one(
    served: dict[str, Any],
) -> None:
    from gradio_client import Client

    url, writer = served["url"], served["writer"]
    results: dict[str, Any] = {}

    def ask(mode: str) -> None:
        results[mode] = Client(url, verbose=False).predict(QUESTIONS[0], 5, mode, api_name="/ask")

    generative = threading.Thread(target=ask, args=("generative",), daemon=True)
    generative.start()
    assert writer.started.wait(60)  # a generative /ask call holds the LLM now
    extractive = threading.Thread(target=ask, args=("extractive",), daemon=True)
    extractive.start()
    extractive.join(30)
    # Answered while the generative call was still held, not after it.
    assert "extractive" in results, "the extractive /ask call waited for the generative one"
    assert results["extractive"]["mode"] == "extractive" and results["extractive"]["citations"]
    assert not writer.gate.is_set() and "generative" not in results
    writer.gate.set()
    generative.join(60)
    assert results["generative"]["mode"] == "generative"
