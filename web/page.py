"""The Gradio page: layout and event wiring. The work is done by web.handlers.Handlers.

`serve(host, port)` shows the page at once and loads the models in the background;
`build_page(runtime_or_components)` returns the Blocks app (tests and scripts use it
with components they built themselves); `launch(page, ...)` serves it with the look.
"""

# No `from __future__ import annotations`: gradio reads the event-data annotation
# (SelectData) of the handlers defined in build_page at run time.
import sys
from typing import Any

from index.ingest.corpus import MAX_ARTICLE_BYTES, SUFFIXES
from web import import_gradio, render
from web.access import Credentials, decide_access, load_credentials
from web.feedback import FeedbackStore
from web.gate import Gate
from web.handlers import Handlers, Session
from web.runtime import Runtime, load_components
from web.style import CSS, HEAD, SOURCES_JS, theme

EXAMPLES = (
    "Does Belarus enter the war?",
    "Tritt Belarus in den Krieg ein?",
    "Who is Lisa Gürth?",
    "Was hält die Expertin von der Reise?",
)
INTRO = (
    "<div id='brand'><h1>Ask the article</h1><p>Answers quote the news article; "
    "click a citation <b>[n]</b> to see its words highlighted in the source.</p></div>"
)
# Concurrency groups: quoting answers (cheap) never wait behind LLM answers (one shared
# model), and article changes run one at a time, apart from both.
EXTRACTIVE, GENERATIVE, EDITING = "extractive", "generative", "editing"
# API calls that need the LLM beyond those it is answering: more are refused (Busy), so a
# flood of them holds a few of the server's threads, never all.
API_LLM_WAITING = 4


