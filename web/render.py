"""Pure rendering: answers, articles and passages as HTML strings for the page.

Every piece of article, question or answer text goes through `html.escape` (and, for
chat messages, a Markdown escape) before it is put into markup, so an article holding
`<script>` or `<img onerror=...>` shows as text and never runs. Only this module builds
markup from user-controlled text; it holds no retrieval or answer logic.

Citation anchors: citation n of answer number `turn` is the element with id
`cite-<turn>-<n>` in the source panel; the chat links to it with `href="#cite-<turn>-<n>"`.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from index.ingest.library import ArticleRow
from index.types import Answer, Citation, Passage

_CITATION_MARK = re.compile(r"\[(\d+)\]")
# Characters Markdown (and the chatbot's LaTeX support) would otherwise interpret.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~$])")
_LINE_START_BULLET = re.compile(r"(?m)^(\s*)([-=])")
_LINE_START_NUMBER = re.compile(r"(?m)^(\s*)(\d+)\.")


def escape_html(text: str) -> str:
    """Text made safe to put between tags or inside a quoted attribute."""
    return html.escape(text, quote=True)


def escape_markdown(text: str) -> str:
    """Text made safe for the chatbot's Markdown renderer: HTML-escaped, specials escaped."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", escape_html(text))
    escaped = _LINE_START_BULLET.sub(r"\1\\\2", escaped)
    return _LINE_START_NUMBER.sub(r"\1\2\\.", escaped)


def cite_id(turn: int, n: int) -> str:
    """The element id of citation n of answer number `turn` in the source panel."""
    return f"cite-{turn}-{n}"


def citation_link(turn: int, n: int) -> str:
    """The clickable [n] in an answer; it brings the highlighted passage into view."""
    return (
        f'<a class="cite-ref" href="#{cite_id(turn, n)}" data-cite="{cite_id(turn, n)}" '
        f'title="Show source {n}">[{n}]</a>'
    )


def user_message(question: str) -> str:
    """A question as the chat shows it."""
    return escape_markdown(question)


def pending_message(mode: str) -> str:
    """What the chat shows while an answer is on its way."""
    if mode == "generative":
        return '<span class="pending">Reading the article and writing an answer …</span>'
    return '<span class="pending">Searching the article …</span>'


def partial_message(text: str) -> str:
    """A streamed answer that is still growing (escaped, with a cursor)."""
    return escape_markdown(text) + ' <span class="cursor">▍</span>'


def link_citations(text: str, turn: int, numbers: Iterable[int]) -> str:
    """Escaped answer text with each known [n] turned into a link to its passage."""
    known = set(numbers)
    parts: list[str] = []
    position = 0
    for match in _CITATION_MARK.finditer(text):
        n = int(match.group(1))
        if n not in known:
            continue
        parts.append(escape_markdown(text[position : match.start()]))
        parts.append(citation_link(turn, n))
        position = match.end()
    parts.append(escape_markdown(text[position:]))
    return "".join(parts)


def answer_message(answer: Answer, turn: int, titles: Mapping[str, str] | None = None) -> str:
    """A finished answer for the chat: linked [n] markers and a short list of its sources."""
    body = link_citations(answer.answer, turn, (c.n for c in answer.citations))
    if not answer.citations:
        return body
    titles = titles or {}
    many_docs = len({c.doc_id for c in answer.citations}) > 1
    items = []
    for citation in answer.citations:
        title = titles.get(citation.doc_id, citation.doc_id)
        where = citation.section or title
        if many_docs and citation.section:
            where = f"{title} · {where}"
        items.append(f"{citation_link(turn, citation.n)} {escape_markdown(where)}")
    body += '\n\n<span class="cite-list">Sources: ' + " &nbsp; ".join(items) + "</span>"
    return body + originals_block(answer.citations, turn)


def originals_block(citations: Sequence[Citation], turn: int) -> str:
    """For rendered citations: a machine-translation label and the originals, one click away."""
    rendered = [c for c in citations if c.rendering is not None]
    if not rendered:
        return ""
    rows = "".join(
        f'<li>{citation_link(turn, c.n)} <span lang="de">{escape_html(" ".join(c.text.split()))}'
        "</span></li>"
        for c in rendered
    )
    return (
        '\n\n<details class="originals"><summary>Machine translation, checked against '
        "the German original (numbers, names, negation, meaning) · show the original"
        f"</summary><ul>{rows}</ul></details>"
    )


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def _boundaries(length: int, spans: Iterable[_Span]) -> list[int]:
    points = {0, length}
    for span in spans:
        points.add(min(max(span.start, 0), length))
        points.add(min(max(span.end, 0), length))
    return sorted(points)


def highlight_article(
    text: str,
    citations: Sequence[Citation],
    turn: int,
    passages: Sequence[Passage] = (),
    anchors: bool = True,
) -> str:
    """The article as escaped HTML with cited spans in numbered <mark>s.

    Citation n's first piece carries its number and (with `anchors`) the id
    `cite-<turn>-<n>` that the chat's [n] links point to.
    `passages` (when given) are underlined lightly, so a reader sees what was retrieved.
    Overlapping spans are fine: the text is cut at every span boundary and each piece
    is wrapped in whatever covers it. Offsets outside the text are clipped.
    """
    spans = [_Span(c.start, c.end) for c in citations]
    spans += [_Span(p.start, p.end) for p in passages]
    points = _boundaries(len(text), spans)
    parts: list[str] = []
    opened: set[int] = set()
    for start, end in itertools.pairwise(points):
        piece = escape_html(text[start:end])
        covering = [c for c in citations if c.start <= start and end <= c.end and c.start < c.end]
        if covering:
            numbers = sorted({c.n for c in covering})
            heads = []
            for n in numbers:
                if n not in opened:
                    opened.add(n)
                    anchor = f' id="{cite_id(turn, n)}"' if anchors else ""
                    heads.append(f'<sup class="cite-num"{anchor}>{n}</sup>')
            label = ",".join(str(n) for n in numbers)
            piece = f'<mark class="cite-mark" data-n="{label}">{"".join(heads)}{piece}</mark>'
        retrieved = [p for p in passages if p.start <= start and end <= p.end]
        if retrieved:
            ranks = ",".join(str(p.rank) for p in retrieved)
            piece = f'<span class="retrieved" data-rank="{ranks}">{piece}</span>'
        parts.append(piece)
    return "".join(parts)


