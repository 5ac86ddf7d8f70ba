"""Who may do what on the page: readers ask, editors add and remove articles.

Editing is a server decision, not a hidden button: when it is off the page is built
without the add and remove events, so no request can reach them. A page bound to an
address other than loopback is reachable by others; it then gets editing only behind a
Gradio login, and without a login it says so in one warning line naming the setting.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from index.errors import SettingsError

Credentials = list[tuple[str, str]]


@dataclass(frozen=True)
class Access:
    """What the page offers and how it is protected."""

    editing: bool
    auth: Credentials | None
    warning: str | None = None


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.x, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost may resolve to anything
        return False


def parse_credentials(text: str, source: str) -> Credentials:
    """`user:password` pairs, one a line (blank lines and # comments skipped)."""
    pairs: Credentials = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user.strip() or not password:
            raise SettingsError(f"{source} line {number}: expected user:password")
        pairs.append((user.strip(), password))
    return pairs


def load_credentials(auth: str, auth_file: Path | None) -> Credentials | None:
    """Login pairs from the NEWSRAG_AUTH value and the NEWSRAG_AUTH_FILE file; None if none."""
    pairs = parse_credentials(auth, "NEWSRAG_AUTH") if auth else []
    if auth_file is not None:
        try:
            text = Path(auth_file).read_text(encoding="utf-8")
        except OSError as error:
            raise SettingsError(
                f"NEWSRAG_AUTH_FILE: cannot read {auth_file} ({error.strerror or error})"
            ) from None
        pairs += parse_credentials(text, f"NEWSRAG_AUTH_FILE {auth_file}")
    return pairs or None


def decide_access(host: str, editing: bool, credentials: Credentials | None) -> Access:
    """The page's access for a bind address, the editing setting and the logins."""
    if credentials or is_loopback(host):
        return Access(editing=editing, auth=credentials)
    warning = (
        f"warning: serving on {host} with no login, so anyone who can reach it can "
        "ask questions"
        + (" (article editing is switched off)" if editing else "")
        + "; set NEWSRAG_AUTH_FILE (lines user:password) to require a login"
    )
    return Access(editing=False, auth=None, warning=warning)
