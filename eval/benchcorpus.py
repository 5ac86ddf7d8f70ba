"""A mixed German/English benchmark corpus made of Debian manual pages.

Real prose, legally usable offline: Debian's `manpages-de` (German translations of the
manual pages, GPL-3+) and `manpages` + `manpages-dev` (the Linux man-pages project in
English: GPL-2+, BSD, Expat and the "Linux man-pages copyleft" licence, per page). Get
them without installing (`apt-get download manpages-de manpages manpages-dev`, then
`dpkg -x FILE.deb DIR`). Each page becomes one article: roff markup reduced to headings
and paragraphs, cut at a paragraph boundary to `max_chars`, with a metadata header
naming its language and source package.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_FONT = re.compile(r"\\f(?:\[[^\]]*\]|\(..|.)")
_NAMED = {
    "em": "—",
    "en": "–",
    "aq": "'",
    "dq": '"',
    "lq": "“",
    "rq": "”",
    "Fo": "«",
    "Fc": "»",
    "bu": "•",
    "co": "©",
    "mu": "×",
    "ti": "~",
    "ha": "^",
    "rs": "\\",
}
_CHAR = re.compile(r"\\\((..)|\\\[([^\]]*)\]")
_SIMPLE = [
    ("\\-", "-"),
    ("\\e", "\\"),
    ("\\&", ""),
    ("\\ ", " "),
    ("\\,", ""),
    ("\\/", ""),
    ("\\~", " "),
    ("\\|", ""),
    ("\\^", ""),
    ("\\:", ""),
    ("\\%", ""),
    ("\\c", ""),
]
_BREAKS = {
    "PP",
    "P",
    "LP",
    "TP",
    "IP",
    "br",
    "sp",
    "HP",
    "RS",
    "RE",
    "nf",
    "fi",
    "in",
    "TQ",
    "EX",
    "EE",
    "ad",
    "na",
    "ne",
    "UR",
    "UE",
    "ME",
    "MT",
}
_TEXT_MACROS = {"B", "I", "BR", "BI", "IB", "IR", "RB", "RI", "SM", "SB"}


@dataclass(frozen=True)
class ManPage:
    """One manual page as plain text."""

    name: str
    language: str
    package: str
    licence: str
    text: str


def _inline(line: str) -> str:
    line = _FONT.sub("", line)
    line = _CHAR.sub(lambda m: _NAMED.get(m.group(1) or m.group(2) or "", ""), line)
    for escape, plain in _SIMPLE:
        line = line.replace(escape, plain)
    return re.sub(r"\\[*n]\(?[A-Za-z.]{1,2}|\\.", "", line)


def roff_to_text(source: str) -> str:
    """Headings and paragraphs of a roff manual page, one paragraph per line."""
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph).strip())
            paragraph.clear()

    for raw in source.splitlines():
        if raw.startswith(('.\\"', "'\\\"", '.\\"')) or raw.strip() in {".", "'"}:
            continue
        if raw.startswith((".", "'")):
            parts = raw[1:].strip().split(None, 1)
            macro = parts[0] if parts else ""
            rest = _inline(parts[1]).replace('"', "").strip() if len(parts) > 1 else ""
            if macro in {"SH", "SS"}:
                flush()
                if rest:
                    blocks.append(rest.capitalize() if rest.isupper() else rest)
            elif macro in _TEXT_MACROS and rest:
                paragraph.append(rest)
            elif macro in _BREAKS:
                flush()
                if macro == "IP" and rest:
                    paragraph.append(rest)
            continue
        text = _inline(raw).strip()
        if text:
            paragraph.append(text)
        else:
            flush()
    flush()
    return "\n\n".join(block for block in blocks if block)


def cut(text: str, max_chars: int) -> str:
    """The text up to the last paragraph that ends within `max_chars`."""
    if len(text) <= max_chars:
        return text
    end = text.rfind("\n\n", 0, max_chars + 2)  # a break right after the limit counts
    return text[:end] if end > 0 else text[:max_chars]


def man_pages(root: Path, language: str, package: str, licence: str) -> Iterator[ManPage]:
    """Every readable page under `root` (a `usr/share/man[/de]` folder), sorted by path."""
    for path in sorted(root.rglob("*.gz")):
        if path.is_symlink():
            continue
        try:
            source = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        except (OSError, EOFError):
            continue
        if source.lstrip().startswith(".so "):  # a link to another page
            continue
        text = roff_to_text(source)
        if len(text) >= 400:
            name = path.name.removesuffix(".gz")
            yield ManPage(name, language, package, licence, text)


def article_file(page: ManPage, max_chars: int) -> str:
    """The corpus file of one page: metadata header, then the text."""
    return (
        f"---\ntitle: {page.name} ({page.language})\nlanguage: {page.language}\n"
        f"source: Debian {page.package} ({page.licence})\n---\n"
        f"{cut(page.text, max_chars)}\n"
    )


def write_corpus(
    pages: list[ManPage], out: Path, count: int, max_chars: int, copies_label: bool = True
) -> int:
    """Write `count` articles into `out`, cycling through `pages` when there are fewer.

    A page used a second time is written under a new id with "(copy N)" in its title
    and a first line saying so: the same prose, labelled, to reach a size the packages
    alone do not (the line also keeps the corpus reader from skipping it as a duplicate).
    """
    if not pages:
        raise ValueError("no manual pages found: extract the .deb packages first")
    out.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        page = pages[number % len(pages)]
        copy = number // len(pages)
        stem = f"{page.language}-{page.name}".replace(".", "-")
        if copy:
            stem += f"-copy{copy}"
            page = ManPage(
                f"{page.name} copy {copy}" if copies_label else page.name,
                page.language,
                page.package,
                page.licence,
                f"Copy {copy} of the manual page {page.name}, for the benchmark's size.\n\n"
                + page.text,
            )
        (out / f"{stem}.txt").write_text(article_file(page, max_chars), encoding="utf-8")
    return count


def interleave(german: list[ManPage], english: list[ManPage]) -> list[ManPage]:
    """German and English pages mixed, in proportion to how many there are of each."""
    result: list[ManPage] = []
    total = len(german) + len(english)
    g = e = 0
    for index in range(total):
        if e >= len(english) or (g < len(german) and g * total <= index * len(german)):
            result.append(german[g])
            g += 1
        else:
            result.append(english[e])
            e += 1
    return result
