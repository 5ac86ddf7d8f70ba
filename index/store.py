"""The Chroma store: embedded PersistentClient by default, a Chroma server when configured.

Three collections per store name: `<name>-chunks` (retrievable passages),
`<name>-sentences` (every sentence, for sentence-level evidence) and `<name>-documents`
(each article's full text, so offsets can be shown and checked by any process that
talks to the store, without the corpus folder). Writes go through
llama-index's ChromaVectorStore; results leave this module as our own small values.
Chroma never embeds by itself here: every write and query brings its vectors.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from index.types import BlockKind, Chunk, Sentence


class StoreError(RuntimeError):
    """The store cannot be reached or does not fit the settings; the message says why."""


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _guarded(method: _Method) -> _Method:
    """Turn any Chroma failure (a server that died, a locked folder) into a StoreError."""

    @functools.wraps(method)
    def wrapper(self: ChromaStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as error:
            raise StoreError(
                f"the Chroma store failed while running {method.__name__} "
                f"({type(error).__name__}: {str(error)[:200]}). {self.where}"
            ) from None

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the store (no sentence list, no vector)."""

    chunk_id: str
    doc_id: str
    section: str
    kind: BlockKind
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Hit:
    """One nearest-neighbour result: an id, its metadata and cosine similarity."""

    item_id: str
    metadata: dict[str, Any]
    text: str
    similarity: float


def open_client(path: Path | None = None, host: str = "", port: int = 8000) -> Any:
    """A Chroma client: an HttpClient when `host` is set, else a PersistentClient at `path`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if host:
        try:
            client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
            client.heartbeat()
        except Exception as error:  # chromadb raises several unrelated types here
            raise StoreError(
                f"no Chroma server answers at {host}:{port} ({type(error).__name__}). "
                f"Start one with: chroma run --path var/chroma --host {host} --port {port}, "
                "or unset NEWSRAG_CHROMA_HOST to use the embedded store."
            ) from None
        return client
    if path is None:
        raise StoreError("no Chroma path and no Chroma host configured")
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as error:
        raise StoreError(f"cannot open the Chroma store at {path}: {error}") from None


def open_ephemeral_client() -> Any:
    """An in-memory Chroma client (tests, throw-away runs)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))


