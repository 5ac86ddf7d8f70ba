"""The same code runs against a Chroma server; several clients share it; a dead one is named."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from index.errors import StoreError
from index.settings import Settings
from index.store import open_client
from index.wiring import build
from tests.fakes import HashEmbedding

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real `chroma run` server on a free loopback port, stopped afterwards."""
    if not CHROMA.exists():
        pytest.skip(f"{CHROMA} not installed")
    port = _free_port()
    process = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the Chroma server did not start")
            time.sleep(0.3)
    yield process, port
    process.kill()
    process.wait(timeout=10)


def test_two_app_processes_share_one_server(chroma_server, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    process, port = chroma_server
    server_settings = settings.model_copy(
        update={
            "chroma_host": "127.0.0.1",
            "chroma_port": port,
            "collection": f"s{uuid.uuid4().hex[:8]}",
        }
    )
    writer = build(server_settings, embedder=HashEmbedding())
    writer.ingestor.ingest_folder(server_settings.corpus_dir)
    reader = build(server_settings, embedder=HashEmbedding())  # a second app's clients
    answer = reader.answerer.answer("Wie viele Besucher werden erwartet?")
    assert any("12000" in c.text for c in answer.citations)
    assert reader.store.count() == writer.store.count() > 0

    process.kill()
    process.wait(timeout=10)
    with pytest.raises(StoreError, match=f"Chroma server at 127.0.0.1:{port} running"):
        reader.answerer.answer("Wie viele Besucher werden erwartet?")


def test_no_server_at_start_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="unset NEWSRAG_CHROMA_HOST"):
        open_client(host="127.0.0.1", port=_free_port())