def build_page(
    source: Runtime | Any,
    feedback: FeedbackStore | None = None,
    examples: tuple[str, ...] = EXAMPLES,
    editing: bool = False,
    extractive_limit: int = 4,
    generative_limit: int = 1,
    api_llm_waiting: int = API_LLM_WAITING,
) -> Any:
    """The Blocks app for a Runtime (or for already built components).

    `editing`: build the add and remove events (an editor's page). Without it they do not
    exist on the server at all, so no request, however crafted, can change the corpus.
    `*_limit`: answers at once per mode, on the page and in the API each;
    `api_llm_waiting`: API calls that may wait for the LLM (more are refused).
    """
    gr = import_gradio()
    from gradio import SelectData  # a real type for the annotations gradio reads below

    runtime = source if isinstance(source, Runtime) else Runtime.ready(source)
    handlers = Handlers(
        runtime,
        feedback,
        editing=editing,
        quote_gate=Gate(extractive_limit, None),
        llm_gate=Gate(
            generative_limit,
            api_llm_waiting,
            busy_message=(
                "Too many questions are waiting for the language model; try "
                "again in a minute, or ask in extractive mode."
            ),
        ),
    )
    private: dict[str, Any] = {"api_visibility": "private"}
    # Callable by gradio_client (not listed): the conversation API the load tests use.
    unlisted: dict[str, Any] = {"api_visibility": "undocumented"}
    quiet: dict[str, Any] = {**private, "show_progress": "hidden"}  # no spinner overlays
    queued: dict[str, Any] = {**private, "concurrency_id": EDITING, "concurrency_limit": 1}
    extractive: dict[str, Any] = {
        **unlisted,
        "concurrency_id": EXTRACTIVE,
        "concurrency_limit": extractive_limit,
        "show_progress": "minimal",
    }
    # Hidden progress: in extractive mode this event only skips, and it should not paint a
    # spinner while it waits for the LLM; in generative mode the first event already
    # shows the pending message.
    generative: dict[str, Any] = {
        **unlisted,
        "concurrency_id": GENERATIVE,
        "concurrency_limit": generative_limit,
        "show_progress": "hidden",
    }

    with gr.Blocks(title="Ask the article · newsrag") as page:
        session = gr.State(Session())
        with gr.Row(elem_id="header", equal_height=True):
            gr.HTML(INTRO, scale=3, min_width=300)
            status = gr.HTML(
                render.status_badge("loading", "Starting …"),
                elem_id="status",
                scale=1,
                min_width=240,
            )

        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"), gr.Row(equal_height=False):
                with gr.Column(scale=5, min_width=340):
                    chatbot = gr.Chatbot(
                        elem_id="chat",
                        show_label=False,
                        height="min(540px, 62vh)",
                        examples=[{"text": text} for text in examples],
                        placeholder="**Ask about the article** – in German or English. "
                        "Follow-up questions keep the conversation.",
                        feedback_options=None,
                        latex_delimiters=[],
                        buttons=["copy"],
                        layout="bubble",
                    )
                    with gr.Row(equal_height=True):
                        question = gr.Textbox(
                            elem_id="question",
                            show_label=False,
                            scale=5,
                            lines=1,
                            max_lines=4,
                            placeholder="Ask about the article …",
                        )
                        ask = gr.Button(
                            "Ask", variant="primary", scale=1, min_width=72, elem_id="ask"
                        )
                    note = gr.Markdown(elem_id="note")
                    with gr.Row(elem_id="actions"):
                        new_chat = gr.Button("↺ New chat", size="sm", elem_id="new-chat")
                        thumbs_up = gr.Button("Helpful", size="sm", elem_id="thumbs-up")
                        thumbs_down = gr.Button("Not helpful", size="sm", elem_id="thumbs-down")
                    comment = gr.Textbox(
                        show_label=False,
                        lines=1,
                        max_lines=3,
                        elem_id="comment",
                        placeholder="Optional comment on this answer, sent with Helpful / "
                        "Not helpful",
                    )
                    feedback_note = gr.Markdown(elem_id="feedback-note")
                    with gr.Accordion("Reader settings", open=False, elem_id="settings"):
                        mode = gr.Radio(
                            ["extractive", "generative"],
                            value="extractive",
                            label="Answer mode",
                            elem_id="mode",
                            info="extractive quotes the article; generative lets a language "
                            "model phrase it, checked against the cited sentences",
                        )
                        top_k = gr.Slider(
                            1, 10, value=5, step=1, label="Passages to retrieve", elem_id="top-k"
                        )
                        settings_note = gr.Markdown(elem_id="settings-note")
                with gr.Column(scale=4, min_width=320, elem_id="sources-col"):
                    with gr.Row(elem_id="sources-head", equal_height=True):
                        gr.Markdown("### Sources")
                        show_all = gr.Checkbox(
                            label="All retrieved passages",
                            value=False,
                            elem_id="show-all",
                            min_width=150,
                        )
                    sources = gr.HTML(
                        render.empty_panel(), elem_id="sources", js_on_load=SOURCES_JS
                    )

            with gr.Tab("Articles", id="articles-tab"):
                article_message = gr.Markdown(elem_id="article-message")
                articles = gr.HTML(elem_id="articles")
                if editing:
                    with gr.Row(equal_height=False):
                        with gr.Column(min_width=300):
                            gr.Markdown("#### Paste an article")
                            title = gr.Textbox(
                                label="Title",
                                elem_id="new-title",
                                placeholder="Headline (else the first line is used)",
                            )
                            text = gr.Textbox(
                                label="Article text", lines=8, max_lines=20, elem_id="new-text"
                            )
                            add_text = gr.Button(
                                "Add article", variant="primary", elem_id="add-text"
                            )
                        with gr.Column(min_width=300):
                            gr.Markdown(
                                f"#### Upload a file\n{', '.join(SUFFIXES)}, UTF-8, "
                                f"at most {MAX_ARTICLE_BYTES // 1_000_000} MB"
                            )
                            upload = gr.File(
                                file_types=list(SUFFIXES),
                                file_count="single",
                                type="filepath",
                                show_label=False,
                                elem_id="upload",
                            )
                            add_file = gr.Button("Add file", elem_id="add-file")
                            gr.Markdown("#### Remove an article")
                            remove_choice = gr.Dropdown(
                                choices=[], label="Article", elem_id="remove-choice"
                            )
                            remove = gr.Button("Remove article", variant="stop", elem_id="remove")
                else:
                    gr.Markdown(
                        "Articles are added and removed by an editor; see "
                        "“Readers, editors and faults” in the README.",
                        elem_id="readers-note",
                    )
        timer = gr.Timer(1.0)

        # ---- chat --------------------------------------------------------------------
        # Every question fires two events, one per concurrency group; each answers only
        # the mode it is for and skips otherwise, so an extractive answer never queues
        # behind a generative one.
        chat_inputs = [question, session, top_k, mode, show_all]
        chat_outputs = [question, chatbot, session, sources, note]
        chat_events = (
            (handlers.respond_extractive, extractive, "chat"),
            (handlers.respond_generative, generative, "chat_generative"),
        )
        for respond, options, name in chat_events:
            question.submit(respond, chat_inputs, chat_outputs, **options, api_name=name)
            ask.click(respond, chat_inputs, chat_outputs, **options)

        def pick_example(event: SelectData) -> str:
            value = event.value
            return str(value.get("text", "")) if isinstance(value, dict) else str(value)

        picked = chatbot.example_select(pick_example, None, question, **quiet)
        for respond, options, _name in chat_events:
            picked.then(respond, chat_inputs, chat_outputs, **options)

        def select_message(
            current: Session, all_passages: bool, event: SelectData
        ) -> tuple[str, Session]:
            return handlers.select_message(current, event.index, all_passages)

        chatbot.select(select_message, [session, show_all], [sources, session], **quiet)
        show_all.change(
            lambda current, all_passages: handlers.show_answer(current, None, all_passages),
            [session, show_all],
            [sources, session],
            **quiet,
        )
        cleared = [question, chatbot, session, sources, note, feedback_note]
        new_chat.click(
            handlers.clear, None, cleared, **unlisted, show_progress="hidden", api_name="new_chat"
        )
        chatbot.clear(handlers.clear, None, cleared, **quiet)

        # ---- feedback ----------------------------------------------------------------
        rate: dict[str, Any] = {**unlisted, "show_progress": "hidden"}
        thumbs_up.click(
            lambda c, s: handlers.feedback("up", c, s),
            [comment, session],
            [comment, feedback_note],
            **rate,
            api_name="feedback_up",
        )
        thumbs_down.click(
            lambda c, s: handlers.feedback("down", c, s),
            [comment, session],
            [comment, feedback_note],
            **rate,
            api_name="feedback_down",
        )

        # ---- articles ----------------------------------------------------------------
        def add_pasted(
            new_title: str,
            new_text: str,
            progress: Any = gr.Progress(),  # noqa: B008 (Gradio injects progress this way)
        ) -> tuple[Any, ...]:
            return handlers.add_text(new_title, new_text, _progress(progress))

        def add_uploaded(
            file: Any,
            progress: Any = gr.Progress(),  # noqa: B008
        ) -> tuple[Any, ...]:
            return handlers.add_file(file, _progress(progress))

        def refresh_status() -> str:
            return handlers.status()[0]

        if editing:  # without it these events do not exist on the server
            add_text.click(
                add_pasted,
                [title, text],
                [article_message, articles, remove_choice, title, text],
                **queued,
            ).success(refresh_status, None, status, **quiet)
            add_file.click(
                add_uploaded, [upload], [article_message, articles, remove_choice, upload], **queued
            ).success(refresh_status, None, status, **quiet)
            remove.click(
                handlers.remove,
                [remove_choice],
                [article_message, articles, remove_choice],
                js="(doc) => (doc && confirm('Remove this article from the corpus and "
                "the index?')) ? doc : null",
                **queued,
            ).success(refresh_status, None, status, **quiet)

        # ---- status while loading -----------------------------------------------------
        def on_status() -> tuple[Any, ...]:
            badge, settings_text, loading = handlers.status()
            if loading:
                skip = gr.skip()
                return (
                    badge,
                    settings_text,
                    gr.Timer(active=True),
                    *(skip,) * (len(status_outputs) - 3),
                )
            table, menu = handlers.articles()
            components = runtime.components
            default_mode = components.settings.mode if components is not None else "extractive"
            return (
                badge,
                settings_text,
                gr.Timer(active=False),
                table,
                gr.update(value=default_mode),
                gr.update(value=handlers.default_top_k()),
                *((menu,) if editing else ()),
            )

        status_outputs = [
            status,
            settings_note,
            timer,
            articles,
            mode,
            top_k,
            *([remove_choice] if editing else []),
        ]
        timer.tick(on_status, None, status_outputs, **quiet)
        page.load(on_status, None, status_outputs, **quiet)

        # ---- API: the `ask --json` contract for gradio_client -------------------------
        def ask_api(question: str, top_k: int = 0, mode: str = "") -> dict[str, Any]:
            """Answer one question; returns the `ask --json` contract (see README)."""
            return handlers.ask(question, top_k, mode)

        gr.api(
            ask_api, api_name="ask", concurrency_id="api", concurrency_limit=_ask_limit(handlers)
        )
    return page


