"""The translation set: does a shown English rendering of an article sentence keep its meaning?

Set file (JSONL), one sentence of the article a line:

    {"id": "t01", "source": "<exact German sentence>", "reference": "<English>"}

For each (source, rendering, reference) triple eval's own checks ask: is a negation kept
(not added, not lost), are the numbers the same, is every name still there (spelling
variants such as Lukaschenko/Lukashenko and exonyms such as Moskau/Moscow allowed), and
how close is the rendering to the reference (chrF, sacrebleu). A rendering is "shown"
when the product marked it `checked`; shown renderings must never flip a negation,
change a number or lose a name. Nothing here imports the product's own checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from eval.questions import QuestionSetError
from eval.text import detect_language, words

RESULTS = "translations.jsonl"
SUMMARY = "summary.json"

# --- the set ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One article sentence with a faithful reference translation."""

    id: str
    source: str
    reference: str


def parse_sentence(data: object) -> Sentence:
    """One set entry from its JSON object; ValueError naming the bad field."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - {"id", "source", "reference"})
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}")
    for key in ("id", "source", "reference"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{key} must be a non-empty string; got {value!r}")
    return Sentence(data["id"], data["source"], data["reference"])


def parse_set(lines: Iterable[str], source: str = "<translations>") -> list[Sentence]:
    """Entries from JSONL lines; QuestionSetError naming `source`, the line and the problem."""
    sentences: list[Sentence] = []
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            sentence = parse_sentence(json.loads(raw))
        except json.JSONDecodeError as error:
            raise QuestionSetError(f"{source}:{number}: not valid JSON ({error.msg})") from None
        except ValueError as error:
            raise QuestionSetError(f"{source}:{number}: {error}") from None
        if sentence.id in seen:
            raise QuestionSetError(f"{source}:{number}: id {sentence.id!r} is already used")
        seen.add(sentence.id)
        sentences.append(sentence)
    if not sentences:
        raise QuestionSetError(f"{source}: the translation set is empty")
    return sentences


def load_set(path: Path | str) -> list[Sentence]:
    """Read and validate a translation set file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QuestionSetError(
            f"{path}: cannot read the translation set ({error.strerror})"
        ) from None
    return parse_set(text.splitlines(), str(path))


def check_sources(
    sentences: Sequence[Sentence], documents: Mapping[str, str], source: str = "<translations>"
) -> None:
    """QuestionSetError listing every source sentence that is in none of the documents."""
    missing = [s.id for s in sentences if not any(s.source in text for text in documents.values())]
    if missing:
        raise QuestionSetError(f"{source}: source not found in the article: {', '.join(missing)}")


# --- negation ---------------------------------------------------------------------------

NEGATIONS = {
    "de": frozenset(
        "nicht kein keine keinen keinem keiner keines nie niemals nichts niemand "
        "weder nirgends ohne kaum wenig "
        # verbs that deny: "bestritt, einzutreten" is rendered "denied entering" or "did
        # not enter"; both must count as negated
        "bestritt bestreitet bestritten bestreiten lehnte lehnt lehnten abgelehnt "
        "mied gemieden vermied vermieden".split()
    ),
    "en": frozenset(
        "not no never nothing nobody none neither nor nowhere without cannot "
        "hardly barely little few "
        "deny denies denied denying reject rejects rejected refused refuses avoid avoids "
        "avoided".split()
    ),
}
"""Words that negate or nearly negate ("kaum", "wenig"; "little", "few"), per language."""

_CONTRACTION = re.compile(r"n['’]t\b", re.IGNORECASE)


def has_negation(text: str, lang: str) -> bool:
    """True when the text holds a negation word of `lang` ("de" or "en")."""
    if lang not in NEGATIONS:
        raise ValueError(f"lang must be one of {', '.join(NEGATIONS)}; got {lang!r}")
    if lang == "en" and _CONTRACTION.search(text):
        return True
    return any(word in NEGATIONS[lang] for word in words(text))


def negation_agrees(
    source: str, rendering: str, source_lang: str = "de", target_lang: str = "en"
) -> bool:
    """True when source and rendering are both negated or both not."""
    return has_negation(source, source_lang) == has_negation(rendering, target_lang)


# --- numbers ----------------------------------------------------------------------------

