"""Plain processes for benchmarks and load tests: a Chroma server and app workers.

Every process started here is remembered by its Popen handle and stopped by that
handle only (terminate, then kill after a grace period).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUIET_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float) -> float:
    """Seconds until `url` answers 200; TimeoutError after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def plain_http(url: str) -> bool:
    """Whether `url` is plain http, where a TLS context has nothing to verify.

    gradio_client opens a new httpx client for every request it sends, and each builds a
    TLS context; with verification on, that reads the whole CA bundle (63 ms of CPU per
    client, measured here) even for plain http. A harness on the 2 cores the workers
    also use took that CPU from them.
    """
    return url.lower().startswith("http://")


def api_client(url: str) -> Any:
    """A gradio_client Client for the worker at `url`, without TLS set-up on plain http."""
    from gradio_client import Client

    return Client(url, verbose=False, ssl_verify=not plain_http(url))


def wait_healthy(url: str, timeout: float, started: float, warm: bool = False) -> float:
    """Seconds from `started` until the worker's `/healthz` answers 200 (Ready; with
    `warm`, `/healthz?warm=true`: its warm-up behind Ready has ended too). RuntimeError
    at once when it says its loading failed, TimeoutError after `timeout`. One HTTP
    client polls: a new one per poll would build a TLS context each time."""
    import httpx

    probe = url.rstrip("/") + "/healthz" + ("?warm=true" if warm else "")
    last = ""
    with httpx.Client(timeout=5, verify=not plain_http(url)) as http:
        while time.monotonic() - started < timeout:
            try:
                response = http.get(probe)
                body = response.json()
            except (httpx.HTTPError, ValueError) as error:  # not serving yet
                last = f"{type(error).__name__}: {str(error)[:120]}"
            else:
                if response.status_code == 200:
                    return time.monotonic() - started
                if body.get("state") == "failed":
                    raise RuntimeError(f"{url} failed to load: {body.get('message', '')}")
                last = str(body)
            time.sleep(0.1)
    raise TimeoutError(f"{url} not {'warm' if warm else 'ready'} within {timeout:.0f} s ({last})")


def environment(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without NEWSRAG_ variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("NEWSRAG_")}
    return {**env, **QUIET_ENV, **extra}


def start_chroma(path: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`chroma run` on 127.0.0.1:port, serving the folder `path`; waits for its heartbeat."""
    chroma = Path(sys.executable).parent / "chroma"
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", 60)
    except TimeoutError:
        stop(process)
        raise
    return process


def start_worker(port: int, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`python app.py serve` on 127.0.0.1:port with the given NEWSRAG_ settings."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=str(ROOT),
        env=environment(env),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def rss_mb(pid: int) -> dict[str, float]:
    """Current and peak resident memory of a process, in MB (Linux /proc)."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            figures["rss_mb" if key == "VmRSS" else "peak_rss_mb"] = int(value.split()[0]) / 1024
    return figures


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Stop one process we started: terminate, then kill if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(grace)
