"""The one place where concrete classes are chosen from settings and put together.

Tests build the same objects with fakes by passing them in (`embedder=`, `client=`,
`writer=`); nothing here sniffs the environment for test mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index.answer import Answerer, HeuristicRewriter, Rewriter, Writer
from index.chunking import punkt_splitter, word_count_tokens
from index.ingest import Ingestor, IngestReport, ProgressCallback
from index.prompts import Prompts
from index.retrieve import FusionWeights, HybridRetriever
from index.settings import Settings
from index.store import ChromaStore, open_client
from index.types import Embedder


@dataclass
class Components:
    """Everything a running app needs, built once."""

    settings: Settings
    embedder: Embedder
    store: ChromaStore
    ingestor: Ingestor
    answerer: Answerer


def build_embedder(settings: Settings) -> Embedder:
    """The configured embedding model, loaded offline."""
    from index.embeddings import load_embedder

    return load_embedder(settings.embed_model, settings.cache_dir, settings.embed_query_prompt,
                         settings.embed_document_prompt, settings.embed_batch_size,
                         settings.torch_threads)


def embedder_id(embedder: Embedder) -> str:
    """A name recorded with the collection so a model change is noticed."""
    return str(getattr(embedder, "model_name", type(embedder).__name__))


def build_store(settings: Settings, embedder: Embedder, client: Any = None) -> ChromaStore:
    """The Chroma store: the given client, a Chroma server, or the embedded default."""
    if client is None:
        client = open_client(path=settings.chroma_path, host=settings.chroma_host,
                             port=settings.chroma_port)
    where = (f"Is the Chroma server at {settings.chroma_host}:{settings.chroma_port} running?"
             if settings.uses_chroma_server else f"Chroma folder: {settings.chroma_path}")
    return ChromaStore(client, settings.collection, embedder_id(embedder), where)


def build_writer(settings: Settings, prompts: Prompts, embedder: Embedder) -> Writer:
    """The generative writer from settings (LLM loaded lazily on first use)."""
    from index.generate import build_generative_writer

    return build_generative_writer(settings, prompts, embedder)


def build_rewriter(settings: Settings, prompts: Prompts) -> Rewriter:
    """The LLM follow-up rewriter (heuristic fallback), on the shared LLM."""
    from index.rewrite import build_llm_rewriter

    return build_llm_rewriter(settings, prompts)


def build(settings: Settings, embedder: Embedder | None = None, client: Any = None,
          writer: Writer | None = None, rewriter: Rewriter | None = None,
          prompts: Prompts | None = None, with_writer: bool = False) -> Components:
    """Assemble the components; heavy models load only when not passed in."""
    if client is None:  # a dead Chroma server is reported before a model loads for seconds
        client = open_client(path=settings.chroma_path, host=settings.chroma_host,
                             port=settings.chroma_port)
    embedder = embedder or build_embedder(settings)
    store = build_store(settings, embedder, client)
    prompts = prompts or Prompts()
    count = getattr(embedder, "count_tokens", word_count_tokens)
    ingestor = Ingestor(store, embedder, punkt_splitter("german"), count, settings.chunk_tokens)
    retriever = HybridRetriever(
        store, embedder, candidates=settings.candidates,
        weights=FusionWeights(settings.bm25_weight_same_language,
                              settings.bm25_weight_cross_language))
    if writer is None and with_writer:
        writer = build_writer(settings, prompts, embedder)
        if rewriter is None and settings.llm_rewrite:
            rewriter = build_rewriter(settings, prompts)
    answerer = Answerer(retriever, store, prompts, rewriter=rewriter or HeuristicRewriter(),
                        top_k=settings.top_k, abstain_threshold=settings.abstain_threshold,
                        max_citations=settings.max_citations,
                        citation_margin=settings.citation_margin,
                        passage_weight=settings.passage_weight,
                        max_question_chars=settings.max_question_chars, generative=writer,
                        default_mode=settings.mode)
    return Components(settings, embedder, store, ingestor, answerer)


def ensure_index(components: Components, progress: ProgressCallback | None = None
                 ) -> IngestReport | None:
    """Bring the index in line with the corpus folder before answering.

    Embedded store: always synced (unchanged articles cost a hash comparison, nothing
    is embedded). Chroma server: only built when empty, since several app processes
    share it and `python app.py ingest` is the explicit way to change it.
    """
    if components.settings.uses_chroma_server and components.store.count() > 0:
        return None
    return components.ingestor.ingest_folder(components.settings.corpus_dir, progress)
