"""Metrics on hand-made inputs (no models)."""

from __future__ import annotations

import pytest

from eval import metrics, text
from eval.metrics import Span
from eval.questions import parse_item
from eval.scoring import item_quality, score_item, summarize, summarize_by_language
from eval.support import default_support, overlap_support

DOCS = {"a": "Eins zwei. Die Truppe hat 9000 Soldaten. Drei vier.", "b": "Andere Sache."}
GOLD = [Span("a", 11, 40)]  # "Die Truppe hat 9000 Soldaten."


def passage(doc_id: str, start: int, end: int, **extra: object) -> dict[str, object]:
    return {"doc_id": doc_id, "start": start, "end": end, **extra}


def test_gold_spans_finds_every_occurrence_in_every_document():
    assert metrics.gold_spans(["Die Truppe hat 9000 Soldaten."], DOCS) == GOLD
    assert metrics.gold_spans(["e"], {"x": "eve"}) == [Span("x", 0, 1), Span("x", 2, 3)]
    with pytest.raises(ValueError, match="not found"):
        metrics.gold_spans(["nirgends"], DOCS)
    with pytest.raises(ValueError, match="non-empty"):
        metrics.gold_spans([""], DOCS)


def test_overlap_needs_the_same_document_and_a_shared_character():
    assert metrics.overlaps("a", 0, 12, GOLD)
    assert not metrics.overlaps("a", 0, 11, GOLD)  # touches, half-open
    assert not metrics.overlaps("a", 40, 50, GOLD)
    assert not metrics.overlaps("b", 11, 40, GOLD)
    with pytest.raises(ValueError, match="start must not be after end"):
        metrics.overlaps("a", 5, 4, GOLD)


def test_first_hit_rank_is_the_position_of_the_first_overlapping_passage():
    passages = [passage("b", 0, 5), passage("a", 0, 10), passage("a", 30, 45)]
    assert metrics.first_hit_rank(passages, GOLD) == 3
    assert metrics.first_hit_rank(passages[:2], GOLD) is None
    with pytest.raises(ValueError, match="doc_id, start and end"):
        metrics.first_hit_rank([{"doc_id": "a"}], GOLD)


def test_hit_at_k_and_mrr():
    ranks = [1, 3, None, 2]
    assert metrics.hit_at_k(ranks, 1) == 0.25
    assert metrics.hit_at_k(ranks, 3) == 0.75
    assert metrics.mean_reciprocal_rank(ranks) == pytest.approx((1 + 1 / 3 + 0 + 1 / 2) / 4)
    assert metrics.hit_at_k([], 5) is None and metrics.mean_reciprocal_rank([]) is None
    with pytest.raises(ValueError, match="k must be at least 1"):
        metrics.hit_at_k(ranks, 0)
    with pytest.raises(ValueError, match="positive integers"):
        metrics.mean_reciprocal_rank([0])


def test_citation_precision_pools_citations_and_recall_counts_items():
    citations = [passage("a", 20, 30), passage("a", 0, 5), passage("b", 0, 3)]
    assert metrics.cited_in_gold(citations, GOLD) == (1, 3)
    assert metrics.citation_precision([(1, 3), (1, 1)]) == 0.5
    assert metrics.citation_precision([(0, 0)]) is None
    assert metrics.citation_recall([True, False, True, True]) == 0.75
    with pytest.raises(ValueError, match="overlapping <= total"):
        metrics.citation_precision([(2, 1)])


def test_facts_need_one_alternative_of_every_group_at_word_boundaries():
    text = "Laut Artikel: „Die Kampftruppe könnten bis zu 9000 russische Soldaten angehören.“"
    assert metrics.facts_present(text, [["9.000", "9000"]])
    assert metrics.facts_present(text, [["9000"], ["RUSSISCHE", "Russian"]])
    assert not metrics.facts_present(text, [["9000"], ["Belarus"]])
    assert not metrics.facts_present("19000 Soldaten", [["9000"]])
    assert not metrics.facts_present("Kampftruppen", [["Kampftruppe"]])
    assert metrics.facts_present("die   kein\nInteresse", [["kein Interesse"]])
    assert metrics.facts_present("Russland-Programms", [["Russland-Programms"]])
    assert metrics.fact_accuracy([True, False]) == 0.5
    with pytest.raises(ValueError, match="non-empty groups"):
        metrics.facts_present(text, [[]])


