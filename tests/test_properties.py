"""Property tests (hypothesis): offsets, markers and escaping hold for any text."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.ingest.chunking import chunk_article, punkt_splitter
from index.ingest.corpus import blocks
from index.text.markers import cite, find_markers, markers_of, renumber, without_markers
from index.text.sentences import split_sentences
from index.types import Answer, Article, Citation
from web import render

# Article-like text: words, punctuation that ends sentences or fakes it ("Dr.", "19."),
# bullets, blank lines, odd whitespace and some characters from elsewhere.
_PIECES = st.sampled_from(
    [
        "Der",
        "Rat",
        "tagt",
        "am",
        "Montag",
        "(19.)",
        "Dr.",
        "Weber",
        "sagte",
        "„nein“",
        "12.000",
        "Euro",
        ".",
        ". ",
        "! ",
        "? ",
        "\n",
        "\n\n",
        "• ",
        "- ",
        "  ",
        "\t",
        "\r\n",
        "ß",
        "é",
        "Stadt",
        "z.B.",
        "Mio.",
        "1.",
        "Bauabschnitt",
        "…",
        "»",
        "«",
        "\u200b",
        "<b>",
        "&amp;",
    ]
)
TEXT = st.one_of(st.lists(_PIECES, max_size=80).map(" ".join), st.text(max_size=300))
PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(TEXT, st.integers(min_value=16, max_value=64))
def test_chunks_and_sentences_hold_their_offsets_and_never_overlap(text: str, budget: int) -> None:
    article = Article(doc_id="x", text=text, path="x.txt")
    chunks = chunk_article(article, punkt_splitter("de"), lambda t: len(t.split()), budget)
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        for sentence in chunk.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
            assert chunk.start <= sentence.start < sentence.end <= chunk.end
    spans = sorted((c.start, c.end) for c in chunks)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    # Every visible character of the article's body blocks is in some chunk.
    covered = {i for c in chunks for s in c.sentences for i in range(s.start, s.end)}
    for block in blocks(article):
        if block.kind in ("paragraph", "teaser", "caption"):
            for i in range(block.start, block.end):
                assert text[i].isspace() or i in covered, (block, i)


@PROPERTY
@given(TEXT)
def test_punkt_spans_are_ordered_and_inside_the_text(text: str) -> None:
    spans = punkt_splitter("de").spans(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


@PROPERTY
@given(TEXT)
def test_answer_sentence_splitting_keeps_every_word_in_order(text: str) -> None:
    assert " ".join(split_sentences(text)).split() == " ".join(text.splitlines()).split()


MARKED = st.lists(
    st.one_of(
        _PIECES,
        st.builds(
            lambda ns, sep: "[" + sep.join(str(n) for n in ns) + "]",
            st.lists(st.integers(0, 12), min_size=1, max_size=3),
            st.sampled_from([",", ", ", ";"]),
        ),
    ),
    max_size=40,
).map(" ".join)


@PROPERTY
@given(MARKED, st.dictionaries(st.integers(0, 12), st.integers(1, 5), max_size=6))
def test_renumbering_never_leaves_a_marker_pointing_nowhere(
    text: str, mapping: dict[int, int]
) -> None:
    result = renumber(text, mapping)
    assert set(markers_of(result)) <= set(mapping.values())
    for marker in find_markers(result):
        assert result[marker.start : marker.end].strip().startswith("[")


@PROPERTY
@given(TEXT, st.integers(1, 9))
def test_cite_adds_exactly_the_one_marker(text: str, n: int) -> None:
    plain = without_markers(text)
    if markers_of(plain):  # stripping can join digits into a new "[3]"; rare, not our case
        return
    assert markers_of(cite(plain, n)) == [n]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _tags(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(markup)
    return parser.tags


HOSTILE = st.one_of(
    TEXT,
    st.lists(
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                "<img src=x onerror=alert(1)>",
                "<iframe src=//x>",
                '"><svg onload=x>',
                "javascript:",
                "[1]",
                "[2, 3]",
                "**b**",
                "`c`",
                "$x$",
                "<!--",
                "&lt;",
                "Text",
                " ",
            ]
        ),
        max_size=20,
    ).map("".join),
)


def _our_markup_only(markup: str, allowed: set[str]) -> None:
    for tag, attrs in _tags(markup):
        assert tag in allowed, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            if name == "href":
                assert value is not None and value.startswith("#cite-"), value


@PROPERTY
@given(HOSTILE, st.integers(0, 40), st.integers(0, 40))
def test_rendering_any_text_yields_no_live_html(text: str, start: int, end: int) -> None:
    assert _tags(render.escape_html(text)) == []
    assert _tags(render.user_message(text)) == []
    citation = Citation(1, "doc", text[:20], min(start, end), max(start, end), text[:5])
    _our_markup_only(render.highlight_article(text, [citation], 0), {"mark", "sup", "span"})
    answer = Answer(
        question=text,
        answer=text + " [1]",
        language="de",
        abstained=False,
        citations=(citation,),
        passages=(),
        timings_ms={},
        mode="extractive",
    )
    _our_markup_only(render.answer_message(answer, 0, {"doc": text}), {"a", "span"})
    _our_markup_only(
        render.source_panel(answer, 0, {"doc": text}, {"doc": text}),
        {"div", "p", "q", "h4", "mark", "sup", "span", "a"},
    )