NUMBER_WORDS = {
    "de": {
        "zwei": 2,
        "beide": 2,
        "beiden": 2,
        "beider": 2,
        "drei": 3,
        "vier": 4,
        "fünf": 5,
        "sechs": 6,
        "sieben": 7,
        "acht": 8,
        "neun": 9,
        "zehn": 10,
        "elf": 11,
        "zwölf": 12,
        "zwanzig": 20,
        "hundert": 100,
        "tausend": 1000,
    },
    "en": {
        "two": 2,
        "both": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "twenty": 20,
        "hundred": 100,
        "thousand": 1000,
    },
}
"""Spelled-out numbers; "ein"/"one" are left out (mostly articles and pronouns)."""


def numbers(text: str, lang: str) -> frozenset[int]:
    """The numbers a text states: digits (thousands separators ignored) and number words."""
    if lang not in NUMBER_WORDS:
        raise ValueError(f"lang must be one of {', '.join(NUMBER_WORDS)}; got {lang!r}")
    found: set[int] = set()
    for word in words(text):
        digits = re.match(r"\d+", word)
        if digits:
            found.add(int(digits.group()))
        elif word in NUMBER_WORDS[lang]:
            found.add(NUMBER_WORDS[lang][word])
    return frozenset(found)


def numbers_agree(
    source: str, rendering: str, source_lang: str = "de", target_lang: str = "en"
) -> bool:
    """True when source and rendering state the same set of numbers."""
    return numbers(source, source_lang) == numbers(rendering, target_lang)


# --- names ------------------------------------------------------------------------------

EXONYMS = {
    "moskau": "moscow",
    "sotschi": "sochi",
    "russland": "russia",
    "europa": "europe",
    "kreml": "kremlin",
    "russisch": "russian",
    "belarussisch": "belarusian",
    "ukrainisch": "ukrainian",
    "weißrussland": "belarus",
    "montag": "monday",
    "oktober": "october",
    "westen": "west",
    "sowjet": "soviet",
}
"""German names whose English form is not a spelling variant (keys and values folded)."""

NOT_NAMES = frozenset(
    "the and but this that there what who since for according after "
    "before then when together our its their his her however some only "
    "also while once".split()
)
"""Capitalised English words that start sentences rather than name something."""

_CAPITALISED = re.compile(r"\b[A-ZÄÖÜ][\wÄÖÜäöüß]*")
_GERMAN_ENDINGS = ("en", "er", "es", "em", "e", "s")


def name_key(word: str) -> str:
    """A spelling-insensitive key: folded, transliteration pairs (sch/sh, w/v, j/y) merged."""
    key = word.casefold().replace("ß", "ss")
    key = key.translate(str.maketrans("äöü", "aou"))
    key = re.sub(r"[^a-z]", "", key)
    for old, new in (
        ("tsch", "ch"),
        ("sch", "sh"),
        ("w", "v"),
        ("j", "y"),
        ("z", "s"),
        ("yy", "y"),
    ):
        key = key.replace(old, new)
    return key


def _forms(word: str) -> set[str]:
    """A German word with one inflection ending cut, and its English exonym if known."""
    folded = word.casefold()
    forms = {folded}
    forms |= {
        folded[: -len(end)]
        for end in _GERMAN_ENDINGS
        if folded.endswith(end) and len(folded) - len(end) >= 4
    }
    return forms | {EXONYMS[form] for form in forms if form in EXONYMS}


def same_name(first: str, second: str, min_ratio: float = 0.8) -> bool:
    """True when two words name the same thing across German and English spellings."""
    if not 0 < min_ratio <= 1:
        raise ValueError(f"min_ratio must be in (0, 1]; got {min_ratio}")
    keys_a = {name_key(form) for form in _forms(first)}
    keys_b = {name_key(form) for form in _forms(second)}
    if keys_a & keys_b:
        return True
    return any(
        len(a) >= 4 and len(b) >= 4 and SequenceMatcher(None, a, b).ratio() >= min_ratio
        for a in keys_a
        for b in keys_b
    )


def expected_names(source: str, reference: str) -> list[str]:
    """Names of the sentence: capitalised words of the reference that also occur in the source.

    English capitalises names (and nationalities, days, months) but not common nouns, and
    German capitalises nouns but not adjectives; a word capitalised in the reference and
    found in the German source is therefore a name (Putin, Minsk, Moscow, Monday, Soviet,
    Russian from "russische").
    """
    source_words = [w for part in re.findall(r"[\w-]+", source) for w in part.split("-")]
    found: list[str] = []
    for word in _CAPITALISED.findall(reference):
        if len(word) < 3 or word.casefold() in NOT_NAMES or word in found:
            continue
        if any(same_name(word, other) for other in source_words):
            found.append(word)
    return found