def test_abstention_precision_counts_refused_answerable_items_against_us():
    abstained = [True, True, False, False, True]
    answerable = [False, True, False, True, False]
    assert metrics.abstention_precision(abstained, answerable) == pytest.approx(2 / 3)
    assert metrics.abstention_recall(abstained, answerable) == pytest.approx(2 / 3)
    assert metrics.abstention_precision([False], [False]) is None  # nothing refused
    assert metrics.abstention_recall([True], [True]) is None  # nothing to refuse
    with pytest.raises(ValueError, match="differ in length"):
        metrics.abstention_recall([True], [])


def test_answer_claims_end_at_citation_markers():
    text = "Laut Artikel: „A b c.“ [1] „D e.“ [2][3]. Trailing words"
    assert metrics.answer_claims(text) == [
        ("Laut Artikel: „A b c.“", (1,)),
        ("„D e.“", (2, 3)),
        ("Trailing words", ()),
    ]
    assert metrics.answer_claims("Nur ein Satz [1].") == [("Nur ein Satz", (1,))]


def test_supported_claims_use_the_verifier_on_the_cited_texts():
    answer = {
        "abstained": False,
        "answer": "Laut Artikel: „Die Truppe hat 9000 Soldaten.“ [1] "
        "Putin flog zum Mond [2]. Ohne Beleg.",
        "citations": [
            {"n": 1, "text": "Die Truppe hat 9000 Soldaten."},
            {"n": 2, "text": "Eins zwei."},
        ],
    }
    verify = metrics.overlap_verifier(0.5)
    assert metrics.supported_claims(answer, verify) == (1, 3)
    assert metrics.supported_claims({"abstained": True, "answer": "Nichts."}, verify) == (0, 0)
    unknown = {"abstained": False, "answer": "Die Truppe [7]", "citations": []}
    assert metrics.supported_claims(unknown, verify) == (0, 1)
    assert metrics.supported_sentence_rate([(1, 3), (1, 1)]) == 0.5
    assert metrics.supported_sentence_rate([]) is None


def test_token_overlap_folds_stems_and_ignores_function_words():
    assert text.token_overlap("Soldaten der Truppe", ["Die Truppe hat 9000 Soldaten."]) == 1
    assert text.token_overlap("Mond Rakete", ["Die Truppe."]) == 0
    assert text.token_overlap("9,000 soldiers", ["9.000 Soldaten", "9000 soldier"]) == 1
    assert text.token_overlap("the and of", ["anything"]) == 1  # nothing to check
    assert text.content_tokens("Laut Artikel: die Gespräche") == {"gespräch"}
    with pytest.raises(ValueError, match="threshold"):
        metrics.overlap_verifier(0)


def test_strip_markers_removes_every_citation_marker():
    assert text.strip_markers("A [1]. B [2][3] C[4]") == "A. B C"


def test_cited_texts_add_the_rendering_when_a_citation_carries_one():
    base = {"n": 1, "text": "Minsk bestritt es."}
    assert metrics.cited_texts(base) == ["Minsk bestritt es."]
    assert metrics.cited_texts({**base, "rendering": None}) == ["Minsk bestritt es."]
    shown = {**base, "rendering": {"language": "en", "text": "Minsk denied it.", "checked": True}}
    assert metrics.cited_texts(shown) == ["Minsk bestritt es.", "Minsk denied it."]
    empty = {**base, "rendering": {"language": "en", "text": " ", "checked": False}}
    assert metrics.cited_texts(empty) == ["Minsk bestritt es."]
    with pytest.raises(ValueError, match="needs its text"):
        metrics.cited_texts({"n": 1})


def test_support_is_evals_own_check_and_can_fail():
    support, name = default_support()
    assert "eval token overlap" in name
    cited = {
        "n": 1,
        "doc_id": "a",
        "section": "",
        "start": 11,
        "end": 40,
        "text": "Die Truppe hat 9000 Soldaten.",
    }
    quoted = _answer("Laut Artikel: „Die Truppe hat 9000 Soldaten.“ [1]", [cited], [])
    assert support(quoted) == (1, 1)
    english = _answer("The unit has 9,000 soldiers [1].", [cited], [], language="en")
    assert support(english) == (0, 1)  # German text alone does not vouch for English words
    rendered = {
        **cited,
        "rendering": {"language": "en", "text": "The unit has 9,000 soldiers.", "checked": True},
    }
    assert support(_answer("The unit has 9,000 soldiers [1].", [rendered], [])) == (1, 1)
    wrong = _answer("Putin fliegt morgen zum Mond [1]. Ohne Beleg.", [cited], [])
    assert support(wrong) == (0, 2)
    assert support(_answer("Dazu sagt der Artikel nichts.", [], [], abstained=True)) == (0, 0)


