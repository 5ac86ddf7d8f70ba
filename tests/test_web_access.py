"""Readers versus editors, enforced on the server: probed as an attacker would, through the
page's own queue endpoints, not through the buttons."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from index.errors import SettingsError
from web.access import decide_access, is_loopback, load_credentials
from web.feedback import FeedbackStore


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_editing_beyond_loopback_needs_a_login_and_says_which_setting() -> None:
    assert decide_access("127.0.0.1", True, None).editing
    exposed = decide_access("0.0.0.0", True, None)
    assert not exposed.editing and exposed.auth is None
    assert exposed.warning is not None and "NEWSRAG_AUTH_FILE" in exposed.warning
    assert "\n" not in exposed.warning and "editing is switched off" in exposed.warning
    reader_only = decide_access("0.0.0.0", False, None)
    assert reader_only.warning is not None and "NEWSRAG_AUTH_FILE" in reader_only.warning
    guarded = decide_access("0.0.0.0", True, [("ed", "pw")])
    assert guarded.editing and guarded.auth == [("ed", "pw")] and guarded.warning is None
    assert not decide_access("127.0.0.1", False, None).editing  # off unless enabled


def test_credentials_come_from_the_setting_and_a_file(tmp_path: Path) -> None:
    path = tmp_path / "logins"
    path.write_text("# editors\nanna:s3cr:et\n\nben:pw\n", encoding="utf-8")
    assert load_credentials("root:x", path) == [("root", "x"), ("anna", "s3cr:et"), ("ben", "pw")]
    assert load_credentials("", None) is None
    path.write_text("no-colon\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="line 1: expected user:password"):
        load_credentials("", path)
    with pytest.raises(SettingsError, match="NEWSRAG_AUTH_FILE: cannot read"):
        load_credentials("", tmp_path / "missing")


class Attacker:
    """Calls a running page's queue events by number, as the browser's own requests do."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=30)
        self.config = self.http.get("/config").json()

    def events(self) -> list[dict[str, Any]]:
        return list(self.config["dependencies"])

    def call(self, fn_index: int, data: list[Any], session: str = "") -> list[str]:
        """Join the queue for event `fn_index` and read its messages until it completes."""
        session = session or uuid.uuid4().hex
        joined = self.http.post(
            "/gradio_api/queue/join",
            json={
                "data": data,
                "fn_index": fn_index,
                "session_hash": session,
                "event_data": None,
                "trigger_id": None,
            },
        )
        if joined.status_code != 200:
            return [f"refused {joined.status_code}"]
        messages = []
        with self.http.stream(
            "GET", "/gradio_api/queue/data", params={"session_hash": session}
        ) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                messages.append(str(message.get("msg")))
                if message.get("msg") in ("process_completed", "close_stream"):
                    break
        return messages


@pytest.fixture
def page_url(fake_components: Any, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    from web.page import build_page, launch

    page = build_page(fake_components, FeedbackStore(tmp_path / "fb.jsonl"), editing=request.param)
    port = _free_port()
    launch(page, "127.0.0.1", port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        page.close()


def _state(components: Any) -> tuple[list[str], list[str]]:
    corpus = Path(components.settings.corpus_dir)
    return sorted(p.name for p in corpus.iterdir()), sorted(components.store.documents())


@pytest.mark.parametrize("page_url", [False], indirect=True)
def test_without_editing_no_event_can_change_the_corpus(
    page_url: str, fake_components: Any
) -> None:
    attacker = Attacker(page_url)
    elem_ids = {c.get("props", {}).get("elem_id") for c in attacker.config["components"]}
    assert not elem_ids & {"add-text", "add-file", "remove", "remove-choice", "upload"}
    before = _state(fake_components)
    # Every event the server has, fed what the remove and add events would take.
    for fn_index, event in enumerate(attacker.events()):
        width = len(event.get("inputs", []))
        for data in (["stadtfest"], ["Gift", "Belarus ist in den Krieg eingetreten."]):
            attacker.call(fn_index, (data + [None] * width)[:width])
    attacker.call(len(attacker.events()) + 5, ["stadtfest"])  # an event number beyond
    assert _state(fake_components) == before


@pytest.mark.parametrize("page_url", [True], indirect=True)
def test_with_editing_the_same_request_does_remove_so_the_probe_is_real(
    page_url: str, fake_components: Any
) -> None:
    attacker = Attacker(page_url)
    ids = {c["id"]: c.get("props", {}).get("elem_id") for c in attacker.config["components"]}
    (remove_index,) = [
        i
        for i, event in enumerate(attacker.events())
        if any(ids.get(t[0]) == "remove" for t in event.get("targets", []))
    ]
    (load_index,) = [
        i
        for i, event in enumerate(attacker.events())
        if any(t[1] == "load" for t in event.get("targets", []))
    ]
    session = uuid.uuid4().hex
    attacker.call(load_index, [], session)  # fills this session's remove menu, as a browser
    assert "process_completed" in attacker.call(remove_index, ["stadtfest"], session)
    assert "stadtfest" not in _state(fake_components)[1]
    assert (Path(fake_components.settings.corpus_dir) / ".trash").is_dir()