def missing_names(source: str, reference: str, rendering: str) -> list[str]:
    """The names of the sentence (see expected_names) that the rendering does not contain."""
    rendered = [w for part in re.findall(r"[\w-]+", rendering) for w in part.split("-")]
    return [
        name
        for name in expected_names(source, reference)
        if not any(same_name(name, word) for word in rendered)
    ]


# --- similarity -------------------------------------------------------------------------


def chrf(rendering: str, reference: str) -> float:
    """chrF (0-100) of a rendering against the reference translation (sacrebleu)."""
    try:
        from sacrebleu.metrics import CHRF
    except ImportError as error:
        raise RuntimeError("chrF needs sacrebleu: pip install 'sacrebleu>=2.4,<3'") from error
    return round(float(CHRF().sentence_score(rendering, [reference]).score), 2)


# --- one triple, a whole run ------------------------------------------------------------


def score_rendering(source: str, rendering: str, reference: str) -> dict[str, Any]:
    """All checks of one (source, rendering, reference) triple as JSON values."""
    if not rendering.strip():
        raise ValueError("the rendering is empty")
    missing = missing_names(source, reference, rendering)
    return {
        "negation_ok": negation_agrees(source, rendering),
        "numbers_ok": numbers_agree(source, rendering),
        "source_numbers": sorted(numbers(source, "de")),
        "rendering_numbers": sorted(numbers(rendering, "en")),
        "names_ok": not missing,
        "missing_names": missing,
        "chrf": chrf(rendering, reference),
    }


def _failed(record: Mapping[str, Any]) -> bool:
    checks = record.get("checks") or {}
    return bool(checks) and not all(checks[k] for k in ("negation_ok", "numbers_ok", "names_ok"))


