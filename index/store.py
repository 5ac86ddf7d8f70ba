"""The Chroma store: embedded PersistentClient by default, a Chroma server when configured.

Collections per store name: `<name>-chunks` (retrievable passages),
`<name>-sentences` (every sentence, for sentence-level evidence), `<name>-documents`
(each article's full text, so offsets can be shown and checked by any process that
talks to the store, without the corpus folder), `<name>-renderings` (checked
translations of sentences, keyed by text, model and prompt version), and two of vectors
keyed by text and embedding model: `<name>-reader-vectors` (the renderings as their
readers read them) and `<name>-clause-vectors` (long sentences' clauses). Bulk reads go in
pages, since one unpaginated `get()` over 100,000 items fails in Chroma. Writes go through
llama-index's ChromaVectorStore; results leave this module as our own small values.
Chroma never embeds by itself here: every write and query brings its vectors.

Generations: a rebuild writes a complete new set of article collections
(`<name>-g<stamp>-chunks`, ...) beside the live one, then flips a pointer stored in Chroma
(`<name>-active`) and deletes the old set. Readers therefore see the old index or the
new one, never an empty or half-built one; a rebuild killed half-way leaves the pointer
untouched, and its orphaned set is deleted by the next rebuild. A store whose
collections vanished under it (another process swapped) follows the pointer and retries.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from index.errors import StoreError
from index.text.vectors import cosine
from index.types import Chunk, Hit, Rendering, Sentence, StoredChunk, StoredSentence

PAGE = 5000  # ids per bulk read; Chroma's SQLite limits the variables of one query


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _guarded(method: _Method) -> _Method:
    """Turn any Chroma failure (a server that died, a locked folder) into a StoreError."""

    @functools.wraps(method)
    def wrapper(self: ChromaStore, *args: Any, **kwargs: Any) -> Any:
        try:
            try:
                return method(self, *args, **kwargs)
            except StoreError:
                raise
            except Exception:
                # Another process may have swapped in a rebuilt index and deleted ours.
                if not self.follow_pointer():
                    raise
                return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as error:
            raise StoreError(
                f"the Chroma store failed while running {method.__name__} "
                f"({type(error).__name__}: {str(error)[:200]}). {self.where}"
            ) from None

    return wrapper  # type: ignore[return-value]


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
        raise StoreError(
            f"cannot open the Chroma store at {path}: {error}. If the folder is "
            "damaged, move it away and run `python app.py ingest` to build the "
            "index again (or point NEWSRAG_CHROMA_PATH elsewhere)."
        ) from None


def open_ephemeral_client() -> Any:
    """An in-memory Chroma client (tests, throw-away runs)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))


def _mark_key(name: str) -> str:
    """The metadata key of an article mark."""
    return f"mark_{name}"