class ChromaStore:
    """Chunks and sentences of all articles, with their vectors, in two collections."""

    def __init__(self, client: Any, name: str, embed_model_id: str, where: str = "") -> None:
        self.where = where or "Check the Chroma folder or server."
        self.client = client
        self.name = name
        self.embed_model_id = embed_model_id
        metadata = {"hnsw:space": "cosine", "embed_model": embed_model_id}
        try:
            self.chunks = client.get_or_create_collection(
                f"{name}-chunks", metadata=metadata, embedding_function=None)
            self.sentences = client.get_or_create_collection(
                f"{name}-sentences", metadata=metadata, embedding_function=None)
            self.documents_collection = client.get_or_create_collection(
                f"{name}-documents", metadata=metadata, embedding_function=None)
        except Exception as error:
            raise StoreError(f"cannot open collection {name!r}: {error}") from None
        stored = (self.chunks.metadata or {}).get("embed_model")
        if stored and stored != embed_model_id:
            raise StoreError(
                f"collection {name!r} was built with embedding model {stored!r}, but the "
                f"settings name {embed_model_id!r}. Run `python app.py ingest --rebuild`, "
                "or set NEWSRAG_COLLECTION to another name."
            )
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self._chunk_vectors = ChromaVectorStore(chroma_collection=self.chunks)
        self._sentence_vectors = ChromaVectorStore(chroma_collection=self.sentences)

    # ---- reading -------------------------------------------------------------------
    @_guarded
    def count(self) -> int:
        """How many chunks the store holds."""
        return int(self.chunks.count())

    @_guarded
    def ids_by_doc(self) -> dict[str, set[str]]:
        """Chunk ids grouped by document id."""
        got = self.chunks.get(include=["metadatas"])
        result: dict[str, set[str]] = {}
        for item_id, metadata in zip(got["ids"], got["metadatas"] or [], strict=True):
            result.setdefault(str(metadata["doc_id"]), set()).add(item_id)
        return result

    @_guarded
    def all_chunks(self) -> list[StoredChunk]:
        """Every chunk, ordered by document and position."""
        got = self.chunks.get(include=["metadatas", "documents"])
        result = [_stored_chunk(item_id, metadata, text) for item_id, metadata, text
                  in zip(got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True)]
        return sorted(result, key=lambda chunk: (chunk.doc_id, chunk.start))

    @_guarded
    def documents(self) -> dict[str, str]:
        """The full text of every stored article, by document id."""
        got = self.documents_collection.get(include=["documents"])
        return dict(zip(got["ids"], got["documents"] or [], strict=True))

    @_guarded
    def titles(self) -> dict[str, str]:
        """The title recorded for every stored article, by document id."""
        got = self.documents_collection.get(include=["metadatas"])
        return {item_id: str((meta or {}).get("title", "") or item_id)
                for item_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True)}

    @_guarded
    def document_hashes(self) -> dict[str, str]:
        """The content hash recorded for every stored article, by document id."""
        got = self.documents_collection.get(include=["metadatas"])
        return {item_id: str((meta or {}).get("hash", ""))
                for item_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True)}

    @_guarded
    def get_chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """The chunks with these ids, in the order asked; StoreError if one is missing."""
        if not chunk_ids:
            return []
        got = self.chunks.get(ids=list(chunk_ids), include=["metadatas", "documents"])
        found = {item_id: _stored_chunk(item_id, metadata, text) for item_id, metadata, text
                 in zip(got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True)}
        missing = [item_id for item_id in chunk_ids if item_id not in found]
        if missing:
            raise StoreError(f"chunks vanished from the store while reading: {missing[:3]}")
        return [found[item_id] for item_id in chunk_ids]

    @_guarded
    def similarities(self, vector: Sequence[float], chunk_ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of a (normalised) query vector to the given chunks."""
        if not chunk_ids:
            return {}
        got = self.chunks.get(ids=list(chunk_ids), include=["embeddings"])
        result = {}
        for item_id, embedding in zip(got["ids"], got["embeddings"], strict=True):
            dot = sum(a * b for a, b in zip(vector, embedding, strict=True))
            norm = sum(b * b for b in embedding) ** 0.5 or 1.0
            result[item_id] = float(dot / norm)
        return result

    @_guarded
    def sentences_of(self, chunk_ids: Sequence[str]) -> list[tuple[Sentence, str, list[float]]]:
        """(sentence, chunk id, vector) for every sentence of the given chunks."""
        if not chunk_ids:
            return []
        got = self.sentences.get(where={"chunk_id": {"$in": list(chunk_ids)}},
                                 include=["metadatas", "embeddings", "documents"])
        result = []
        for metadata, embedding, text in zip(got["metadatas"] or [], got["embeddings"],
                                             got["documents"] or [], strict=True):
            sentence = Sentence(doc_id=str(metadata["doc_id"]), start=int(metadata["start"]),
                                end=int(metadata["end"]), text=str(text))
            result.append((sentence, str(metadata["chunk_id"]), [float(x) for x in embedding]))
        return sorted(result, key=lambda item: (item[0].doc_id, item[0].start))

    @_guarded
    def query_chunks(self, vector: Sequence[float], k: int) -> list[Hit]:
        """The k chunks nearest to a query vector."""
        return self._query(self._chunk_vectors, vector, k, None)

    @staticmethod
    def _query(vectors: Any, vector: Sequence[float], k: int, filters: Any) -> list[Hit]:
        from llama_index.core.vector_stores.types import VectorStoreQuery

        if k <= 0:
            return []
        result = vectors.query(VectorStoreQuery(query_embedding=list(vector),
                                                similarity_top_k=k, filters=filters))
        hits = []
        for node, similarity in zip(result.nodes or [], result.similarities or [], strict=True):
            hits.append(Hit(item_id=node.node_id, metadata=dict(node.metadata),
                            text=node.get_content(), similarity=float(similarity)))
        return hits

    # ---- writing -------------------------------------------------------------------
    @_guarded
    def add(self, chunks: Sequence[Chunk], chunk_vectors: Sequence[Sequence[float]],
            sentence_vectors: Sequence[Sequence[float]], source: str, title: str,
            content_hash: str) -> None:
        """Add the chunks of one document, their sentences, and the document's text."""
        from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode

        if not chunks:
            return
        doc_id = chunks[0].doc_id
        # llama-index writes the source node's id as metadata "doc_id"; make it ours.
        source_link = {NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc_id)}
        nodes: list[BaseNode] = [
            TextNode(id_=chunk.chunk_id, text=chunk.text, embedding=list(vector),
                     metadata=_chunk_metadata(chunk), relationships=source_link)
            for chunk, vector in zip(chunks, chunk_vectors, strict=True)]
        sentences: list[tuple[Chunk, Sentence]] = [
            (chunk, sentence) for chunk in chunks for sentence in chunk.sentences]
        sentence_nodes: list[BaseNode] = [
            TextNode(id_=f"{chunk.chunk_id}#{index}", text=sentence.text, embedding=list(vector),
                     metadata={"doc_id": doc_id, "chunk_id": chunk.chunk_id,
                               "section": chunk.section, "kind": "sentence",
                               "start": sentence.start, "end": sentence.end},
                     relationships=source_link)
            for index, ((chunk, sentence), vector)
            in enumerate(zip(sentences, sentence_vectors, strict=True))]
        self._chunk_vectors.add(nodes)
        self._sentence_vectors.add(sentence_nodes)
        # The documents collection is never searched; its vector is a placeholder.
        placeholder = [1.0] + [0.0] * (len(chunk_vectors[0]) - 1)
        self.documents_collection.upsert(
            ids=[doc_id], documents=[source], embeddings=[placeholder],
            metadatas=[{"doc_id": doc_id, "title": title, "hash": content_hash}])

    @_guarded
    def delete_doc(self, doc_id: str) -> None:
        """Remove every chunk and sentence of a document."""
        self.chunks.delete(where={"doc_id": doc_id})
        self.sentences.delete(where={"doc_id": doc_id})
        self.documents_collection.delete(ids=[doc_id])

    @_guarded
    def reset(self) -> None:
        """Drop both collections (a rebuild starts from nothing)."""
        for collection in (self.chunks, self.sentences, self.documents_collection):
            self.client.delete_collection(collection.name)


def _chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return {"doc_id": chunk.doc_id, "section": chunk.section, "kind": chunk.kind,
            "start": chunk.start, "end": chunk.end,
            "sentences": json.dumps([[s.start, s.end] for s in chunk.sentences])}


def _stored_chunk(item_id: str, metadata: dict[str, Any], text: str | None) -> StoredChunk:
    return StoredChunk(chunk_id=item_id, doc_id=str(metadata["doc_id"]),
                       section=str(metadata.get("section", "")), kind=metadata["kind"],
                       start=int(metadata["start"]), end=int(metadata["end"]),
                       text=str(text or ""))
