"""corpus -> chunks -> embeddings -> store, idempotent.

Chunk ids are deterministic, so an unchanged article is recognised and skipped (no
embedding, no write); a changed article has its chunks replaced; an article that left
the corpus is deleted from the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.ingest.chunking import CHUNKER_VERSION, SentenceSplitter, TokenCounter, chunk_article
from index.ingest.corpus import read_corpus
from index.store import ChromaStore
from index.types import Article, Chunk, Embedder

ProgressCallback = Callable[[float, str], None]


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks_written: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated",
                 f"{len(self.removed)} removed", f"{len(self.unchanged)} unchanged",
                 f"{self.chunks_written} chunks written"]
        text = "ingest: " + ", ".join(parts)
        if self.problems:
            text += f"; {len(self.problems)} file(s) skipped"
        return text


def content_hash(article: Article, chunk_tokens: int) -> str:
    """Changes whenever the article text or the chunking would change."""
    key = f"{CHUNKER_VERSION}|{chunk_tokens}|{article.title}|{article.text}"
    return hashlib.sha256(key.encode()).hexdigest()


class Ingestor:
    """Brings a store in line with a set of articles."""

    def __init__(self, store: ChromaStore, embedder: Embedder,
                 splitter: Callable[[str], SentenceSplitter], count_tokens: TokenCounter,
                 chunk_tokens: int) -> None:
        if chunk_tokens <= 0:
            raise ValueError(f"chunk_tokens must be greater than 0; got {chunk_tokens}")
        self.store = store
        self.embedder = embedder
        self.splitter = splitter  # article language ("de", "en") -> its sentence splitter
        self.count_tokens = count_tokens
        self.chunk_tokens = chunk_tokens

    def chunks(self, article: Article) -> list[Chunk]:
        """The chunks this ingestor makes of an article."""
        splitter = self.splitter(article.language)
        return chunk_article(article, splitter, self.count_tokens, self.chunk_tokens)

    def sync(self, articles: Sequence[Article], remove_missing: bool = True,
             progress: ProgressCallback | None = None) -> IngestReport:
        """Add new, replace changed and (optionally) delete vanished articles."""
        report = IngestReport()
        stored_hashes = self.store.document_hashes()
        stored_ids = self.store.ids_by_doc()
        todo: list[tuple[Article, str]] = []
        for article in articles:
            digest = content_hash(article, self.chunk_tokens)
            if stored_hashes.get(article.doc_id) == digest and article.doc_id in stored_ids:
                report.unchanged.append(article.doc_id)
            else:
                todo.append((article, digest))
        for number, (article, digest) in enumerate(todo):
            if progress:
                progress(number / max(len(todo), 1), f"embedding {article.doc_id}")
            known = article.doc_id in stored_hashes or article.doc_id in stored_ids
            written = self._write(article, digest, replace=known)
            if written == 0:  # reported as what it is, never as "added" run after run
                report.problems.append(f"{Path(article.path).name}: no passages could be "
                                       "made from this text; not indexed")
                continue
            report.chunks_written += written
            (report.updated if known else report.added).append(article.doc_id)
        if remove_missing:
            wanted = {article.doc_id for article in articles}
            for doc_id in sorted((set(stored_ids) | set(stored_hashes)) - wanted):
                self.store.delete_doc(doc_id)
                report.removed.append(doc_id)
        if progress:
            progress(1.0, report.summary())
        return report

    def _write(self, article: Article, digest: str, replace: bool) -> int:
        chunks = self.chunks(article)
        if not chunks:
            if replace:  # its old passages must not answer for a text that has none now
                self.store.delete_doc(article.doc_id)
            return 0
        embed = self.embedder.get_text_embedding_batch
        chunk_vectors = embed([chunk.embedding_text() for chunk in chunks], show_progress=True)
        sentence_texts = [sentence.text for chunk in chunks for sentence in chunk.sentences]
        sentence_vectors = embed(sentence_texts, show_progress=True)
        if replace:
            self.store.delete_doc(article.doc_id)
        self.store.add(chunks, chunk_vectors, sentence_vectors, source=article.text,
                       title=article.title, content_hash=digest)
        return len(chunks)

    def rebuild(self, folder: Path, progress: ProgressCallback | None = None) -> IngestReport:
        """Index a folder from nothing into a new generation, then swap it in.

        Readers keep the old index until the one-write swap; a run killed half-way
        leaves it as it was (its partial generation is dropped by the next rebuild).
        """
        fresh = self.store.begin_rebuild()
        builder = Ingestor(fresh, self.embedder, self.splitter, self.count_tokens,
                           self.chunk_tokens)
        report = builder.ingest_folder(folder, progress)
        self.store.activate(fresh)
        return report

    def ingest_folder(self, folder: Path, progress: ProgressCallback | None = None
                      ) -> IngestReport:
        """Sync the store with every readable article of a folder."""
        articles, problems = read_corpus(folder)
        report = self.sync(articles, remove_missing=True, progress=progress)
        report.problems.extend(problems)
        return report