class ChromaStore:
    """Chunks and sentences of all articles, with their vectors, in two collections."""

    def __init__(
        self,
        client: Any,
        name: str,
        embed_model_id: str,
        where: str = "",
        generation: str | None = None,
        check_model: bool = True,
    ) -> None:
        self.where = where or "Check the Chroma folder or server."
        # False for `ingest --rebuild` after a model change: the old set is only replaced
        self.check_model = check_model
        self.client = client
        self.name = name
        self.embed_model_id = embed_model_id
        try:
            self._pointer = client.get_or_create_collection(
                f"{name}-active", metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
            self.renderings_collection = client.get_or_create_collection(
                f"{name}-renderings", metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
            self.reader_vectors_collection = client.get_or_create_collection(
                f"{name}-reader-vectors", metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
            self.clause_vectors_collection = client.get_or_create_collection(
                f"{name}-clause-vectors", metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        except Exception as error:
            raise StoreError(f"cannot open collection {name!r}: {error}") from None
        self._open(self.active_generation() if generation is None else generation)

    def _open(self, generation: str) -> None:
        """Use the article collections of one generation ("" is the original set)."""
        prefix = f"{self.name}-{generation}" if generation else self.name
        metadata = {"hnsw:space": "cosine", "embed_model": self.embed_model_id}
        try:
            chunks = self.client.get_or_create_collection(
                f"{prefix}-chunks", metadata=metadata, embedding_function=None
            )
            sentences = self.client.get_or_create_collection(
                f"{prefix}-sentences", metadata=metadata, embedding_function=None
            )
            documents = self.client.get_or_create_collection(
                f"{prefix}-documents", metadata=metadata, embedding_function=None
            )
        except Exception as error:
            raise StoreError(f"cannot open collection {prefix!r}: {error}") from None
        self.generation = generation
        self.chunks, self.sentences, self.documents_collection = chunks, sentences, documents
        name, embed_model_id = self.name, self.embed_model_id
        stored = (self.chunks.metadata or {}).get("embed_model")
        if stored and stored != embed_model_id and self.check_model:
            raise StoreError(
                f"collection {name!r} was built with embedding model {stored!r}, but the "
                f"settings name {embed_model_id!r}. Run `python app.py ingest --rebuild`, "
                "or set NEWSRAG_COLLECTION to another name."
            )
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self._chunk_vectors = ChromaVectorStore(chroma_collection=self.chunks)
        self._sentence_vectors = ChromaVectorStore(chroma_collection=self.sentences)

    # ---- generations ---------------------------------------------------------------
    def active_generation(self) -> str:
        """The generation the pointer names ("" before the first rebuild)."""
        try:
            got = self._pointer.get(ids=["active"], include=["documents"])
        except Exception as error:
            raise StoreError(
                f"cannot read the index pointer of {self.name!r}: {error}. {self.where}"
            ) from None
        documents = got.get("documents") or []
        return str(documents[0]) if got["ids"] and documents and documents[0] else ""

    def follow_pointer(self) -> bool:
        """Switch to the active generation if another process swapped it; True if so."""
        try:
            active = self.active_generation()
            if active == self.generation:
                return False
            self._open(active)
        except StoreError:
            return False
        return True

    def _generations(self) -> set[str]:
        """Every generation that has collections in the client."""
        found = set()
        for collection in self.client.list_collections():
            name = getattr(collection, "name", collection)
            if name.startswith(f"{self.name}-g") and name.endswith("-chunks"):
                found.add(name[len(self.name) + 1 : -len("-chunks")])
        return found

    def _drop_generation(self, generation: str) -> None:
        prefix = f"{self.name}-{generation}" if generation else self.name
        for suffix in ("chunks", "sentences", "documents"):
            try:
                self.client.delete_collection(f"{prefix}-{suffix}")
            except Exception:  # already gone (a rebuild killed between deletions)
                continue

    @_guarded
    def begin_rebuild(self) -> ChromaStore:
        """A new, empty, inactive generation to build into (orphans of killed runs dropped)."""
        for orphan in self._generations() - {self.generation, self.active_generation()}:
            self._drop_generation(orphan)
        generation = f"g{time.strftime('%Y%m%d%H%M%S')}{uuid.uuid4().hex[:6]}"
        return ChromaStore(self.client, self.name, self.embed_model_id, self.where, generation)

    @_guarded
    def activate(self, fresh: ChromaStore) -> None:
        """Point readers at `fresh` (one write), then delete the generation it replaces."""
        old = self.active_generation()
        self._pointer.upsert(
            ids=["active"],
            documents=[fresh.generation],
            embeddings=[[1.0, 0.0]],
            metadatas=[{"swapped": time.time()}],
        )
        self._open(fresh.generation)
        if old != fresh.generation:
            self._drop_generation(old)
        prune_segment_folders(self.client)

    # ---- reading -------------------------------------------------------------------
    def _get_all(self, collection: Any, include: list[str]) -> dict[str, list[Any]]:
        """Every item of a collection, read PAGE ids at a time."""
        result: dict[str, list[Any]] = {"ids": [], **{key: [] for key in include}}
        offset = 0
        while True:
            got = collection.get(include=include, limit=PAGE, offset=offset)
            ids = got["ids"]
            result["ids"].extend(ids)
            for key in include:
                result[key].extend(got[key] if got[key] is not None else [])
            if len(ids) < PAGE:
                return result
            offset += PAGE

    def _get_ids(
        self, collection: Any, ids: Sequence[str], include: list[str]
    ) -> dict[str, list[Any]]:
        """The items of a collection with these ids (missing ones left out), read PAGE ids
        at a time: SQLite limits the variables of one query."""
        result: dict[str, list[Any]] = {"ids": [], **{key: [] for key in include}}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), PAGE):
            got = collection.get(ids=wanted[start : start + PAGE], include=include)
            result["ids"].extend(got["ids"])
            for key in include:
                result[key].extend(got[key] if got[key] is not None else [])
        return result

    @_guarded
    def count(self) -> int:
        """How many chunks the store holds."""
        return int(self.chunks.count())

    @_guarded
    def ids_by_doc(self) -> dict[str, set[str]]:
        """Chunk ids grouped by document id."""
        got = self._get_all(self.chunks, ["metadatas"])
        result: dict[str, set[str]] = {}
        for item_id, metadata in zip(got["ids"], got["metadatas"] or [], strict=True):
            result.setdefault(str(metadata["doc_id"]), set()).add(item_id)
        return result

    @_guarded
    def all_chunks(self) -> list[StoredChunk]:
        """Every chunk, ordered by document and position."""
        got = self._get_all(self.chunks, ["metadatas", "documents"])
        result = [
            _stored_chunk(item_id, metadata, text)
            for item_id, metadata, text in zip(
                got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True
            )
        ]
        return sorted(result, key=lambda chunk: (chunk.doc_id, chunk.start))

    @_guarded
    def sentence_texts(self, doc_ids: Sequence[str] | None = None) -> list[str]:
        """The text of every stored sentence (for pre-rendering), read in pages; only of
        the articles `doc_ids` when given."""
        if doc_ids is None:
            got = self._get_all(self.sentences, ["documents"])
            return [str(text) for text in got["documents"] if text]
        return [
            str(text)
            for got in self._pages_of(self.sentences, doc_ids, ["documents"])
            for text in got["documents"] or []
            if text
        ]

    @_guarded
    def document_marks(self, name: str) -> dict[str, str]:
        """The value of the mark `name` on every stored article ("" where unset), by id.

        A mark lives in the article's own record (pre-rendering keeps one per reader
        language, so a start checks one small record per article, not every sentence).
        Ingesting an article deletes its old record first, so a changed article loses
        its marks; a mark also holds what it was made for (pre-rendering puts the
        article's content hash in it), so a stale one never matches.
        """
        got = self._get_all(self.documents_collection, ["metadatas"])
        key = _mark_key(name)
        return {
            item_id: str((meta or {}).get(key, ""))
            for item_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
        }

    @_guarded
    def set_document_marks(self, name: str, values: Mapping[str, str]) -> None:
        """Set the mark `name` of these articles (by id; ids no longer stored are skipped).
        The rest of each record is kept (Chroma merges metadata on update)."""
        ids = list(values)
        for start in range(0, len(ids), PAGE):
            batch = ids[start : start + PAGE]
            self.documents_collection.update(
                ids=batch, metadatas=[{_mark_key(name): values[item]} for item in batch]
            )

    @_guarded
    def chunks_of(self, doc_ids: Sequence[str]) -> list[StoredChunk]:
        """Every chunk of the given documents, ordered by document and position."""
        result = [
            _stored_chunk(item_id, metadata, text)
            for got in self._pages_of(self.chunks, doc_ids, ["metadatas", "documents"])
            for item_id, metadata, text in zip(
                got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True
            )
        ]
        return sorted(result, key=lambda chunk: (chunk.doc_id, chunk.start))

    def _pages_of(
        self, collection: Any, doc_ids: Sequence[str], include: list[str]
    ) -> Iterator[dict[str, Any]]:
        """The items of these articles in a collection, as Chroma's `get` results: bounded
        `$in` lists of article ids, each read PAGE items at a time."""
        wanted = list(dict.fromkeys(doc_ids))
        for start in range(0, len(wanted), 100):
            where = {"doc_id": {"$in": wanted[start : start + 100]}}
            offset = 0
            while True:
                got = collection.get(where=where, include=include, limit=PAGE, offset=offset)
                yield got
                if len(got["ids"]) < PAGE:
                    break
                offset += PAGE

    @_guarded
    def documents(self, doc_ids: Sequence[str] | None = None) -> dict[str, str]:
        """The full text of every stored article, by document id; only of `doc_ids` when
        given (ids not stored are left out)."""
        include = ["documents"]
        got = (
            self._get_all(self.documents_collection, include)
            if doc_ids is None
            else self._get_ids(self.documents_collection, doc_ids, include)
        )
        return dict(zip(got["ids"], got["documents"], strict=True))

    @_guarded
    def titles(self) -> dict[str, str]:
        """The title recorded for every stored article, by document id."""
        got = self._get_all(self.documents_collection, ["metadatas"])
        return {
            item_id: str((meta or {}).get("title", "") or item_id)
            for item_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
        }

    @_guarded
    def authors(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The author recorded for each of these articles that names one, by document id
        (articles ingested before authors were recorded name none until ingested again)."""
        if not doc_ids:
            return {}
        got = self._get_ids(self.documents_collection, list(dict.fromkeys(doc_ids)), ["metadatas"])
        return {
            item_id: str(meta["author"])
            for item_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
            if meta and meta.get("author")
        }

    @_guarded
    def document_hashes(self) -> dict[str, str]:
        """The content hash recorded for every stored article, by document id."""
        got = self._get_all(self.documents_collection, ["metadatas"])
        return {
            item_id: str((meta or {}).get("hash", ""))
            for item_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
        }

    @_guarded
    def get_chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """The chunks with these ids, in the order asked; StoreError if one is missing."""
        if not chunk_ids:
            return []
        got = self.chunks.get(ids=list(chunk_ids), include=["metadatas", "documents"])
        found = {
            item_id: _stored_chunk(item_id, metadata, text)
            for item_id, metadata, text in zip(
                got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True
            )
        }
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
        return {
            item_id: cosine(vector, embedding)
            for item_id, embedding in zip(got["ids"], got["embeddings"], strict=True)
        }

    @_guarded
    def sentences_of(self, chunk_ids: Sequence[str]) -> list[StoredSentence]:
        """Every sentence of the given chunks, with its chunk id and vector, in text order.

        Read by id ("<chunk id>#<n>" from the chunk's `sentence_first`); a chunk stored
        before that was recorded, or whose numbered sentences are not all there, is read
        through the slower metadata filter.
        """
        if not chunk_ids:
            return []
        chunks = self.chunks.get(ids=list(chunk_ids), include=["metadatas"])
        expected: dict[str, list[str]] = {}
        unnumbered: list[str] = []  # stored before sentence_first was recorded
        for chunk_id, metadata in zip(chunks["ids"], chunks["metadatas"] or [], strict=True):
            first = (metadata or {}).get("sentence_first")
            if isinstance(first, int) and "sentences" in metadata:
                count = len(json.loads(str(metadata["sentences"])))
                expected[chunk_id] = [f"{chunk_id}#{first + n}" for n in range(count)]
            else:
                unnumbered.append(chunk_id)
        rows: list[StoredSentence] = []
        if expected:
            wanted = [item for ids in expected.values() for item in ids]
            by_id = self._sentence_rows(self.sentences.get(ids=wanted, include=_SENTENCE_FIELDS))
            found = Counter(row.chunk_id for row in by_id)
            short = {chunk for chunk, ids in expected.items() if found[chunk] != len(ids)}
            rows = [row for row in by_id if row.chunk_id not in short]
            unnumbered += sorted(short)
        if unnumbered:
            rows += self._sentence_rows(
                self.sentences.get(
                    where={"chunk_id": {"$in": unnumbered}}, include=_SENTENCE_FIELDS
                )
            )
        return sorted(rows, key=lambda item: (item.sentence.doc_id, item.sentence.start))

    @staticmethod
    def _sentence_rows(got: Any) -> list[StoredSentence]:
        """A Chroma `get` of the sentence collection as StoredSentence values."""
        result = []
        for metadata, embedding, text in zip(
            _listed(got["metadatas"]),
            _listed(got["embeddings"]),
            _listed(got["documents"]),
            strict=True,
        ):
            sentence = Sentence(
                doc_id=str(metadata["doc_id"]),
                start=int(metadata["start"]),
                end=int(metadata["end"]),
                text=str(text),
            )
            result.append(
                StoredSentence(sentence, str(metadata["chunk_id"]), [float(x) for x in embedding])
            )
        return result

    @_guarded
    def query_chunks(self, vector: Sequence[float], k: int) -> list[Hit]:
        """The k chunks nearest to a query vector."""
        return self._query(self._chunk_vectors, vector, k, None)

    @staticmethod
    def _query(vectors: Any, vector: Sequence[float], k: int, filters: Any) -> list[Hit]:
        from llama_index.core.vector_stores.types import VectorStoreQuery

        if k <= 0:
            return []
        result = vectors.query(
            VectorStoreQuery(query_embedding=list(vector), similarity_top_k=k, filters=filters)
        )
        hits = []
        for node, similarity in zip(result.nodes or [], result.similarities or [], strict=True):
            hits.append(
                Hit(
                    item_id=node.node_id,
                    metadata=dict(node.metadata),
                    text=node.get_content(),
                    similarity=float(similarity),
                )
            )
        return hits

    @_guarded
    def renderings(self, keys: Sequence[str]) -> dict[str, Rendering]:
        """Cached renderings by key (keys without one are left out)."""
        got = self._get_ids(self.renderings_collection, keys, ["metadatas", "documents"])
        result = {}
        for item_id, metadata, text in zip(
            got["ids"], got["metadatas"], got["documents"], strict=True
        ):
            meta = metadata or {}
            problems = tuple(json.loads(str(meta.get("problems", "[]"))))
            result[item_id] = Rendering(
                language=str(meta.get("language", "")),
                text=str(text or ""),
                checked=bool(meta.get("checked")),
                problems=problems,
            )
        return result

    def _vector_id(self, key: str) -> str:
        """A rendering's vector id: its key with the embedding model (another model's
        vector is never read)."""
        return hashlib.sha256(f"{key}|{self.embed_model_id}".encode()).hexdigest()

    def _read_vectors(self, collection: Any, keys: Sequence[str]) -> dict[str, list[float]]:
        """The vectors kept in a collection, by key (keys without one, or with one made by
        another embedding model, are left out)."""
        ids = {self._vector_id(key): key for key in keys}
        got = self._get_ids(collection, list(ids), ["embeddings"])
        return {
            ids[item_id]: [float(x) for x in vector]
            for item_id, vector in zip(got["ids"], got["embeddings"], strict=True)
        }

    def _write_vectors(self, collection: Any, items: Mapping[str, Sequence[float]]) -> None:
        """Keep vectors in a collection under their keys."""
        if not items:
            return
        keys = list(items)
        collection.upsert(
            ids=[self._vector_id(key) for key in keys],
            embeddings=[list(items[key]) for key in keys],
        )

    @_guarded
    def rendering_vectors(self, keys: Sequence[str]) -> dict[str, list[float]]:
        """The vectors of cached renderings, by rendering key, made with this store's
        embedding model (keys without one are left out)."""
        return self._read_vectors(self.reader_vectors_collection, keys)

    @_guarded
    def clause_vectors(self, texts: Sequence[str]) -> dict[str, list[float]]:
        """The kept vectors of long sentences' clauses (index.answer.clauses), by text,
        made with this store's embedding model (texts without one are left out)."""
        return self._read_vectors(self.clause_vectors_collection, texts)

    @_guarded
    def prune_caches(
        self, rendering_keys: Iterable[str] | None, clause_texts: Iterable[str]
    ) -> dict[str, int]:
        """Delete what no live key reads: cached renderings and their vectors whose keys
        are not in `rendering_keys` (None: leave both alone), and clause vectors of texts
        not in `clause_texts`; how many of each were deleted. They are kept by text, so
        an edited or removed article leaves its old ones behind, and a new prompt
        version or model leaves every earlier rendering."""
        wanted: dict[str, tuple[Any, set[str]]] = {
            "clause_vectors": (
                self.clause_vectors_collection,
                {self._vector_id(text) for text in clause_texts},
            )
        }
        if rendering_keys is not None:
            keys = set(rendering_keys)
            wanted["renderings"] = (self.renderings_collection, keys)
            wanted["rendering_vectors"] = (
                self.reader_vectors_collection,
                {self._vector_id(key) for key in keys},
            )
        deleted = {}
        for name, (collection, live) in wanted.items():
            stale = [item for item in self._get_all(collection, [])["ids"] if item not in live]
            for start in range(0, len(stale), PAGE):
                collection.delete(ids=stale[start : start + PAGE])
            deleted[name] = len(stale)
        return deleted

    # ---- writing -------------------------------------------------------------------
    @_guarded
    def save_clause_vectors(self, items: Mapping[str, Sequence[float]]) -> None:
        """Keep the vectors of clauses under their texts."""
        self._write_vectors(self.clause_vectors_collection, items)

    @_guarded
    def save_rendering_vectors(self, items: Mapping[str, Sequence[float]]) -> None:
        """Keep the vectors of renderings (as the reader reads them) under their keys."""
        self._write_vectors(self.reader_vectors_collection, items)

    @_guarded
    def save_renderings(self, items: Mapping[str, Rendering]) -> None:
        """Cache renderings under their keys (the vector is a placeholder: never searched)."""
        if not items:
            return
        keys = list(items)
        self.renderings_collection.upsert(
            ids=keys,
            documents=[items[key].text for key in keys],
            embeddings=[[1.0, 0.0] for _ in keys],
            metadatas=[
                {
                    "language": items[key].language,
                    "checked": items[key].checked,
                    "problems": json.dumps(list(items[key].problems)),
                }
                for key in keys
            ],
        )

    @_guarded
    def add(
        self,
        chunks: Sequence[Chunk],
        chunk_vectors: Sequence[Sequence[float]],
        sentence_vectors: Sequence[Sequence[float]],
        source: str,
        title: str,
        content_hash: str,
        author: str = "",
    ) -> None:
        """Add the chunks of one document, their sentences, and the document's text (with
        its title, content hash and, when the article names one, its author)."""
        from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode

        if not chunks:
            return
        doc_id = chunks[0].doc_id
        # llama-index writes the source node's id as metadata "doc_id"; make it ours.
        source_link = {NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc_id)}
        # A chunk's sentences are stored as "<chunk id>#<n>", n counted over the document;
        # its first n lets sentences_of read them by id (a metadata filter is slow at scale).
        firsts = [0, *itertools.accumulate(len(chunk.sentences) for chunk in chunks)][:-1]
        nodes: list[BaseNode] = [
            TextNode(
                id_=chunk.chunk_id,
                text=chunk.text,
                embedding=list(vector),
                metadata=_chunk_metadata(chunk) | {"sentence_first": first},
                relationships=source_link,
            )
            for chunk, vector, first in zip(chunks, chunk_vectors, firsts, strict=True)
        ]
        sentences: list[tuple[Chunk, Sentence]] = [
            (chunk, sentence) for chunk in chunks for sentence in chunk.sentences
        ]
        sentence_nodes: list[BaseNode] = [
            TextNode(
                id_=f"{chunk.chunk_id}#{index}",
                text=sentence.text,
                embedding=list(vector),
                metadata={
                    "doc_id": doc_id,
                    "chunk_id": chunk.chunk_id,
                    "section": chunk.section,
                    "kind": "sentence",
                    "start": sentence.start,
                    "end": sentence.end,
                },
                relationships=source_link,
            )
            for index, ((chunk, sentence), vector) in enumerate(
                zip(sentences, sentence_vectors, strict=True)
            )
        ]
        self._chunk_vectors.add(nodes)
        self._sentence_vectors.add(sentence_nodes)
        # The documents collection is never searched; its vector is a placeholder.
        placeholder = [1.0] + [0.0] * (len(chunk_vectors[0]) - 1)
        self.documents_collection.upsert(
            ids=[doc_id],
            documents=[source],
            embeddings=[placeholder],
            metadatas=[
                {"doc_id": doc_id, "title": title, "hash": content_hash}
                | ({"author": author} if author else {})
            ],
        )

    @_guarded
    def delete_doc(self, doc_id: str) -> None:
        """Remove every chunk and sentence of a document."""
        self.chunks.delete(where={"doc_id": doc_id})
        self.sentences.delete(where={"doc_id": doc_id})
        self.documents_collection.delete(ids=[doc_id])

    @_guarded
    def reset(self) -> None:
        """Drop the article collections (a rebuild starts from nothing; renderings stay)."""
        for collection in (self.chunks, self.sentences, self.documents_collection):
            self.client.delete_collection(collection.name)


_SENTENCE_FIELDS: Any = ["metadatas", "embeddings", "documents"]


def _listed(values: Any) -> list[Any]:
    """A Chroma result column as a list (it may be None, a list or a numpy array)."""
    return [] if values is None else list(values)


def _chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "doc_id": chunk.doc_id,
        "section": chunk.section,
        "kind": chunk.kind,
        "start": chunk.start,
        "end": chunk.end,
        "language": chunk.language,
        "sentences": json.dumps([[s.start, s.end] for s in chunk.sentences]),
    }


def _stored_chunk(item_id: str, metadata: dict[str, Any], text: str | None) -> StoredChunk:
    return StoredChunk(
        chunk_id=item_id,
        doc_id=str(metadata["doc_id"]),
        section=str(metadata.get("section", "")),
        kind=metadata["kind"],
        start=int(metadata["start"]),
        end=int(metadata["end"]),
        text=str(text or ""),
        language=str(metadata.get("language", "de")),
    )


def prune_segment_folders(client: Any) -> list[str]:
    """Delete the vector-index folders of an embedded Chroma that no segment uses any more.

    Chroma 1.5 leaves a deleted collection's folder (named by its segment id) on disk, so
    every rebuild would leave one behind. A Chroma server owns its folder: nothing is done.
    """
    settings = client.get_settings()
    folder = Path(str(settings.persist_directory or ""))
    database = folder / "chroma.sqlite3"
    if not settings.is_persistent or not database.is_file():
        return []
    import shutil
    import sqlite3

    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        used = {str(row[0]) for row in connection.execute("SELECT id FROM segments")}
    removed = []
    for child in folder.iterdir():
        try:
            is_segment = child.is_dir() and str(uuid.UUID(child.name)) == child.name
        except ValueError:
            is_segment = False
        if is_segment and child.name not in used:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return removed