def _ask_limit(handlers: Handlers) -> int:
    """The `/ask` group's limit: room for every LLM call its gate holds, plus the quoting.

    Gradio fixes an event's concurrency group when the page is built, so `/ask` (both
    modes) is one group of its own (an API caller cannot hold up the page's readers, or
    they it) and its handler waits at the gate of the answer's mode. LLM calls, running
    or waiting, hold at most `llm_gate.capacity` of these places, so a quoting call
    always finds one of the rest and never waits behind an LLM answer.
    """
    llm_places = handlers.llm_gate.capacity
    if llm_places is None:
        raise ValueError("the LLM gate needs a bound on waiting calls")
    return handlers.quote_gate.running + llm_places


def _progress(progress: Any) -> Any:
    """Our (fraction, message) progress callback on top of gr.Progress."""

    def report(fraction: float, message: str) -> None:
        progress(fraction, desc=message)

    return report


def launch(
    page: Any,
    host: str = "127.0.0.1",
    port: int = 7860,
    block: bool = True,
    auth: Credentials | None = None,
    queue_size: int = 64,
) -> Any:
    """Serve the page with its theme, style and script (on 127.0.0.1 unless told).

    `auth`: Gradio login pairs (the whole page, API included, sits behind them);
    `queue_size`: requests waiting beyond this are refused, so memory stays bounded.
    """
    return page.queue(default_concurrency_limit=4, max_size=queue_size).launch(
        server_name=host,
        server_port=port,
        show_error=False,
        theme=theme(),
        css=CSS,
        head=HEAD,
        footer_links=["api"],
        max_file_size=MAX_ARTICLE_BYTES,
        prevent_thread_lock=not block,
        quiet=False,
        auth=auth,
    )


