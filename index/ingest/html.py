"""HTML articles reduced to readable text by BeautifulSoup with the lxml parser.

BeautifulSoup because it is well kept, keeps every visible word (trafilatura's content
extraction drops paragraphs it takes for boilerplate, and our own boilerplate rules
already run on the text), decodes entities exactly once, and lets us lay out block
elements, list items and table rows ourselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SKIP = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "iframe",
    "object",
    "embed",
    "head",
    "form",
    "button",
)
_BLOCKS = (
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figcaption",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "main",
    "pre",
    "address",
    "dl",
    "dt",
    "dd",
    "ul",
    "ol",
    "table",
    "caption",
    "figure",
)
_SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
_TAG = re.compile(r"<[^>]*>")
_CODE = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class HtmlPage:
    """The visible text of a page (one block a paragraph) and its title."""

    title: str
    text: str


def html_to_text(raw: str) -> HtmlPage:
    """Visible text of an HTML page: blocks as paragraphs, list items as "- " lines,
    table rows as cells joined by " | ". The <title> is the title, not body text.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    # <title> holds raw text: "<script>" there is not markup, but it is never a title either
    title = _TAG.sub("", _CODE.sub("", title))
    for tag in soup.find_all(_SKIP):
        tag.decompose()
    for row in soup.find_all("tr"):
        cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
        row.replace_with(soup.new_string("\n\n" + " | ".join(c for c in cells if c) + "\n\n"))
    for item in soup.find_all("li"):
        item.insert_before(soup.new_string("\n\n- "))
        item.insert_after(soup.new_string("\n\n"))
    for br in soup.find_all("br"):
        br.replace_with(soup.new_string("\n\n"))
    for block in soup.find_all(_BLOCKS):
        block.insert_before(soup.new_string("\n\n"))
        block.insert_after(soup.new_string("\n\n"))
    body = soup.body or soup
    text = body.get_text("")
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return HtmlPage(title=_SPACE.sub(" ", title).strip(), text=joined + "\n" if joined else "")