def test_the_language_detector_reads_the_answer_text_quotes_included():
    assert text.detect_language("No. Belarus has denied that it will join the war [1].") == "en"
    assert text.detect_language("Nein. Belarus bestreitet, in den Krieg einzutreten [1].") == "de"
    quoted = (
        'The article says (in German): "Die Kampftruppe könnten bis zu 9000 russische '
        'Soldaten angehören." [1]'
    )
    assert text.detect_language(quoted) == "de"  # the reader meets German
    with pytest.raises(ValueError, match="without letters"):
        text.detect_language("[1] 9000.")


def test_fact_accuracy_reader_skips_items_without_reader_facts():
    assert metrics.fact_accuracy_reader([True, None, False, True]) == pytest.approx(2 / 3)
    assert metrics.fact_accuracy_reader([None, None]) is None


def test_language_match_and_percentiles():
    assert metrics.language_match(["de", "en", "en"], ["de", "de", "en"]) == pytest.approx(2 / 3)
    assert metrics.percentile([10, 20, 30, 40], 50) == 25
    assert metrics.percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)
    assert metrics.percentile([5], 95) == 5
    assert metrics.percentile([], 50) is None
    with pytest.raises(ValueError, match="non-negative"):
        metrics.percentile([-1], 50)
    with pytest.raises(ValueError, match="q must be"):
        metrics.percentile([1], 101)


def _answer(
    text: str,
    citations: list[dict[str, object]],
    passages: list[dict[str, object]],
    abstained: bool = False,
    language: str = "de",
) -> dict[str, object]:
    return {
        "question": "q",
        "answer": text,
        "language": language,
        "abstained": abstained,
        "citations": citations,
        "passages": passages,
        "timings_ms": {"total_ms": 100.0},
        "standalone_question": "q",
        "mode": "extractive",
    }


def test_score_item_and_summarize_combine_the_metrics():
    good = parse_item(
        {
            "id": "g",
            "lang": "de",
            "answerable": True,
            "question": "Wie viele?",
            "facts": [["9000"]],
            "evidence": ["Die Truppe hat 9000 Soldaten."],
        }
    )
    none = parse_item({"id": "u", "lang": "en", "answerable": False, "question": "Capital?"})
    cited = {
        "n": 1,
        "doc_id": "a",
        "section": "",
        "start": 11,
        "end": 40,
        "text": "Die Truppe hat 9000 Soldaten.",
    }
    right = _answer(
        "Laut Artikel: „Die Truppe hat 9000 Soldaten.“ [1]",
        [cited],
        [passage("b", 0, 5), passage("a", 0, 52)],
    )
    refused = _answer("The article does not say.", [], [passage("b", 0, 5)], True, "en")
    verify = overlap_support()
    first = score_item(good, right, DOCS, verify)
    assert first["hit_rank"] == 2 and first["facts_ok"] and first["citation_covers"]
    assert (first["supported"], first["claims"]) == (1, 1)
    second = score_item(none, refused, DOCS, verify)
    assert second["abstention_ok"] and second["language_ok"]
    failed = score_item(good, None, DOCS, verify, error="boom")
    assert failed["error"] == "boom" and not failed["facts_ok"]

    summary = summarize([first, second])
    assert summary["hit@1"] == 0 and summary["hit@3"] == 1 and summary["mrr"] == 0.5
    assert summary["fact_accuracy"] == 1 and summary["citation_precision"] == 1
    assert summary["abstention_precision"] == 1 and summary["abstention_recall"] == 1
    assert summary["latency_p50_ms"] == 100 and summary["errors"] == 0
    assert summarize([first, failed])["errors"] == 1
    assert item_quality(second) == 1 and item_quality(failed) == 0
    assert first["answer_language"] == "de" and first["language_ok"]
    assert item_quality(first) == pytest.approx((0.5 + 1 + 1 + 1 + 1 + 1) / 6)