HEALTH_PATH = "/healthz"


def add_health_route(app: Any, runtime: Runtime, detailed: bool = True) -> None:
    """`GET /healthz`: 200 and {"state": "ready"} once the models are loaded, else 503:
    a load balancer's readiness probe, so no reader is sent to a worker still loading. A
    plain HTTP route outside the queue, cheap to poll, and outside the login; so the
    status message (which may name a Chroma host or a model path) is added only when
    `detailed` (a page without a login, where the status line shows it anyway).

    `warm` says whether the warm-up behind Ready (the LLM, renderings, lingua's models)
    has ended: a worker answers before that, but its answers wait for those loads (under
    20 readers: p95 4.4-5.5 s instead of 1.1 s). `GET /healthz?warm=true` is 503 until
    then too: the probe for a load balancer that should send readers to warm workers."""
    from fastapi.responses import JSONResponse

    def health(warm: bool = False) -> Any:
        status = runtime.status()
        is_warm = status.state == "ready" and runtime.warm
        body = {
            "state": status.state,
            "warm": is_warm,
            **({"message": status.message} if detailed else {}),
        }
        up = status.state == "ready" and (is_warm or not warm)
        return JSONResponse(body, status_code=200 if up else 503)

    app.add_api_route(HEALTH_PATH, health, methods=["GET"], include_in_schema=False)


def serve(host: str = "127.0.0.1", port: int = 7860) -> None:
    """Show the page at once; load the models and index the corpus in the background.

    Loading is retried until it works (a Chroma server that is down at start is waited
    for); the feedback folder is checked first so a vote is never lost silently.
    """
    import_gradio()
    from index.settings import load_settings

    settings = load_settings()
    access = decide_access(
        host,
        settings.editing,
        load_credentials(settings.auth.get_secret_value(), settings.auth_file),
    )
    if access.warning:
        print(access.warning, file=sys.stderr, flush=True)
    feedback = FeedbackStore(settings.feedback_path)
    problem = feedback.check_writable()
    if problem:
        print(f"warning: {problem}", file=sys.stderr, flush=True)
    runtime = Runtime(retry_seconds=settings.load_retry_seconds)
    page = build_page(
        runtime,
        feedback,
        editing=access.editing,
        extractive_limit=settings.extractive_concurrency,
        generative_limit=settings.generative_concurrency,
    )
    app, _url, _share = launch(
        page, host, port, block=False, auth=access.auth, queue_size=settings.queue_size
    )
    add_health_route(app, runtime, detailed=access.auth is None)
    # Loading starts once the page is served: its imports would otherwise compete with
    # building and starting the page for the same two cores and the GIL.
    print(
        "loading models in the background; the page is usable when the status says Ready",
        file=sys.stderr,
        flush=True,
    )
    runtime.start(lambda progress: load_components(settings, progress, runtime.mark_warm))
    page.block_thread()