def _score(value: float) -> str:
    return f"{value:.2f}"


def passage_card(passage: Passage, cited: Sequence[Citation], turn: int, title: str) -> str:
    """One retrieved passage: rank, section heading, score, and its text (citations marked)."""
    inner = [
        c
        for c in cited
        if c.doc_id == passage.doc_id and passage.start <= c.start and c.end <= passage.end
    ]
    local = [
        Citation(c.n, c.doc_id, c.section, c.start - passage.start, c.end - passage.start, c.text)
        for c in inner
    ]
    # Numbers in cards are labels, not anchors: the article view owns the ids.
    body = highlight_article(passage.text, local, turn, anchors=False)
    badges = "".join(f'<a class="cite-ref" href="#{cite_id(turn, c.n)}">[{c.n}]</a>' for c in inner)
    section = escape_html(passage.section or "(no heading)")
    return (
        f'<div class="card{" cited" if inner else ""}">'
        f'<div class="card-head"><span class="rank">#{passage.rank}</span> '
        f'<span class="section">{section}</span>'
        f'<span class="score" title="retrieval score">score {_score(passage.score)}</span></div>'
        f'<div class="card-meta">{escape_html(title)} · {escape_html(passage.kind)} · '
        f"chars {passage.start}–{passage.end} {badges}</div>"
        f'<div class="card-text">{body}</div></div>'
    )


def empty_panel() -> str:
    """The source panel before the first answer."""
    return (
        '<div class="sources empty"><p class="hint">Ask a question. The sentences that '
        "back the answer appear here, highlighted in the article and numbered like the "
        "citations [n] in the answer.</p></div>"
    )


def source_panel(
    answer: Answer,
    turn: int,
    documents: Mapping[str, str],
    titles: Mapping[str, str],
    show_all: bool = False,
) -> str:
    """The source panel for one answer: cited articles highlighted, then passage cards.

    Without `show_all` only the articles and passages that hold a citation are shown;
    with it every retrieved passage is listed (and underlined in the article).
    When the answer is a refusal, the closest passages are listed so a reader can check.
    """
    cited_docs = list(dict.fromkeys(c.doc_id for c in answer.citations))
    docs = cited_docs + (
        [p.doc_id for p in answer.passages if p.doc_id not in cited_docs] if show_all else []
    )
    docs = list(dict.fromkeys(docs))
    parts = [f'<div class="sources" data-turn="{turn}">']
    question = escape_html(answer.question)
    if answer.abstained:
        parts.append(
            f'<p class="hint">No passage answers <q>{question}</q> well enough, so '
            "the answer says so. The closest passages are listed below.</p>"
        )
    else:
        parts.append(f'<p class="hint">Sources for <q>{question}</q></p>')
    for doc_id in docs:
        text = documents.get(doc_id)
        title = escape_html(titles.get(doc_id, doc_id))
        if text is None:
            parts.append(
                f'<div class="article missing"><h4>{title}</h4><p>This article is no '
                "longer in the index.</p></div>"
            )
            continue
        citations = [c for c in answer.citations if c.doc_id == doc_id]
        passages = [p for p in answer.passages if p.doc_id == doc_id] if show_all else []
        parts.append(
            f'<div class="article"><h4>{title}</h4><div class="article-text">'
            f"{highlight_article(text, citations, turn, passages)}</div></div>"
        )
    shown = [
        p
        for p in answer.passages
        if show_all
        or answer.abstained
        or any(
            c.doc_id == p.doc_id and p.start <= c.start and c.end <= p.end for c in answer.citations
        )
    ]
    if shown:
        label = "Retrieved passages" if show_all or answer.abstained else "Cited passages"
        parts.append(f'<h4 class="cards-title">{label}</h4>')
        parts.extend(
            passage_card(p, answer.citations, turn, titles.get(p.doc_id, p.doc_id)) for p in shown
        )
    parts.append("</div>")
    return "".join(parts)


def articles_table(rows: Sequence[ArticleRow]) -> str:
    """The corpus as an HTML table (escaped)."""
    if not rows:
        return '<p class="hint">No articles yet. Add one below.</p>'
    body = "".join(
        f"<tr><td>{escape_html(row.title)}</td><td><code>{escape_html(row.doc_id)}</code></td>"
        f"<td>{escape_html(row.file or '—')}</td><td class=num>{row.chars:,}</td>"
        f"<td class=num>{row.passages}</td></tr>"
        for row in rows
    )
    return (
        '<div class="table-wrap"><table class="articles"><thead><tr><th>Title</th>'
        "<th>Id</th><th>File</th><th class=num>Characters</th><th class=num>Passages</th>"
        f"</tr></thead><tbody>{body}</tbody></table></div>"
    )


def status_badge(state: str, message: str) -> str:
    """The loading/ready/failed line at the top of the page."""
    return (
        f'<div class="status status-{escape_html(state)}" role="status">'
        f'<span class="dot"></span> {escape_html(message)}</div>'
    )
