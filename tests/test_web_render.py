"""The page's HTML rendering: escaping, highlight offsets, citation anchors."""

from __future__ import annotations

import re

from index.types import Answer, Citation, Passage
from web import render

SOURCE = "Intro.\nDie Stadt zahlt 250.000 Euro. Sponsoren zahlen den Rest.\n"
CARD = re.compile(r'class="card( cited)?"')
EVIL = '<script>alert(1)</script> & <img src=x onerror="alert(2)">'


def _citation(n: int, text: str, source: str = SOURCE, doc_id: str = "fest") -> Citation:
    start = source.index(text)
    return Citation(
        n=n, doc_id=doc_id, section="Kosten", start=start, end=start + len(text), text=text
    )


def _passage(
    rank: int, text: str, source: str = SOURCE, doc_id: str = "fest", score: float = 0.5
) -> Passage:
    start = source.index(text)
    return Passage(
        rank=rank,
        chunk_id=f"{doc_id}:{start}",
        doc_id=doc_id,
        section="Kosten",
        kind="paragraph",
        start=start,
        end=start + len(text),
        text=text,
        score=score,
    )


def _answer(
    text: str,
    citations: tuple[Citation, ...],
    passages: tuple[Passage, ...],
    question: str = "Wer zahlt?",
) -> Answer:
    return Answer(
        question=question,
        answer=text,
        language="de",
        abstained=not citations,
        citations=citations,
        passages=passages,
        timings_ms={"total_ms": 12.0},
    )


def _visible_text(markup: str) -> str:
    """What a browser shows: tags dropped, entities decoded."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_highlight_marks_exactly_the_cited_characters() -> None:
    citation = _citation(1, "Die Stadt zahlt 250.000 Euro.")
    markup = render.highlight_article(SOURCE, [citation], turn=0)
    marked = re.findall(r'<mark class="cite-mark" data-n="1">(.*?)</mark>', markup, re.S)
    assert [re.sub(r"<sup[^>]*>1</sup>", "", piece) for piece in marked] == [citation.text]
    assert (
        _visible_text(markup.replace('<sup class="cite-num" id="cite-0-1">1</sup>', "")) == SOURCE
    )


def test_anchor_id_sits_on_the_first_piece_of_each_citation() -> None:
    first = _citation(1, "Die Stadt zahlt")
    second = _citation(2, "zahlt 250.000 Euro.")  # overlaps the first
    markup = render.highlight_article(SOURCE, [first, second], turn=3)
    assert markup.count('id="cite-3-1"') == 1 and markup.count('id="cite-3-2"') == 1
    assert markup.index('id="cite-3-1"') < markup.index('id="cite-3-2"')
    assert 'data-n="1,2"' in markup  # the overlap is marked for both


def test_offsets_outside_the_text_are_clipped() -> None:
    wild = Citation(n=1, doc_id="fest", section="", start=-5, end=10_000, text="")
    markup = render.highlight_article("kurz", [wild], turn=0)
    assert _visible_text(markup).endswith("kurz")


def test_article_markup_is_escaped_in_the_source_panel() -> None:
    source = f"Vorher. {EVIL} Nachher."
    citation = _citation(1, EVIL, source=source, doc_id="x")
    passage = _passage(1, source, source=source, doc_id="x")
    answer = _answer("„…“ [1]", (citation,), (passage,), question=f"Was ist {EVIL}?")
    panel = render.source_panel(answer, 0, {"x": source}, {"x": f"Titel {EVIL}"}, show_all=True)
    assert "<script" not in panel and "<img" not in panel and 'onerror="' not in panel
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel
    assert EVIL in _visible_text(panel)


def test_answer_text_is_escaped_and_citations_become_links() -> None:
    citation = _citation(1, "Die Stadt zahlt 250.000 Euro.")
    answer = _answer(
        f"Laut Artikel {EVIL}: „Die Stadt zahlt 250.000 Euro.“ [1] und [7]", (citation,), ()
    )
    message = render.answer_message(answer, turn=2)
    assert "<script" not in message and "<img" not in message
    assert message.count('href="#cite-2-1"') == 2  # in the text and in the source list
    assert "#cite-2-7" not in message  # [7] is not a citation of this answer
    assert "\\[7\\]" in message


def test_markdown_cannot_be_injected_through_the_answer() -> None:
    escaped = render.escape_markdown("[click](javascript:alert(1)) *bold* $x$ 1. list")
    assert "](" not in escaped.replace("\\](", "")
    assert "\\*bold\\*" in escaped and "\\$x\\$" in escaped


def test_user_and_partial_messages_are_escaped() -> None:
    assert "<script" not in render.user_message(EVIL)
    assert "<script" not in render.partial_message(EVIL)


def test_passage_cards_show_section_score_and_cited_number() -> None:
    citation = _citation(1, "Die Stadt zahlt 250.000 Euro.")
    passage = _passage(1, "Die Stadt zahlt 250.000 Euro. Sponsoren zahlen den Rest.", score=0.7349)
    other = _passage(2, "Intro.", score=0.1)
    answer = _answer("„…“ [1]", (citation,), (passage, other))
    panel = render.source_panel(answer, 0, {"fest": SOURCE}, {"fest": "Stadtfest"})
    assert "Cited passages" in panel and "score 0.73" in panel and "Kosten" in panel
    assert len(CARD.findall(panel)) == 1  # only the cited passage without show_all
    assert panel.count('id="cite-0-1"') == 1  # cards never duplicate the anchor id
    everything = render.source_panel(
        answer, 0, {"fest": SOURCE}, {"fest": "Stadtfest"}, show_all=True
    )
    assert len(CARD.findall(everything)) == 2 and "Retrieved passages" in everything
    assert 'class="retrieved"' in everything


def test_refusal_lists_the_closest_passages() -> None:
    answer = _answer("Dazu sagt der Artikel nichts.", (), (_passage(1, "Intro."),))
    panel = render.source_panel(answer, 0, {"fest": SOURCE}, {})
    assert "No passage answers" in panel and len(CARD.findall(panel)) == 1
    assert render.answer_message(answer, 0) == "Dazu sagt der Artikel nichts."


def test_missing_article_is_reported_not_crashed() -> None:
    citation = _citation(1, "Intro.")
    answer = _answer("„Intro.“ [1]", (citation,), ())
    assert "no longer in the index" in render.source_panel(answer, 0, {}, {})


def test_article_table_and_status_are_escaped() -> None:
    rows = [render.ArticleRow(doc_id="a", title=EVIL, file="a.md", chars=1234, passages=3)]
    table = render.articles_table(rows)
    assert "<script" not in table and "1,234" in table
    assert "<script" not in render.status_badge("ready", EVIL)


def test_rendered_citations_are_labelled_with_the_original_one_click_away() -> None:
    from index.types import Rendering

    citation = Citation(
        1, "a", "S", 0, 20, "Minsk <b>bestritt</b> es.", Rendering("en", "Minsk denied it.", True)
    )
    answer = Answer(
        question="Q?",
        answer="No. Minsk denied it [1].",
        language="en",
        abstained=False,
        citations=(citation,),
        passages=(),
        timings_ms={},
    )
    message = render.answer_message(answer, 0)
    assert "<details" in message and "Machine translation" in message
    assert "Minsk &lt;b&gt;bestritt&lt;/b&gt; es." in message  # the original, escaped
    plain = Answer(
        question="Q?",
        answer="x [1]",
        language="de",
        abstained=False,
        citations=(Citation(1, "a", "S", 0, 5, "x"),),
        passages=(),
        timings_ms={},
    )
    assert "<details" not in render.answer_message(plain, 0)