def summarize(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts over scored records; every "shown_*" failure count must be 0."""
    shown = [r for r in records if r["shown"]]
    scores = [r["checks"]["chrf"] for r in shown]
    return {
        "sentences": len(records),
        "shown": len(shown),
        "shown_rate": round(len(shown) / len(records), 4) if records else None,
        "shown_flipped_negation": sum(not r["checks"]["negation_ok"] for r in shown),
        "shown_changed_number": sum(not r["checks"]["numbers_ok"] for r in shown),
        "shown_wrong_name": sum(not r["checks"]["names_ok"] for r in shown),
        "mean_chrf_shown": round(sum(scores) / len(scores), 2) if scores else None,
        "hidden_flagged": sum(not r["shown"] and _failed(r) for r in records),
        "errors": sum(bool(r.get("error")) for r in records),
        "not_shown": [r["id"] for r in records if not r["shown"]],
    }


def render_one(renderer: Any, sentence: Sentence) -> dict[str, Any]:
    """Ask the renderer for one sentence and score what comes back.

    `renderer.render(text, "de", "en")` returns a Rendering (language, text, checked,
    problems). An exception is recorded on the sentence, which then counts as not shown.
    """
    record: dict[str, Any] = {
        "id": sentence.id,
        "source": sentence.source,
        "reference": sentence.reference,
        "rendering": None,
        "shown": False,
        "checks": None,
        "error": None,
    }
    try:
        rendering = renderer.render(sentence.source, "de", "en")
    except Exception as exc:  # recorded and counted, see the docstring
        record["error"] = f"{type(exc).__name__}: {exc}"
        return record
    if rendering is None:
        return record
    text = str(rendering.text)
    record["rendering"] = {
        "language": rendering.language,
        "text": text,
        "checked": bool(rendering.checked),
        "problems": list(rendering.problems),
    }
    if text.strip():
        record["checks"] = score_rendering(sentence.source, text, sentence.reference)
        record["shown"] = bool(rendering.checked)
    return record


def evaluate(renderer: Any, sentences: Sequence[Sentence]) -> list[dict[str, Any]]:
    """One scored record per sentence, in set order."""
    return [render_one(renderer, sentence) for sentence in sentences]


def _is_german(text: str) -> bool:
    try:
        return detect_language(text) == "de"
    except ValueError:  # no letters ("19."): nothing to render
        return False


def article_coverage(
    renderer: Any, stored: Sequence[str], sentences: Sequence[Sentence]
) -> dict[str, Any]:
    """Summary fields for the article as readers are shown it: how many of its stored
    German sentences (the units an answer cites) have a shown rendering, which do not,
    and which set items are not one stored sentence (the set's split differs: their
    renderings are not the ones readers see, and a stored sentence's is not scored)."""
    german = [text for text in dict.fromkeys(stored) if _is_german(text)]
    hidden = []
    for text in german:
        try:
            rendering = renderer.render(text, "de", "en")
        except Exception:  # counted as not shown, as in the set
            rendering = None
        if rendering is None or not rendering.checked or not str(rendering.text).strip():
            hidden.append(text)
    units = set(german)
    return {
        "article_sentences": len(german),
        "article_shown": len(german) - len(hidden),
        "article_shown_rate": round(1 - len(hidden) / len(german), 4) if german else None,
        "article_not_shown": hidden,
        "set_not_stored": [s.id for s in sentences if s.source not in units] if units else [],
    }


def write(
    out: Path | str, records: Sequence[Mapping[str, Any]], summary: Mapping[str, Any]
) -> None:
    """Write DIR/translations.jsonl and DIR/summary.json."""
    from eval.runfiles import write_run

    write_run(out, records, summary, results=RESULTS)


def table(records: Sequence[Mapping[str, Any]], summary: Mapping[str, Any]) -> str:
    """A short plain-text table: one row per sentence, then the summary."""

    def mark(record: Mapping[str, Any], key: str) -> str:
        checks = record.get("checks")
        return "-" if not checks else ("ok" if checks[key] else "FAIL")

    lines = [f"{'id':<6} {'shown':<5} {'neg':<4} {'num':<4} {'names':<5} {'chrF':>6}"]
    for r in records:
        score = f"{r['checks']['chrf']:6.1f}" if r.get("checks") else f"{'-':>6}"
        lines.append(
            f"{r['id']:<6} {'yes' if r['shown'] else 'no':<5} "
            f"{mark(r, 'negation_ok'):<4} {mark(r, 'numbers_ok'):<4} "
            f"{mark(r, 'names_ok'):<5} {score}"
        )
    lines.append(
        f"shown {summary['shown']}/{summary['sentences']}; shown with flipped "
        f"negation {summary['shown_flipped_negation']}, changed number "
        f"{summary['shown_changed_number']}, wrong name {summary['shown_wrong_name']}"
        f"; mean chrF of shown {summary['mean_chrf_shown']}"
    )
    if summary["not_shown"]:
        lines.append("not shown: " + ", ".join(summary["not_shown"]))
    if summary.get("article_sentences"):
        lines.append(
            f"the article as stored: {summary['article_shown']} of "
            f"{summary['article_sentences']} German sentences have a shown rendering"
        )
        lines += [f"  not shown: {text[:90]}" for text in summary["article_not_shown"]]
        if summary["set_not_stored"]:
            lines.append(
                "set items that are not one stored sentence: "
                + ", ".join(summary["set_not_stored"])
            )
    return "\n".join(lines) + "\n"


def shown_failures(summary: Mapping[str, Any]) -> int:
    """Shown renderings that flipped a negation, changed a number or lost a name."""
    return (
        summary["shown_flipped_negation"]
        + summary["shown_changed_number"]
        + summary["shown_wrong_name"]
    )


def build_renderer() -> tuple[Any, list[str]]:
    """The product's renderer, built from settings exactly as the app builds it, and the
    text of every sentence in its store (empty before `ingest`)."""
    from index.settings import load_settings
    from index.wiring import build

    components = build(load_settings())
    return components.renderer, components.store.sentence_texts()


def run(
    set_path: Path | str,
    out: Path | str,
    renderer: Any = None,
    documents: Mapping[str, str] | None = None,
    stored: Sequence[str] = (),
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """`eval translations`: load and check the set, render every sentence, score, write.
    With no renderer given, the product's is built and the article's stored sentences
    are measured too (`article_coverage`); `stored` gives them with a given renderer."""
    sentences = load_set(set_path)
    if documents is not None:
        check_sources(sentences, documents, str(set_path))
    if renderer is None:
        renderer, stored = build_renderer()
    records = evaluate(renderer, sentences)
    summary = summarize(records)
    if stored:
        summary.update(article_coverage(renderer, stored, sentences))
    write(out, records, summary)
    return records, summary
