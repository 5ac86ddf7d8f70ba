"""The translation set and its scorer: eval's own negation, number and name checks, chrF,
and the `translations` command with a deterministic fake renderer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from eval import translations
from eval.__main__ import main
from eval.questions import QuestionSetError, read_documents
from eval.translations import Sentence

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "eval" / "questions" / "translations.jsonl"
SOURCE = "Die Kampftruppe könnten bis zu 9000 russische Soldaten angehören."
REFERENCE = "Up to 9,000 Russian soldiers could belong to the combat force."


@dataclass(frozen=True)
class FakeRendering:
    """Shaped like index.types.Rendering."""

    language: str
    text: str
    checked: bool
    problems: tuple[str, ...] = ()


class FakeRenderer:
    """Replays fixed renderings by source text and records every call."""

    def __init__(self, renderings: dict[str, FakeRendering | Exception]) -> None:
        self.renderings = renderings
        self.calls: list[tuple[str, str, str]] = []

    def render(self, text: str, source: str, target: str) -> FakeRendering:
        self.calls.append((text, source, target))
        result = self.renderings[text]
        if isinstance(result, Exception):
            raise result
        return result


def test_negation_must_survive_in_both_directions():
    source = "Minsk mischte sich nicht ein."
    assert translations.negation_agrees(source, "Minsk did not get involved.")
    assert translations.negation_agrees(source, "Minsk didn't get involved.")
    assert not translations.negation_agrees(source, "Minsk got involved.")
    assert not translations.negation_agrees("Minsk mischte sich ein.", "Minsk never joined.")
    assert translations.negation_agrees("Er habe kein Interesse.", "He had no interest.")
    assert translations.negation_agrees("Darauf deute wenig hin.", "Little points to it.")
    with pytest.raises(ValueError, match="lang must be one of"):
        translations.has_negation("x", "fr")


def test_numbers_are_compared_as_values_across_formats_and_words():
    assert translations.numbers(SOURCE, "de") == {9000}
    assert translations.numbers(REFERENCE, "en") == {9000}
    assert translations.numbers_agree(SOURCE, "Up to 9000 Russian soldiers.")
    assert not translations.numbers_agree(SOURCE, "Up to 900 Russian soldiers.")
    assert not translations.numbers_agree(SOURCE, "Russian soldiers could belong to it.")
    assert translations.numbers_agree("vor drei Jahren", "three years ago")
    assert not translations.numbers_agree("vor drei Jahren", "four years ago")
    assert translations.numbers_agree("Am Montag (19.)", "On Monday (the 19th)")
    assert translations.numbers_agree("die beiden Staaten", "the two states")


def test_names_allow_spelling_variants_and_exonyms_but_not_other_names():
    assert translations.same_name("Lukaschenko", "Lukashenko")
    assert translations.same_name("Lukaschenkos", "Lukashenko")
    assert translations.same_name("Peskow", "Peskov")
    assert translations.same_name("Selenskyj", "Zelensky")
    assert translations.same_name("Moskau", "Moscow")
    assert translations.same_name("Sotschi", "Sochi")
    assert translations.same_name("russische", "Russian")
    assert not translations.same_name("Putin", "Peskov")
    assert not translations.same_name("Moskau", "Minsk")
    assert not translations.same_name("russische", "Belarusian")
    with pytest.raises(ValueError, match="min_ratio"):
        translations.same_name("a", "b", 0)


def test_expected_names_come_from_the_reference_and_the_source():
    source = "In Belarus war er zuletzt vor drei Jahren, danach stets in Moskau oder Sotschi."
    reference = "He had last been in Belarus three years ago, since then in Moscow or Sochi."
    assert translations.expected_names(source, reference) == ["Belarus", "Moscow", "Sochi"]
    assert (
        translations.missing_names(source, reference, "Talks were in Moskau or Sochi, Belarus.")
        == []
    )
    assert translations.missing_names(
        source, reference, "Talks were in Minsk or Sochi, Belarus."
    ) == ["Moscow"]


def test_score_rendering_reports_every_check_and_chrf():
    good = translations.score_rendering(SOURCE, REFERENCE, REFERENCE)
    assert good["negation_ok"] and good["numbers_ok"] and good["names_ok"]
    assert good["chrf"] == 100
    bad = translations.score_rendering(
        SOURCE, "Up to 900 Belarusian soldiers could not belong to it.", REFERENCE
    )
    assert not bad["negation_ok"] and not bad["numbers_ok"]
    assert bad["missing_names"] == ["Russian"] and bad["chrf"] < good["chrf"]
    with pytest.raises(ValueError, match="empty"):
        translations.score_rendering(SOURCE, " ", REFERENCE)


def _records(renderer: FakeRenderer, sentences: list[Sentence]) -> list[dict]:
    return translations.evaluate(renderer, sentences)


def test_only_checked_renderings_count_as_shown_and_failures_are_counted():
    sentences = [
        Sentence("a", SOURCE, REFERENCE),
        Sentence("b", "Minsk trat nicht ein.", "Minsk did not join."),
        Sentence("c", "Putin reiste nach Minsk.", "Putin travelled to Minsk."),
        Sentence("d", "Es gab 2020 Proteste.", "There were protests in 2020."),
    ]
    renderer = FakeRenderer(
        {
            SOURCE: FakeRendering("en", REFERENCE, True),
            "Minsk trat nicht ein.": FakeRendering("en", "Minsk joined.", True),
            "Putin reiste nach Minsk.": FakeRendering(
                "en", "Peskov went to Minsk.", False, ("name Putin missing",)
            ),
            "Es gab 2020 Proteste.": RuntimeError("model missing"),
        }
    )
    records = _records(renderer, sentences)
    assert renderer.calls[0] == (SOURCE, "de", "en")
    assert [r["shown"] for r in records] == [True, True, False, False]
    assert records[2]["rendering"]["problems"] == ["name Putin missing"]
    assert records[3]["error"] == "RuntimeError: model missing" and records[3]["checks"] is None
    summary = translations.summarize(records)
    assert summary["sentences"] == 4 and summary["shown"] == 2 and summary["shown_rate"] == 0.5
    assert summary["shown_flipped_negation"] == 1
    assert summary["shown_changed_number"] == 0 and summary["shown_wrong_name"] == 0
    assert summary["hidden_flagged"] == 1 and summary["errors"] == 1
    assert summary["not_shown"] == ["c", "d"]
    assert summary["mean_chrf_shown"] == pytest.approx(
        (100 + records[1]["checks"]["chrf"]) / 2, abs=0.01
    )
    assert translations.shown_failures(summary) == 1
    table = translations.table(records, summary)
    assert "not shown: c, d" in table and "b      yes   FAIL" in table


def test_the_set_file_is_validated_with_line_numbers(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"id": "t1", "source": "a", "reference": "b"}\n'
        '{"id": "t1", "source": "c", "reference": "d"}\n',
        encoding="utf-8",
    )
    with pytest.raises(QuestionSetError, match=r"t\.jsonl:2: id 't1' is already used"):
        translations.load_set(path)
    path.write_text('{"id": "t1", "source": "", "reference": "b"}\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"t\.jsonl:1: source must be a non-empty"):
        translations.load_set(path)
    with pytest.raises(QuestionSetError, match="source not found in the article: x"):
        translations.check_sources([Sentence("x", "nope", "no")], {"d": "text"})


def test_the_shipped_set_is_article_sentences_whose_references_pass_the_checks():
    sentences = translations.load_set(SET)
    assert len(sentences) >= 50
    documents = read_documents(ROOT / "corpus")
    translations.check_sources(sentences, documents, str(SET))
    for sentence in sentences:
        checks = translations.score_rendering(
            sentence.source, sentence.reference, sentence.reference
        )
        assert checks["negation_ok"] and checks["numbers_ok"] and checks["names_ok"], sentence
    assert sum(translations.has_negation(s.source, "de") for s in sentences) >= 10
    assert sum(bool(translations.numbers(s.source, "de")) for s in sentences) >= 6
    names = {n for s in sentences for n in translations.expected_names(s.source, s.reference)}
    assert {"Lukashenko", "Peskov", "Moscow", "Sochi", "Minsk"} <= names


def test_the_translations_command_writes_results_and_fails_on_a_bad_shown_rendering(
    tmp_path, monkeypatch, capsys
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"{SOURCE} Minsk trat nicht ein.\n", encoding="utf-8")
    path = tmp_path / "set.jsonl"
    path.write_text(
        json.dumps({"id": "t1", "source": SOURCE, "reference": REFERENCE}) + "\n", encoding="utf-8"
    )
    renderer = FakeRenderer({SOURCE: FakeRendering("en", REFERENCE, True)})
    stored = [SOURCE, "Minsk trat nicht ein."]  # the article's sentences as stored
    monkeypatch.setattr(translations, "build_renderer", lambda: (renderer, stored))
    out = tmp_path / "out"
    args = ["translations", "--set", str(path), "--out", str(out), "--corpus", str(corpus)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "t1     yes   ok   ok   ok     100.0" in printed
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["shown"] == 1 and summary["mean_chrf_shown"] == 100
    # the article as stored: the second sentence has no rendering, so is not shown
    assert summary["article_sentences"] == 2 and summary["article_shown"] == 1
    assert summary["article_not_shown"] == ["Minsk trat nicht ein."]
    assert summary["set_not_stored"] == []
    assert "the article as stored: 1 of 2 German sentences" in printed
    record = json.loads((out / "translations.jsonl").read_text(encoding="utf-8"))
    assert record["rendering"]["text"] == REFERENCE and record["checks"]["names_ok"]

    renderer.renderings[SOURCE] = FakeRendering("en", "Up to 900 Russian soldiers.", True)
    assert main(args) == 1
    assert "1 shown rendering check(s) failed" in capsys.readouterr().err

    # a sentence without a checked rendering is not shown: coverage under the minimum fails
    renderer.renderings[SOURCE] = FakeRendering("en", REFERENCE, False)
    assert main(args) == 0
    assert main([*args, "--min-shown", "0.5"]) == 1
    assert "only 0 of 1 sentences (0%) have a shown rendering" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a share, not a percentage
        main([*args, "--min-shown", "66"])
    assert "must be between 0 and 1" in capsys.readouterr().err

    path.write_text(
        json.dumps({"id": "t9", "source": "Nicht im Artikel.", "reference": "Not in the article."})
        + "\n",
        encoding="utf-8",
    )
    assert main(args) == 1
    assert "source not found in the article: t9" in capsys.readouterr().err


def test_article_coverage_counts_the_stored_sentences_readers_are_shown():
    stored = [SOURCE, "Minsk trat nicht ein.", "Putin reiste nach Minsk.", "19.", SOURCE]
    renderer = FakeRenderer(
        {
            SOURCE: FakeRendering("en", REFERENCE, True),
            "Minsk trat nicht ein.": FakeRendering("en", "Minsk joined.", False),
            "Putin reiste nach Minsk.": RuntimeError("model missing"),
        }
    )
    # the set split one stored sentence in two: neither half is what readers see
    sentences = [Sentence("a", SOURCE, REFERENCE), Sentence("b", "Putin reiste", "Putin went")]
    coverage = translations.article_coverage(renderer, stored, sentences)
    assert coverage == {
        "article_sentences": 3,  # German ones, each once; "19." has no words
        "article_shown": 1,
        "article_shown_rate": 0.3333,
        "article_not_shown": ["Minsk trat nicht ein.", "Putin reiste nach Minsk."],
        "set_not_stored": ["b"],
    }
