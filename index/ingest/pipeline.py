"""corpus -> chunks -> embeddings -> store, idempotent.

Chunk ids are deterministic, so an unchanged article is recognised and skipped (no
embedding, no write); a changed article has its chunks replaced; an article that left
the corpus is deleted from the store (and from the lexical index, when one is given).

Embedding is the cost of ingest, so texts are embedded in groups of articles (full
batches even for short articles), chunk and sentence texts in one call (the model sorts
them by length, so short sentences are not padded to a chunk's length), and a text is
embedded once however often it occurs (a one-sentence chunk without heading is its
sentence; boilerplate repeats across articles).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.ingest.chunking import CHUNKER_VERSION, SentenceSplitter, TokenCounter, chunk_article
from index.ingest.corpus import read_corpus
from index.retrieve.lexical import LexicalEntry, LexicalIndex
from index.store import ChromaStore
from index.text.clauses import clauses
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
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.removed)} removed",
            f"{len(self.unchanged)} unchanged",
            f"{self.chunks_written} chunks written",
        ]
        text = "ingest: " + ", ".join(parts)
        if self.problems:
            text += f"; {len(self.problems)} file(s) skipped"
        return text


def content_hash(article: Article, chunk_tokens: int) -> str:
    """Changes whenever the article text, its recorded title or author, or the chunking
    would change."""
    author = article.metadata.get("author", "")
    # an article without an author keeps the key it had before authors were recorded
    named = f"{author}|" if author else ""
    key = (
        f"{CHUNKER_VERSION}|{chunk_tokens}|{article.language}|{article.title}|{named}{article.text}"
    )
    return hashlib.sha256(key.encode()).hexdigest()


class Ingestor:
    """Brings a store in line with a set of articles."""

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        splitter: Callable[[str], SentenceSplitter],
        count_tokens: TokenCounter,
        chunk_tokens: int,
        lexical: LexicalIndex | None = None,
        group_texts: int = 256,
        keep_clauses: bool = False,
    ) -> None:
        if chunk_tokens <= 0:
            raise ValueError(f"chunk_tokens must be greater than 0; got {chunk_tokens}")
        if group_texts <= 0:
            raise ValueError(f"group_texts must be greater than 0; got {group_texts}")
        self.store = store
        self.embedder = embedder
        self.splitter = splitter  # article language ("de", "en") -> its sentence splitter
        self.count_tokens = count_tokens
        self.chunk_tokens = chunk_tokens
        self.lexical = lexical
        self.group_texts = group_texts  # texts embedded per call, across articles
        # also embed long sentences' clauses and keep them (index.answer.clauses)
        self.keep_clauses = keep_clauses

    def chunks(self, article: Article) -> list[Chunk]:
        """The chunks this ingestor makes of an article."""
        splitter = self.splitter(article.language)
        return chunk_article(article, splitter, self.count_tokens, self.chunk_tokens)

    def sync(
        self,
        articles: Sequence[Article],
        remove_missing: bool = True,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Add new, replace changed and (optionally) delete vanished articles."""
        report = IngestReport()
        stored_hashes = self.store.document_hashes()
        # chunk ids by article (a paged read of every chunk's metadata) only when a whole
        # corpus is synced; adding one article must not cost a pass over a large store
        stored_ids = self.store.ids_by_doc() if remove_missing else {}
        todo: list[tuple[Article, str]] = []
        for article in articles:
            digest = content_hash(article, self.chunk_tokens)
            indexed = article.doc_id in stored_ids or not remove_missing
            if stored_hashes.get(article.doc_id) == digest and indexed:
                report.unchanged.append(article.doc_id)
            else:
                todo.append((article, digest))
        done = 0
        for group in self._groups(todo):
            if progress:
                progress(
                    done / max(len(todo), 1),
                    f"embedding {group[0][0].doc_id}"
                    + (f" and {len(group) - 1} more" if len(group) > 1 else ""),
                )
            written_counts = self._write_group(group)
            for (article, _), written in zip(group, written_counts, strict=True):
                known = article.doc_id in stored_hashes or article.doc_id in stored_ids
                if written == 0:  # reported as what it is, never as "added" run after run
                    report.problems.append(
                        f"{Path(article.path).name}: no passages could "
                        "be made from this text; not indexed"
                    )
                    continue
                report.chunks_written += written
                (report.updated if known else report.added).append(article.doc_id)
            done += len(group)
        if remove_missing:
            wanted = {article.doc_id for article in articles}
            for doc_id in sorted((set(stored_ids) | set(stored_hashes)) - wanted):
                self.delete(doc_id)
                report.removed.append(doc_id)
        if progress:
            progress(1.0, report.summary())
        return report

    def delete(self, doc_id: str) -> None:
        """Remove an article from the store and the lexical index."""
        self.store.delete_doc(doc_id)
        if self.lexical is not None:
            self.lexical.delete(doc_id)

    def _groups(self, todo: Sequence[tuple[Article, str]]) -> list[list[tuple[Article, str]]]:
        """Consecutive articles, about `group_texts` texts to embed per group."""
        groups: list[list[tuple[Article, str]]] = []
        size = self.group_texts
        for item in todo:
            texts = max(1, len(item[0].text) // 150)  # about one sentence per 150 characters
            if not groups or size + texts > self.group_texts:
                groups.append([])
                size = 0
            groups[-1].append(item)
            size += texts
        return groups

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Document vectors for the texts, each distinct text embedded once, in one call."""
        unique = list(dict.fromkeys(texts))
        if not unique:
            return []
        vectors = self.embedder.get_text_embedding_batch(unique, show_progress=False)
        by_text = dict(zip(unique, vectors, strict=True))
        return [by_text[text] for text in texts]

    def _write_group(self, group: Sequence[tuple[Article, str]]) -> list[int]:
        chunked = [self.chunks(article) for article, _ in group]
        texts: list[str] = []
        for chunks in chunked:
            texts.extend(chunk.embedding_text() for chunk in chunks)
            texts.extend(sentence.text for chunk in chunks for sentence in chunk.sentences)
        # long sentences' clauses, embedded in the same call and kept for the evidence step
        found: list[str] = []
        if self.keep_clauses:
            found = list(
                dict.fromkeys(
                    clause
                    for chunks in chunked
                    for chunk in chunks
                    for sentence in chunk.sentences
                    for clause in clauses(sentence.text)
                )
            )
        vectors = self.embed_documents(texts + found)
        if found:
            self.store.save_clause_vectors(dict(zip(found, vectors[len(texts) :], strict=True)))
        written = []
        position = 0
        for (article, digest), chunks in zip(group, chunked, strict=True):
            sentences = sum(len(chunk.sentences) for chunk in chunks)
            chunk_vectors = vectors[position : position + len(chunks)]
            sentence_vectors = vectors[position + len(chunks) : position + len(chunks) + sentences]
            position += len(chunks) + sentences
            written.append(self._store(article, digest, chunks, chunk_vectors, sentence_vectors))
        return written

    def _store(
        self,
        article: Article,
        digest: str,
        chunks: Sequence[Chunk],
        chunk_vectors: Sequence[Sequence[float]],
        sentence_vectors: Sequence[Sequence[float]],
    ) -> int:
        # always: an interrupted earlier write may have left chunks without a document record
        self.delete(article.doc_id)
        if chunks:
            self.store.add(
                chunks,
                chunk_vectors,
                sentence_vectors,
                source=article.text,
                title=article.title,
                content_hash=digest,
                author=article.metadata.get("author", ""),
            )
        if self.lexical is not None and chunks:
            self.lexical.replace(
                article.doc_id,
                digest,
                [
                    LexicalEntry(chunk.chunk_id, chunk.language, f"{chunk.section} {chunk.text}")
                    for chunk in chunks
                ],
            )
        elif self.lexical is not None:
            self.lexical.delete(article.doc_id)
        return len(chunks)

    def rebuild(self, folder: Path, progress: ProgressCallback | None = None) -> IngestReport:
        """Index a folder from nothing into a new generation, then swap it in.

        Readers keep the old index until the one-write swap; a run killed half-way
        leaves it as it was (its partial generation is dropped by the next rebuild).
        """
        fresh = self.store.begin_rebuild()
        builder = Ingestor(
            fresh,
            self.embedder,
            self.splitter,
            self.count_tokens,
            self.chunk_tokens,
            self.lexical,
            self.group_texts,
        )
        report = builder.ingest_folder(folder, progress)
        self.store.activate(fresh)
        return report

    def ingest_folder(self, folder: Path, progress: ProgressCallback | None = None) -> IngestReport:
        """Sync the store with every readable article of a folder."""
        articles, problems = read_corpus(folder)
        report = self.sync(articles, remove_missing=True, progress=progress)
        report.problems.extend(problems)
        return report
