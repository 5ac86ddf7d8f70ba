"""The Gradio chat page. Renders what index/ answers; holds no retrieval or answer logic."""

from __future__ import annotations

import html
import os
import sys
from collections.abc import Iterator
from typing import Any

from index.errors import USER_ERRORS
from index.types import Answer, Turn


def history_turns(history: list[dict[str, Any]]) -> list[Turn]:
    """Gradio's role/content messages as our Turn values (non-text content skipped)."""
    turns = []
    for message in history or []:
        role, content = message.get("role"), message.get("content")
        if role in ("user", "assistant") and isinstance(content, str):
            turns.append(Turn(role=role, content=content))
    return turns


def render_answer(answer: Answer) -> str:
    """Answer text followed by its numbered sources, all escaped."""
    lines = [html.escape(answer.answer)]
    if answer.citations:
        lines.append("")
        for citation in answer.citations:
            lines.append(f"[{citation.n}] {html.escape(citation.section or citation.doc_id)}: "
                         f"„{html.escape(citation.text)}“")
    return "\n".join(lines)


def build_page(components: Any) -> Any:
    """The Blocks app for a set of built components."""
    import gradio as gr

    answerer = components.answerer

    def chat(message: str, history: list[dict[str, Any]]) -> Iterator[str]:
        try:
            partial = ""
            for event in answerer.stream(message, history_turns(history)):
                if isinstance(event, Answer):
                    yield render_answer(event)
                else:
                    partial += event
                    yield html.escape(partial)
        except USER_ERRORS as error:
            raise gr.Error(str(error)) from None

    def ask_api(question: str, top_k: int = 0, mode: str = "") -> dict[str, Any]:
        try:
            answer = answerer.answer(question, top_k=top_k or None, mode=mode or None)
        except USER_ERRORS as error:
            raise gr.Error(str(error)) from None
        return answer.to_json()

    with gr.Blocks(title="newsrag") as page:
        gr.Markdown("## Ask the article\nAnswers quote the article; [n] marks the source.")
        gr.ChatInterface(chat, examples=["Does Belarus enter the war?",
                                         "Tritt Belarus in den Krieg ein?"])
        api_in = gr.Textbox(visible=False)
        api_k = gr.Number(value=0, visible=False, precision=0)
        api_mode = gr.Textbox(visible=False)
        api_out = gr.JSON(visible=False)
        api_btn = gr.Button(visible=False)
        api_btn.click(ask_api, [api_in, api_k, api_mode], api_out, api_name="ask")
    return page


def serve(host: str = "127.0.0.1", port: int = 7860) -> None:
    """Build everything, index the corpus if needed, and serve the page."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from index.settings import load_settings
    from index.wiring import build, ensure_index

    settings = load_settings()
    print("loading models ...", file=sys.stderr)
    components = build(settings, with_writer=settings.mode == "generative")
    report = ensure_index(components)
    if report is not None:
        print(report.summary(), file=sys.stderr)
    page = build_page(components)
    page.queue().launch(server_name=host, server_port=port, show_error=False)
