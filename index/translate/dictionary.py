"""The Ding German-English dictionary (Debian's trans-de-en, GPL-2+) as a lookup table.

Why by hand: no maintained Python package reads the Ding format. A line holds German
segments and English segments separated by " :: "; segments are aligned by " | " and
hold synonyms separated by "; " ("Finte {f} | Finten {pl} :: feint | feints"). We index
every German form with the first English alternative of its aligned segment, once, in
a SQLite file beside the cache, so a lookup costs a query and no process holds 25 MB of
text in memory. A form's frequency in the dictionary (how many lines mention it) is a
proxy for how common the word is: rare words are the ones a small LLM mistranslates.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from index.errors import ModelError
from index.translate.termbase import Termbase

SCHEMA_VERSION = "3"
_ANNOTATION = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|/[^/]*/|<[^>]*>")
_GERMAN_PLACEHOLDERS = re.compile(r"\b(jdn|jdm|jds|etw|sich)\.?\s+|\s+(jdn|jdm|etw)\.?$")
_ENGLISH_PLACEHOLDERS = re.compile(r"\b(sb|sth|sb\.'s|one's|oneself)\b\.?")
_SPACE = re.compile(r"\s+")
_ENDINGS = ("es", "en", "ern", "em", "er", "s", "n", "e")
# A superlative's endings ("schädlichsten" -> "schädlich"), tried last: a base of five
# letters or more, so a noun that merely ends so ("Kosten", "Westen") is not cut.
_SUPERLATIVE_ENDINGS = ("sten", "ste", "ster", "stes", "stem")


def _german_forms(segment: str) -> list[str]:
    """The German forms of one segment, annotations and placeholders removed."""
    forms = []
    for part in segment.split(";"):
        text = _SPACE.sub(" ", _ANNOTATION.sub(" ", part)).strip()
        text = _GERMAN_PLACEHOLDERS.sub(" ", text).strip()
        if text and len(text.split()) == 1:
            forms.append(text)
    return forms


def _english(part: str) -> str:
    """One English alternative, annotations and placeholders removed."""
    text = _ENGLISH_PLACEHOLDERS.sub(" ", _ANNOTATION.sub(" ", part))
    return _SPACE.sub(" ", text).strip(" .,")


def _english_first(segment: str) -> str:
    """The first English alternative of a segment."""
    return next((text for text in map(_english, segment.split(";")) if text), "")


def _english_all(segment: str) -> list[str]:
    """Every English alternative of a segment of at most three words, lower case."""
    alternatives = (
        _english(part).lower().removeprefix("to ")  # verbs: "to enter"
        for part in segment.split(";")
    )
    return [text for text in alternatives if text and len(text.split()) <= 3]


def _segments(line: str) -> Iterator[tuple[str, str]]:
    """(German segment, English segment) pairs of one dictionary line, as aligned."""
    if line.startswith("#") or " :: " not in line:
        return
    german, english = line.rstrip("\n").split(" :: ", 1)
    yield from zip(german.split(" | "), english.split(" | "), strict=False)


def parse_reverse(line: str) -> Iterator[tuple[str, str]]:
    """(English phrase, German form) pairs of one dictionary line: the English side's view."""
    for left, right in _segments(line):
        forms = _german_forms(left)
        for phrase in _english_all(right):
            for form in forms:
                yield phrase, form


def parse_line(line: str) -> Iterator[tuple[str, str]]:
    """(German form, English translation) pairs of one dictionary line."""
    for left, right in _segments(line):
        translation = _english_first(right)
        if translation:
            for form in _german_forms(left):
                yield form, translation


@dataclass(frozen=True)
class Entry:
    """A German word's English senses, commonest first, and how common the word is."""

    word: str
    senses: tuple[str, ...]
    lines: int  # dictionary lines that mention it: a frequency proxy