def _by_text(language_of: dict[str, str]):  # type: ignore[no-untyped-def]
    """A fake detector: looks the text up, so the test fixes what it 'detects'."""

    def detect(answer_text: str) -> str:
        return language_of[answer_text]

    return detect


def test_language_is_measured_on_the_answer_text_not_the_product_label():
    item = parse_item(
        {
            "id": "e",
            "lang": "en",
            "answerable": True,
            "question": "How many?",
            "facts": [["9000"]],
            "facts_reader": [["9,000", "9000"]],
            "evidence": ["Die Truppe hat 9000 Soldaten."],
        }
    )
    cited = {
        "n": 1,
        "doc_id": "a",
        "section": "",
        "start": 11,
        "end": 40,
        "text": "Die Truppe hat 9000 Soldaten.",
    }
    german = _answer(
        "Laut Artikel: „Die Truppe hat 9000 Soldaten.“ [1]", [cited], [], language="en"
    )
    detector = _by_text(
        {
            "Laut Artikel: „Die Truppe hat 9000 Soldaten.“": "de",
            "The unit has 9,000 soldiers.": "en",
        }
    )
    scores = score_item(item, german, DOCS, overlap_support(), detector=detector)
    assert scores["answer_language"] == "de" and not scores["language_ok"]
    assert scores["facts_ok"] and scores["facts_reader_ok"]  # "9000" is in both languages
    english = _answer("The unit has 9,000 soldiers [1].", [cited], [], language="de")
    scores = score_item(item, english, DOCS, overlap_support(), detector=detector)
    assert scores["answer_language"] == "en" and scores["language_ok"]


def test_reader_facts_need_the_readers_language():
    item = parse_item(
        {
            "id": "n",
            "lang": "en",
            "answerable": True,
            "question": "Did Minsk join?",
            "facts": [["nicht", "not"]],
            "facts_reader": [["No", "not", "denied"]],
            "evidence": ["Die Truppe hat 9000 Soldaten."],
        }
    )
    quoted = _answer("Laut Artikel: „Minsk trat nicht ein.“ [1]", [], [])
    scores = score_item(item, quoted, DOCS, overlap_support(), detector=lambda _: "de")
    assert scores["facts_ok"] and not scores["facts_reader_ok"]
    plain = _answer("No, Minsk denied it [1].", [], [], language="en")
    scores = score_item(item, plain, DOCS, overlap_support(), detector=lambda _: "en")
    assert scores["facts_reader_ok"] and scores["language_ok"]
    failed = score_item(item, None, DOCS, overlap_support(), error="boom")
    assert failed["facts_reader_ok"] is False and failed["answer_language"] is None


def test_summary_has_the_reader_metrics_overall_and_per_language():
    scores = [
        {
            "lang": "en",
            "answerable": True,
            "error": None,
            "abstained": False,
            "abstention_ok": True,
            "answer_language": "de",
            "language_ok": False,
            "total_ms": 10.0,
            "supported": 1,
            "claims": 1,
            "hit_rank": 1,
            "facts_ok": True,
            "facts_reader_ok": False,
            "cited_gold": 1,
            "cited": 1,
            "citation_covers": True,
        },
        {
            "lang": "de",
            "answerable": True,
            "error": None,
            "abstained": False,
            "abstention_ok": True,
            "answer_language": "de",
            "language_ok": True,
            "total_ms": 20.0,
            "supported": 0,
            "claims": 2,
            "hit_rank": 2,
            "facts_ok": True,
            "facts_reader_ok": True,
            "cited_gold": 1,
            "cited": 2,
            "citation_covers": True,
        },
    ]
    overall = summarize(scores)
    assert overall["fact_accuracy_reader"] == 0.5 and overall["language_match"] == 0.5
    assert overall["supported_sentence_rate"] == pytest.approx(1 / 3, abs=1e-4)
    by_lang = summarize_by_language(scores)
    assert by_lang["en"]["fact_accuracy_reader"] == 0 and by_lang["en"]["language_match"] == 0
    assert by_lang["de"]["fact_accuracy_reader"] == 1 and by_lang["de"]["language_match"] == 1
    old = [{key: value for key, value in s.items() if key != "facts_reader_ok"} for s in scores]
    assert summarize(old)["fact_accuracy_reader"] is None  # older runs: not measured
