"""The embedding-server backend: an OpenAI-compatible /v1/embeddings behind the Embedder
seam, tested against a small fake server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from index.errors import ModelError
from index.settings import Settings, load_settings
from index.wiring import build, build_embedder
from tests.fakes import hash_embed


class _FakeEmbeddingServer(BaseHTTPRequestHandler):
    """Answers POST /v1/embeddings with hash embeddings (scaled, in reverse order)."""

    requests: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        if self.path != "/v1/embeddings":
            self.send_error(404)
            return
        data = [
            {
                "object": "embedding",
                "index": index,
                "embedding": [3.0 * x for x in hash_embed(text.rsplit(": ", 1)[-1])],
            }
            for index, text in enumerate(body["input"])
        ]
        payload = json.dumps(
            {"object": "list", "data": data[::-1], "model": body["model"]}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def embedding_server() -> Iterator[str]:
    """The fake server's base URL, on a free loopback port."""
    _FakeEmbeddingServer.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeEmbeddingServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def _server_settings(settings: Settings, url: str) -> Settings:
    return settings.model_copy(
        update={
            "embed_backend": "openai",
            "embed_server_url": url,
            "embed_server_model": "gemma-test",
        }
    )


def test_server_vectors_come_back_in_order_normalised_with_the_prompts(
    settings: Settings, embedding_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMBED_API_KEY", "secret")
    embedder = build_embedder(_server_settings(settings, embedding_server))
    vectors = embedder.get_text_embedding_batch(["Putin reist", "Ein Stadtfest"])
    assert vectors[0] == pytest.approx(hash_embed("Putin reist"))
    assert vectors[1] == pytest.approx(hash_embed("Ein Stadtfest"))
    query = embedder.get_query_embedding("Wer reist?")
    assert sum(x * x for x in query) == pytest.approx(1.0)
    sent = _FakeEmbeddingServer.requests
    assert sent[0]["body"] == {
        "model": "gemma-test",
        "input": ["title: none | text: Putin reist", "title: none | text: Ein Stadtfest"],
    }
    assert sent[-1]["body"]["input"] == ["task: search result | query: Wer reist?"]
    assert sent[0]["auth"] == "Bearer secret"
    embedder.get_prompted_query_embedding("Wer reist?", "task: question answering | query: ")
    assert sent[-1]["body"]["input"] == ["task: question answering | query: Wer reist?"]


def test_the_whole_pipeline_runs_on_the_embedding_server(
    settings: Settings, chroma_client, embedding_server: str
) -> None:  # type: ignore[no-untyped-def]
    components = build(
        _server_settings(settings, embedding_server), client=chroma_client, with_llm=False
    )
    report = components.ingestor.ingest_folder(settings.corpus_dir)
    assert sorted(report.added) == ["bibliothek", "stadtfest"]
    passages = components.answerer.retriever.search(
        "Wie viele Besucher werden erwartet?", 1
    ).passages
    assert "12000 Besucher" in passages[0].text


def test_a_dead_server_is_a_model_error_naming_the_url(settings: Settings) -> None:
    embedder = build_embedder(_server_settings(settings, "http://127.0.0.1:9/v1"))
    with pytest.raises(ModelError, match=r"127\.0\.0\.1:9/v1/embeddings"):
        embedder.get_query_embedding("Wer?")


def test_the_server_url_is_checked_at_start_up() -> None:
    from index.errors import SettingsError

    with pytest.raises(SettingsError, match="NEWSRAG_EMBED_SERVER_URL"):
        load_settings(embed_server_url="127.0.0.1:8081")
