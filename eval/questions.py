"""Question sets: reading, validating and checking them against the article.

A question set is JSONL, one object a line (blank lines are allowed):

    {"id": "q01", "lang": "en", "answerable": true,
     "question": "How many Russian soldiers could the joint unit have?",
     "facts": [["9000", "9.000", "9,000"]],
     "evidence": ["Die Kampftruppe könnten bis zu 9000 russische Soldaten angehören."]}

Instead of "question" an item may have "turns": a conversation whose last turn is the
scored question. An answerable item may add "facts_reader": groups like "facts" whose
alternatives are all in the item's language (what a reader of that language must find).
Unanswerable items have "answerable": false and no facts, facts_reader or evidence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LANGUAGES = ("de", "en")
_KEYS = frozenset(
    {"id", "lang", "answerable", "question", "turns", "facts", "facts_reader", "evidence"}
)


class QuestionSetError(ValueError):
    """A question set is malformed; the message names the file, the line and the problem."""


@dataclass(frozen=True)
class Item:
    """One evaluation item. `turns[-1]` is the scored question."""

    id: str
    lang: str
    answerable: bool
    turns: tuple[str, ...]
    facts: tuple[tuple[str, ...], ...] = ()
    evidence: tuple[str, ...] = ()
    line: int = 0
    facts_reader: tuple[tuple[str, ...], ...] = ()

    @property
    def question(self) -> str:
        """The scored question (the last turn)."""
        return self.turns[-1]

    @property
    def history(self) -> tuple[str, ...]:
        """The user turns before the scored one."""
        return self.turns[:-1]

    def to_json(self) -> dict[str, Any]:
        """The item in the file schema."""
        data: dict[str, Any] = {"id": self.id, "lang": self.lang, "answerable": self.answerable}
        if len(self.turns) == 1:
            data["question"] = self.turns[0]
        else:
            data["turns"] = list(self.turns)
        if self.answerable:
            data["facts"] = [list(group) for group in self.facts]
            if self.facts_reader:
                data["facts_reader"] = [list(group) for group in self.facts_reader]
            data["evidence"] = list(self.evidence)
        return data


def _strings(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{what} must be a non-empty list of strings")
    if not all(isinstance(text, str) and text.strip() for text in value):
        raise ValueError(f"{what} must hold non-empty strings only; got {value!r}")
    return tuple(value)


def parse_item(data: object, line: int = 0) -> Item:
    """One item from its JSON object; ValueError naming the bad field."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}")
    item_id = data.get("id")
    if not isinstance(item_id, str) or not item_id.strip():
        raise ValueError(f"id must be a non-empty string; got {item_id!r}")
    lang = data.get("lang")
    if lang not in LANGUAGES:
        raise ValueError(f"{item_id}: lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    answerable = data.get("answerable")
    if not isinstance(answerable, bool):
        raise ValueError(f"{item_id}: answerable must be true or false; got {answerable!r}")
    if ("question" in data) == ("turns" in data):
        raise ValueError(f"{item_id}: give exactly one of 'question' or 'turns'")
    if "question" in data:
        turns = _strings([data["question"]], f"{item_id}: question")
    else:
        turns = _strings(data["turns"], f"{item_id}: turns")
    if not answerable:
        if data.get("facts") or data.get("evidence") or data.get("facts_reader"):
            raise ValueError(f"{item_id}: an unanswerable item has no facts or evidence")
        return Item(item_id, lang, False, turns, line=line)
    facts = data.get("facts")
    if not isinstance(facts, list) or not facts:
        raise ValueError(f"{item_id}: facts must be a non-empty list of lists of alternatives")
    groups = tuple(_strings(group, f"{item_id}: each facts group") for group in facts)
    evidence = _strings(data.get("evidence"), f"{item_id}: evidence")
    reader: tuple[tuple[str, ...], ...] = ()
    if "facts_reader" in data:
        given = data["facts_reader"]
        if not isinstance(given, list) or not given:
            raise ValueError(
                f"{item_id}: facts_reader must be a non-empty list of lists of "
                "alternatives in the item's language"
            )
        reader = tuple(_strings(group, f"{item_id}: each facts_reader group") for group in given)
    return Item(item_id, lang, True, turns, groups, evidence, line, reader)


def parse_lines(lines: Iterable[str], source: str = "<questions>") -> list[Item]:
    """Items from JSONL lines; QuestionSetError naming `source` and the line number."""
    items: list[Item] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise QuestionSetError(f"{source}:{number}: not valid JSON ({error.msg})") from None
        try:
            item = parse_item(data, number)
        except ValueError as error:
            raise QuestionSetError(f"{source}:{number}: {error}") from None
        if item.id in seen:
            raise QuestionSetError(
                f"{source}:{number}: id {item.id!r} is already used on line {seen[item.id]}"
            )
        seen[item.id] = number
        items.append(item)
    if not items:
        raise QuestionSetError(f"{source}: the question set is empty")
    return items


def load_questions(path: Path | str) -> list[Item]:
    """Read and validate a question set file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QuestionSetError(f"{path}: cannot read the question set ({error.strerror})") from None
    except UnicodeDecodeError:
        raise QuestionSetError(f"{path}: not UTF-8 text") from None
    return parse_lines(text.splitlines(), str(path))


def evidence_problems(items: Sequence[Item], documents: Mapping[str, str]) -> list[str]:
    """One message per evidence string that occurs in none of the documents."""
    problems = []
    for item in items:
        for text in item.evidence:
            if not any(text in source for source in documents.values()):
                where = f"line {item.line}, " if item.line else ""
                problems.append(
                    f"{where}{item.id}: evidence not found in the article: {text[:80]!r}"
                )
    return problems


def check_evidence(
    items: Sequence[Item], documents: Mapping[str, str], source: str = "<questions>"
) -> None:
    """Raise QuestionSetError listing every evidence string that is not in the documents."""
    if not documents:
        raise QuestionSetError(f"{source}: no documents to check the evidence against")
    problems = evidence_problems(items, documents)
    if problems:
        raise QuestionSetError(f"{source}: " + "; ".join(problems))


CorpusReader = Callable[[Path], tuple[Sequence[Any], Sequence[str]]]
"""Reads a corpus folder into (articles with doc_id and text, skipped-file messages)."""


def product_corpus_reader() -> CorpusReader:
    """The product's corpus reader, so offsets and texts are exactly what the index stores."""
    from index.ingest.corpus import read_corpus

    return read_corpus


def read_documents(folder: Path | str, reader: CorpusReader | None = None) -> dict[str, str]:
    """{doc_id: article text} of a corpus folder, read the way the index reads it."""
    articles, _ = (reader or product_corpus_reader())(Path(folder))
    return {article.doc_id: article.text for article in articles}
