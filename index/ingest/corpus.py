"""Reading articles from corpus/: metadata header, text, and structure.

An article file is .txt, .md or .html. A .txt/.md file may start with a metadata
header between two `---` lines (`key: value` per line); the text after the header is
the article exactly as received, and all offsets refer to it. HTML is reduced to its
visible text (one line per block element), which is then the article text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from index.errors import CorpusError
from index.ingest.html import html_to_text
from index.text.tokens import fold
from index.types import Article, Block, BlockKind

SUFFIXES = (".txt", ".md", ".html", ".htm")
MAX_ARTICLE_BYTES = 2_000_000

_HEADER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
_BULLET = re.compile(r"^[ \t]*[•\-\*–·][ \t]+")
_DOC_ID = re.compile(r"[^a-z0-9_-]+")
# An id is used as a file stem, a Chroma metadata value and in page markup: nothing else.
VALID_DOC_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")

# Newsroom furniture: lines that belong to the page, not to the article.
BOILERPLATE = (
    re.compile(r"^Mehr\s+(News|zum Thema|dazu)\b", re.IGNORECASE),
    re.compile(r"^Dieser Text enthält eine Einordnung"),
    re.compile(r"^\"?So arbeitet die Redaktion"),
    re.compile(r"\bzertifiziert\b.*\bzertifiziert\b"),
    re.compile(r"^(Lesen Sie auch|Auch interessant|Empfehlungen der Redaktion)\b", re.I),
    re.compile(r"^(Foto|Bild|Quelle):\s", re.IGNORECASE),
)


def doc_id_for(path: Path) -> str:
    """A stable id from the file name: lower case, letters, digits, - and _."""
    doc_id = _DOC_ID.sub("-", fold(path.stem)).strip("-")
    if not doc_id:
        raise CorpusError(f"{path.name}: cannot make a document id from this file name")
    return doc_id


def check_doc_id(doc_id: str, where: str) -> str:
    """`doc_id` when it is a valid id (like a file stem: a-z, 0-9, - and _); else CorpusError."""
    if not VALID_DOC_ID.fullmatch(doc_id):
        raise CorpusError(
            f"{where}: doc_id {doc_id[:60]!r} is not a valid id; use lower-case "
            "letters, digits, - and _ (at most 100)"
        )
    return doc_id


def text_hash(article: Article) -> str:
    """A hash of the article text alone: equal for exact duplicates under any name."""
    return hashlib.sha256(article.text.strip().encode("utf-8")).hexdigest()


def parse_header(raw: str) -> tuple[dict[str, str], str]:
    """Split an optional `---` metadata header from the text."""
    match = _HEADER.match(raw)
    if not match:
        return {}, raw
    metadata: dict[str, str] = {}
    for number, line in enumerate(match.group(1).splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise CorpusError(f"metadata header line {number} is not 'key: value': {line!r}")
        metadata[key.strip().lower()] = value.strip().strip('"')
    return metadata, raw[match.end() :]


def read_article(path: Path) -> Article:
    """Read one article file; raise CorpusError with the reason if it is unusable."""
    if path.suffix.lower() not in SUFFIXES:
        raise CorpusError(f"{path.name}: unsupported type; use one of {', '.join(SUFFIXES)}")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise CorpusError(f"{path.name}: {size:,} bytes is over the {MAX_ARTICLE_BYTES:,} limit")
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path.name}: not UTF-8 text (byte {error.start})") from None
    if "\x00" in raw:
        raise CorpusError(f"{path.name}: contains NUL bytes; is it a binary file?")
    if path.suffix.lower() in (".html", ".htm"):
        page = html_to_text(raw)
        metadata, text = ({"title": page.title} if page.title else {}), page.text
    else:
        metadata, text = parse_header(raw)
    if not text.strip():
        raise CorpusError(f"{path.name}: the article text is empty")
    doc_id = (
        check_doc_id(metadata["doc_id"], path.name)
        if metadata.get("doc_id")
        else (doc_id_for(path))
    )
    return Article(
        doc_id=doc_id,
        text=text,
        path=str(path),
        title=metadata.get("title", path.stem),
        language=metadata.get("language", "de"),
        metadata=metadata,
    )


def outside(path: Path, folder: Path) -> bool:
    """True when `path` (a symlink, say) resolves to somewhere outside `folder`."""
    try:
        return not path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return True


def _precedence(article: Article) -> tuple[bool, str]:
    """Who keeps an id or a text that two files claim: the file named after the id
    ("putin-minsk-analyse.txt" for id putin-minsk-analyse), then the earlier name."""
    path = Path(article.path)
    return (path.stem != article.doc_id, path.name)


def read_corpus(folder: Path) -> tuple[list[Article], list[str]]:
    """All readable articles of a folder, and one message per file that was skipped.

    Skipped and named: unreadable files, symlinks out of the folder, a second file for an
    id and an exact copy of another article's text. Who wins is decided by `_precedence`,
    never by which file happened to change last, so a copy never displaces the original.
    """
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist")
    candidates: list[Article] = []
    problems: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name.lower() == "readme.md":
            continue
        if path.is_symlink() and outside(path, folder):
            problems.append(f"{path.name}: a link to a file outside the corpus folder; refused")
            continue
        if not path.is_file():
            continue
        try:
            candidates.append(read_article(path))
        except (CorpusError, OSError) as error:
            problems.append(str(error))
    articles: list[Article] = []
    by_id: dict[str, str] = {}
    by_text: dict[str, str] = {}
    for article in sorted(candidates, key=_precedence):
        name = Path(article.path).name
        digest = text_hash(article)
        if article.doc_id in by_id:
            problems.append(
                f"{name}: document id {article.doc_id!r} is already used by "
                f"{by_id[article.doc_id]}; skipped"
            )
        elif digest in by_text:
            problems.append(f"{name}: the same text as {by_text[digest]}; skipped as a duplicate")
        else:
            by_id[article.doc_id] = by_text[digest] = name
            articles.append(article)
    articles.sort(key=lambda article: Path(article.path).name)
    return articles, sorted(problems)


def _classify(line: str, is_first_content: bool) -> BlockKind:
    if any(pattern.search(line) for pattern in BOILERPLATE):
        return "boilerplate"
    if _BULLET.match(line):
        return "teaser" if is_first_content else "paragraph"
    words = line.split()
    if len(words) <= 12 and not line.rstrip().endswith((".", "!", ";", ",")):
        return "heading"
    if len(words) <= 8 and line.count(".") == 1 and line.endswith(".") and '"' not in line:
        return "caption"
    return "paragraph"


def blocks(article: Article) -> list[Block]:
    """Line-level structure: teaser bullets, headings, paragraphs, captions, boilerplate.

    Each non-empty line is one block (bullet markers and surrounding blanks are left
    outside its offsets). A heading opens a section that lasts until the next heading.
    """
    result: list[Block] = []
    section = ""
    offset = 0
    seen_body = False
    for raw_line in article.text.splitlines(keepends=True):
        line_start = offset
        offset += len(raw_line)
        line = raw_line.rstrip("\r\n")
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        lead = bullet.end() if bullet else len(line) - len(line.lstrip())
        content = line[lead:].rstrip()
        kind = _classify(line.strip() if not bullet else line, not seen_body)
        start = line_start + lead
        end = start + len(content)
        if kind == "heading":
            section = content.rstrip(":").strip()
        elif kind in ("paragraph", "caption"):
            seen_body = True
        result.append(
            Block(
                kind=kind, start=start, end=end, section="Teaser" if kind == "teaser" else section
            )
        )
    return result
