"""The lexical index: BM25 in SQLite FTS5, persisted, one table per article language.

Articles are added, replaced and deleted one at a time as the store changes, so no
process ever reads every chunk to build it, and every process (and worker) on a
machine shares one file. Tokens are stemmed by the article's language before they are
written (`index.retrieve.analyzers`); FTS5 only splits them on spaces and ranks them
with its built-in Okapi BM25 (k1 = 1.2, b = 0.75). Statistics (document frequency,
average length) are per language, because a German and an English chunk share few
words and would distort each other's weights.

`sync(store)` catches up with changes another process made through the store: it
compares the content hash of each article (one small record per article) and re-reads
only the chunks of articles that changed.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from index.errors import StoreError
from index.retrieve.analyzers import analyze
from index.types import StoredChunk

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (doc_id TEXT PRIMARY KEY, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL,
    language TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id);
"""


@dataclass(frozen=True)
class LexicalEntry:
    """What the lexical index keeps of one chunk: its id, language and searchable text."""

    chunk_id: str
    language: str
    text: str

    @classmethod
    def of(cls, chunk: StoredChunk) -> LexicalEntry:
        """The entry of a stored chunk: heading and text, in the article's language."""
        return cls(chunk.chunk_id, chunk.language, f"{chunk.section} {chunk.text}")


class ChunkSource(Protocol):
    """The part of a Store that `sync` reads."""

    def document_hashes(self) -> dict[str, str]: ...

    def chunks_of(self, doc_ids: Sequence[str]) -> list[StoredChunk]: ...


def table_language(language: str) -> str:
    """The language code used for a table name: a 2-3 letter code, else "xx"."""
    code = (language or "").lower()
    return code if _LANGUAGE.match(code) else "xx"


def match_expression(terms: Iterable[str]) -> str:
    """An FTS5 query matching any of the terms, each quoted (no FTS5 syntax leaks in)."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in dict.fromkeys(terms) if term]
    return " OR ".join(quoted)


class LexicalIndex:
    """BM25 over every stored chunk, kept in a SQLite file (or in memory when path is None)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        target = ":memory:"
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            target = str(path)
        try:
            self._db = sqlite3.connect(
                target, check_same_thread=False, timeout=30.0, isolation_level=None
            )
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the lexical index at {target}: {error}") from None
        self._lock = threading.Lock()
        self._tables: set[str] = set()

    def _table(self, language: str, create: bool) -> str | None:
        name = f"fts_{table_language(language)}"
        if name in self._tables:
            return name
        exists = self._db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
        if not exists:
            if not create:
                return None
            # Tokens arrive stemmed and space-separated; keep hyphenated compounds whole.
            self._db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5("
                'tokens, tokenize = "unicode61 remove_diacritics 0 '
                "tokenchars '-'\")"
            )
        self._tables.add(name)
        return name

    # ---- writing -------------------------------------------------------------------
    def replace(self, doc_id: str, content_hash: str, entries: Sequence[LexicalEntry]) -> None:
        """Put one article's chunks in place of whatever the index held for it."""
        rows = [(entry, " ".join(analyze(entry.text, entry.language))) for entry in entries]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._delete(doc_id)
                for entry, text in rows:
                    cursor = self._db.execute(
                        "INSERT INTO chunks (chunk_id, doc_id, language) VALUES (?, ?, ?)",
                        (entry.chunk_id, doc_id, table_language(entry.language)),
                    )
                    table = self._table(entry.language, create=True)
                    self._db.execute(
                        f"INSERT INTO {table} (rowid, tokens) VALUES (?, ?)",
                        (cursor.lastrowid, text),
                    )
                self._db.execute(
                    "INSERT INTO docs (doc_id, hash) VALUES (?, ?)", (doc_id, content_hash)
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def delete(self, doc_id: str) -> None:
        """Forget one article."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._delete(doc_id)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _delete(self, doc_id: str) -> None:
        rows = self._db.execute(
            "SELECT id, language FROM chunks WHERE doc_id = ?", (doc_id,)
        ).fetchall()
        for row_id, language in rows:
            table = self._table(language, create=False)
            if table:
                self._db.execute(f"DELETE FROM {table} WHERE rowid = ?", (row_id,))
        self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))

    # ---- reading -------------------------------------------------------------------
    def hashes(self) -> dict[str, str]:
        """The content hash of every article the index holds."""
        with self._lock:
            return dict(self._db.execute("SELECT doc_id, hash FROM docs").fetchall())

    def languages(self) -> list[str]:
        """The article languages the index holds chunks of."""
        with self._lock:
            rows = self._db.execute("SELECT DISTINCT language FROM chunks").fetchall()
        return sorted(str(row[0]) for row in rows)

    def count(self) -> int:
        """How many chunks the index holds."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def search(self, question: str, language: str, n: int) -> dict[str, float]:
        """The n best chunks of articles in `language` for the question, BM25 score (> 0)."""
        if n <= 0:
            raise ValueError(f"n must be greater than 0; got {n}")
        expression = match_expression(analyze(question, language))
        if not expression:
            return {}
        with self._lock:
            table = self._table(language, create=False)
            if table is None:
                return {}
            rows = self._db.execute(
                f"SELECT chunks.chunk_id, -bm25({table}) FROM {table} "
                f"JOIN chunks ON chunks.id = {table}.rowid "
                f"WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
                (expression, n),
            ).fetchall()
        return {chunk_id: float(score) for chunk_id, score in rows if score > 0}

    def sync(self, store: ChunkSource) -> int:
        """Catch up with the store: re-read changed articles, drop removed ones.

        Returns how many articles changed. Reads one hash per article, and chunks only
        of the articles that changed.
        """
        wanted = store.document_hashes()
        held = self.hashes()
        for doc_id in sorted(set(held) - set(wanted)):
            self.delete(doc_id)
        stale = sorted(doc_id for doc_id, digest in wanted.items() if held.get(doc_id) != digest)
        for start in range(0, len(stale), 100):
            batch = stale[start : start + 100]
            by_doc: dict[str, list[LexicalEntry]] = {doc_id: [] for doc_id in batch}
            for chunk in store.chunks_of(batch):
                by_doc[chunk.doc_id].append(LexicalEntry.of(chunk))
            for doc_id in batch:
                self.replace(doc_id, wanted[doc_id], by_doc[doc_id])
        return len(stale) + len(set(held) - set(wanted))

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._db.close()