def _forms(word: str) -> list[str]:
    """The forms a German word may be listed under, lower case: itself, a zu-infinitive
    without "zu" ("überzubewerten"), an inflected form without its ending ("Treffens",
    "Flugzeugbesatzungen"), a superlative without its ending ("toxischsten")."""
    lowered = word.lower()
    candidates = [lowered]
    match = re.fullmatch(r"(\w+?)zu(\w{4,})", lowered)
    if match:
        candidates.append(match.group(1) + match.group(2))
    candidates += [
        lowered[: -len(ending)]
        for ending in _ENDINGS
        if lowered.endswith(ending) and len(lowered) - len(ending) >= 3
    ]
    candidates += [
        lowered[: -len(ending)]
        for ending in _SUPERLATIVE_ENDINGS
        if lowered.endswith(ending) and len(lowered) - len(ending) >= 5
    ]
    return candidates


class Dictionary:
    """German word -> English translation, from a Ding file indexed into SQLite on first use,
    with the newsroom's termbase (index.translate.termbase) read first."""

    def __init__(self, source: Path, index_path: Path, termbase: Termbase | None = None) -> None:
        self.source = source
        self.index_path = index_path
        self.termbase = termbase or Termbase()
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    @property
    def available(self) -> bool:
        """True when the dictionary file or its index is on disk."""
        return self.source.is_file() or self.index_path.is_file()

    def _connect(self) -> sqlite3.Connection:
        with self._lock:
            if self._connection is None:
                if not self._is_built():
                    self._build()
                self._connection = sqlite3.connect(
                    f"file:{self.index_path}?mode=ro", uri=True, check_same_thread=False
                )
            return self._connection

    def _is_built(self) -> bool:
        if not self.index_path.is_file():
            return False
        try:
            with sqlite3.connect(self.index_path) as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        except sqlite3.Error:
            return False
        return bool(row) and row[0] == SCHEMA_VERSION

    def _build(self) -> None:
        if not self.source.is_file():
            raise ModelError(
                f"the German-English dictionary is missing: {self.source}. Run: "
                "bash scripts/setup.sh (it installs Debian's trans-de-en)"
            )
        senses: dict[tuple[str, str], tuple[int, int]] = {}  # (form, en) -> (count, first)
        mentions: Counter[str] = Counter()
        reverse: Counter[tuple[str, str]] = Counter()  # (en, form) -> lines pairing them
        with self.source.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle):
                reverse.update(set(parse_reverse(line)))
                seen_here = set()
                for form, translation in parse_line(line):
                    key = form.lower()
                    seen_here.add(key)
                    count, first = senses.get((key, translation), (0, number))
                    senses[(key, translation)] = (count + 1, first)
                mentions.update(seen_here)
        self.index_path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.index_path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with sqlite3.connect(partial) as db:
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE words (de TEXT, en TEXT, count INTEGER, first INTEGER)")
            db.execute("CREATE TABLE mentions (de TEXT PRIMARY KEY, lines INTEGER)")
            db.executemany(
                "INSERT INTO words VALUES (?, ?, ?, ?)",
                ((key, en, count, first) for (key, en), (count, first) in senses.items()),
            )
            db.executemany("INSERT INTO mentions VALUES (?, ?)", mentions.items())
            db.execute("CREATE TABLE reverse (en TEXT, de TEXT, count INTEGER)")
            db.executemany(
                "INSERT INTO reverse VALUES (?, ?, ?)",
                ((en, de, count) for (en, de), count in reverse.items()),
            )
            db.execute("CREATE INDEX words_de ON words (de)")
            db.execute("CREATE INDEX reverse_en ON reverse (en)")
            db.execute("INSERT INTO meta VALUES ('version', ?)", (SCHEMA_VERSION,))
        partial.replace(self.index_path)  # readers never see a half-built index

    def knows(self, word: str) -> bool:
        """True when the word, as written (case aside), is a German headword form or an
        English translation in the dictionary ("Interview", "Glasgow"; not "Peskow")."""
        lowered = word.lower()
        if self.termbase.senses(lowered) is not None:
            return True
        found = self._connect().execute("SELECT 1 FROM words WHERE de = ? LIMIT 1", (lowered,))
        return found.fetchone() is not None or self._english(lowered)

    def _english(self, lowered: str) -> bool:
        """True when the (lower-cased) word is an English translation in the dictionary."""
        found = self._connect().execute("SELECT 1 FROM reverse WHERE en = ? LIMIT 1", (lowered,))
        return found.fetchone() is not None

    def german_only(self, word: str) -> bool:
        """True for a German word the dictionary translates into something else that is
        no English word itself ("Sanktionen", "feindlicher"; not "Minsk", "Ukraine",
        "die", "war", nor a name it lacks)."""
        senses = self.senses_of(word)
        if not senses or all(sense.lower() == word.lower() for sense in senses):
            return False
        return not self._english(word.lower())

    def senses_of(self, word: str) -> tuple[str, ...] | None:
        """A German word's commonest English senses; None when the dictionary lacks it."""
        entry = self.lookup(word)
        return entry.senses if entry is not None else None

    def lookup(self, word: str, senses: int = 2) -> Entry | None:
        """The word's commonest English senses and how many lines mention it; None if unknown.

        The termbase's renderings come first, then the dictionary's, ranked by
        how many entries give them (then by position in the file). German zu-infinitives
        are also tried without "zu" ("überzubewerten"), and inflected forms without their
        ending ("Treffens", "Flugzeugbesatzungen").
        """
        curated = self.curated(word)
        db = self._connect()
        for candidate in _forms(word):
            rows = db.execute(
                "SELECT en FROM words WHERE de = ? ORDER BY count DESC, first LIMIT ?",
                (candidate, senses),
            ).fetchall()
            if rows:
                lines = db.execute(
                    "SELECT lines FROM mentions WHERE de = ?", (candidate,)
                ).fetchone()
                found = tuple(dict.fromkeys([*curated, *(str(row[0]) for row in rows)]))
                return Entry(
                    word, found[: max(senses, len(curated))], int(lines[0]) if lines else 0
                )
        return Entry(word, curated, 0) if curated else None

    def curated(self, word: str) -> tuple[str, ...]:
        """The termbase's renderings of a word (any of its forms); () when it has none.
        Read from memory, no dictionary query."""
        return next(
            (found for found in map(self.termbase.senses, _forms(word)) if found is not None), ()
        )

    def german_for(self, phrase: str, limit: int = 4) -> tuple[str, ...]:
        """German words the dictionary gives for an English word or phrase, commonest first.

        Ranked by how many entries pair them, then by how common the German word is;
        English plurals and verb forms are also tried in their base form ("aircrews").
        """
        db = self._connect()
        lowered = phrase.lower().strip()
        found: list[str] = []
        for candidate in dict.fromkeys([lowered, *_english_bases(lowered)]):
            curated = self.termbase.german_for(candidate)
            if curated:
                return curated[:limit]
            rows = db.execute(
                "SELECT r.de FROM reverse r LEFT JOIN mentions m ON m.de = lower(r.de) "
                "WHERE r.en = ? ORDER BY r.count DESC, coalesce(m.lines, 0) DESC LIMIT ?",
                (candidate, limit),
            ).fetchall()
            # an inflected form the file lists has few senses ("unites": "vereinigt");
            # its base form's fill the rest ("unite": "vereinen", "einen"), and the
            # first base form found is the one ("unit" is not tried after "unite")
            found += [str(row[0]) for row in rows if str(row[0]) not in found]
            if len(found) >= limit or (rows and candidate != lowered):
                break
        return tuple(found[:limit])


def _english_bases(word: str) -> list[str]:
    """Base forms an English word may come from: aircrews -> aircrew, denied -> deny."""
    bases = []
    if word.endswith("ies") and len(word) > 4:
        bases.append(word[:-3] + "y")
    if word.endswith("ied") and len(word) > 4:
        bases.append(word[:-3] + "y")
    # the shorter ending first: "unites" is "unite" (not "unit"), "united" too; a form
    # the file lacks ("watche") finds nothing and the next is tried
    for ending in ("s", "es", "d", "ed", "ing"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            bases.append(word[: -len(ending)])
    if word.endswith("ing") and len(word) > 6:
        bases.append(word[:-3] + "e")
    return bases
