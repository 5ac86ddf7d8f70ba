"""The one place where concrete classes are chosen from settings and put together.

The command line, the page and the evaluation all get their Components from `build`.
Tests build the same objects with fakes by passing them in (`embedder=`, `client=`,
`generator=`); nothing here sniffs the environment for test mode.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.answer.clauses import ClauseCosines, StoredClauseEmbedder
from index.answer.extractive import ExtractiveComposer
from index.answer.followup import HeuristicRewriter, LLMRewriter
from index.answer.pipeline import AnswerPipeline
from index.errors import ModelError, NewsragError
from index.ingest.chunking import punkt_splitter, word_count_tokens
from index.ingest.library import Library
from index.ingest.pipeline import Ingestor, IngestReport
from index.models.provision import QWEN_CODER_1_5B, model_path
from index.models.reranker import load_reranker
from index.models.text_cache import CachedTextEmbedder
from index.prompts import Prompts
from index.retrieve.hybrid import FusionWeights, HybridRetriever
from index.retrieve.lexical import LexicalIndex
from index.settings import Settings
from index.store import ChromaStore, open_client
from index.translate.dictionary import SCHEMA_VERSION, Dictionary
from index.translate.renderer import SentenceRenderer
from index.translate.termbase import load_termbase
from index.translate.terms import TermExtractor
from index.types import Composer, Embedder, Generator

log = logging.getLogger(__name__)
# Clause vectors kept per process: a few dozen articles' long sentences, about 3 KB each
CLAUSE_CACHE = 8192

ProgressCallback = Callable[[float, str], None]


@dataclass
class Components:
    """Everything a running app needs, built once."""

    settings: Settings
    embedder: Embedder
    store: ChromaStore
    ingestor: Ingestor
    answerer: AnswerPipeline
    library: Library
    generator: Generator | None = None
    renderer: SentenceRenderer | None = None

    @property
    def generative_available(self) -> bool:
        """True when a language model is wired in (generative answers possible)."""
        return "generative" in self.answerer.modes


def build_embedder(settings: Settings, http_client: Any = None) -> Embedder:
    """The configured embedding model: loaded offline, or an embedding server."""
    if settings.embed_backend == "openai":
        from index.models.openai_embedder import server_embedder

        return server_embedder(
            settings.embed_server_url,
            settings.embed_server_model,
            settings.embed_server_query_prefix,
            settings.embed_server_document_prefix,
            settings.embed_server_api_key_env,
            settings.embed_server_timeout,
            settings.embed_batch_size,
            http_client,
        )
    from index.models.embedder import load_embedder

    return load_embedder(
        settings.embed_model,
        settings.cache_dir,
        settings.embed_query_prompt,
        settings.embed_document_prompt,
        settings.embed_batch_size,
        settings.torch_threads,
        batch_threads=settings.ingest_torch_threads,
        int8=settings.embed_backend == "torch-int8",
        onnx=settings.embed_backend == "onnx",
        query_int8=settings.embed_query_int8,
    )


def embedder_id(embedder: Embedder) -> str:
    """A name recorded with the collection so a model change is noticed."""
    return str(getattr(embedder, "model_name", type(embedder).__name__))


def open_store_client(settings: Settings) -> Any:
    """The Chroma client from settings: a server when configured, else the embedded folder."""
    return open_client(
        path=settings.chroma_path, host=settings.chroma_host, port=settings.chroma_port
    )


def build_store(
    settings: Settings, embedder: Embedder, client: Any = None, check_model: bool = True
) -> ChromaStore:
    """The Chroma store: the given client, a Chroma server, or the embedded default.

    check_model=False opens an index built with another embedding model, for the one
    thing that may be done with it: `ingest --rebuild`, which replaces it.
    """
    if client is None:
        client = open_store_client(settings)
    where = (
        f"Is the Chroma server at {settings.chroma_host}:{settings.chroma_port} running?"
        if settings.uses_chroma_server
        else f"Chroma folder: {settings.chroma_path}"
    )
    return ChromaStore(
        client, settings.collection, embedder_id(embedder), where, check_model=check_model
    )


def default_llm_path(settings: Settings) -> Path:
    """The configured GGUF, or the provisioned Qwen model in the cache."""
    if settings.llm_model_path:
        return Path(settings.llm_model_path).expanduser()
    return model_path(QWEN_CODER_1_5B, settings.cache_dir)


def llm_available(settings: Settings) -> bool:
    """True when a language model can be offered: configured, or its weights are on disk."""
    if settings.mode == "generative" or settings.llm_backend == "openai":
        return True
    return default_llm_path(settings).is_file()


def build_generator(settings: Settings, http_client: Any = None) -> Generator:
    """The configured LLM as a Generator; llama.cpp weights load on first use."""
    from index.llm.generator import LLMGenerator

    if settings.llm_backend == "openai":
        from index.llm.openai import openai_errors, openai_llm

        llm = openai_llm(
            settings.openai_base_url,
            settings.openai_model,
            settings.openai_api_key_env,
            settings.llm_context,
            http_client,
        )
        return LLMGenerator(llm, openai_errors(), settings.openai_base_url)
    from index.llm.llamacpp import shared_llamacpp

    return LLMGenerator(
        shared_llamacpp(
            default_llm_path(settings),
            settings.llm_context,
            settings.llm_threads,
            settings.llm_max_tokens,
            settings.llm_cached_prompts,
            settings.cache_dir / "llm-states",
        )
    )


def build_generative(
    settings: Settings,
    prompts: Prompts,
    embedder: Embedder,
    generator: Generator,
    extractive: ExtractiveComposer,
    dictionary: Dictionary | None = None,
) -> Composer:
    """The generative composer: the LLM, checked by the verifier, quoting as fallback.

    The dictionary (read from the settings when not given) tells the verifier which
    words of an English answer are German ones left untranslated."""
    from index.answer.generative import GenerativeComposer
    from index.answer.verify import Verifier

    dictionary = dictionary if dictionary is not None else dictionary_of(settings)
    verifier = Verifier(
        CachedTextEmbedder(embedder),  # evidence sentences recur across answers
        min_similarity=settings.verify_min_similarity,
        german_word=dictionary.german_only if dictionary.available else None,
    )
    return GenerativeComposer(
        generator,
        prompts,
        verifier,
        extractive,
        max_tokens=settings.llm_max_tokens,
        max_evidence=settings.llm_evidence_sentences,
    )


def dictionary_of(settings: Settings) -> Dictionary:
    """The Ding dictionary, indexed into the cache (once per schema version), with the
    newsroom's termbase read first (a malformed termbase is a SettingsError here, at
    start-up)."""
    return Dictionary(
        settings.dictionary_file,
        settings.cache_dir / "dictionaries" / f"de-en.v{SCHEMA_VERSION}.sqlite",
        load_termbase(settings.termbase_file),
    )


def build_renderer(
    settings: Settings,
    prompts: Prompts,
    embedder: Embedder,
    store: ChromaStore,
    generator: Generator,
    dictionary: Dictionary | None = None,
) -> SentenceRenderer:
    """The sentence renderer: the LLM, the dictionary's glossary, checks, the store's cache."""
    dictionary = dictionary if dictionary is not None else dictionary_of(settings)
    model_id = str(getattr(generator, "model_name", "") or type(generator).__name__)
    return SentenceRenderer(
        generator,
        prompts,
        embedder,
        store,
        model_id,
        dictionary,
        min_similarity=settings.render_min_similarity,
        min_round_trip=settings.render_min_round_trip,
    )


def build(
    settings: Settings,
    embedder: Embedder | None = None,
    client: Any = None,
    generator: Generator | None = None,
    prompts: Prompts | None = None,
    with_llm: bool | None = None,
    rebuilding: bool = False,
) -> Components:
    """Assemble the components; heavy models load only when not passed in.

    `with_llm`: wire in the LLM (generative answers, LLM follow-up rewriting). None means
    "when one is available": configured, or its weights are on disk. A missing LLM never
    stops extractive answers unless generative mode is the configured default.
    `rebuilding`: for `ingest --rebuild`, which may replace an index built with another
    embedding model (everything else refuses to read one).
    """
    if client is None:  # a dead Chroma server is reported before a model loads for seconds
        client = open_store_client(settings)
    embedder = embedder or build_embedder(settings)
    store = build_store(settings, embedder, client, check_model=not rebuilding)
    prompts = prompts or Prompts()
    count = getattr(embedder, "count_tokens", word_count_tokens)
    lexical = LexicalIndex(settings.lexical_file)
    dictionary = dictionary_of(settings)
    # the question's words in German: cross-lingual retrieval and the verdict's reading
    # of "..., nicht aber Y" (one extractor for both; none without the dictionary)
    terms = TermExtractor(dictionary) if dictionary.available else None
    ingestor = Ingestor(
        store,
        embedder,
        punkt_splitter,
        count,
        settings.chunk_tokens,
        lexical=lexical,
        keep_clauses=settings.clause_evidence,
    )
    retriever = HybridRetriever(
        store,
        embedder,
        candidates=settings.candidates,
        weights=FusionWeights(
            settings.bm25_weight_same_language, settings.bm25_weight_cross_language
        ),
        lexical=lexical,
        sync_seconds=settings.lexical_sync_seconds,
        vector_cache=settings.query_vector_cache,
        translator=terms,
        sentence_weight=settings.sentence_rerank_weight,
        rerank_pool=settings.rerank_pool,
        secondary_penalty=settings.secondary_penalty,
        number_weight=settings.number_weight,
        evidence_prompt=settings.embed_evidence_prompt,
    )
    llm_rewriter = None
    wanted = llm_available(settings) if with_llm is None else with_llm
    if generator is None and wanted:
        try:
            generator = build_generator(settings)
        except ModelError:
            if settings.mode == "generative":
                raise
    renderer = None
    if generator is not None and settings.render_translations:
        renderer = build_renderer(settings, prompts, embedder, store, generator, dictionary)
    # the dictionary's senses tell the people a sentence names; its word test tells a
    # lone name in a question ("Peskov") from a word; neither without the dictionary
    senses = dictionary.senses_of if dictionary.available else None
    known = dictionary.knows if dictionary.available else None
    extractive = ExtractiveComposer(
        prompts,
        renderer,
        settings.render_on_demand,
        senses=senses,
        terms=terms,
    )
    composers: dict[str, Composer] = {"extractive": extractive}
    if generator is not None:
        composers["generative"] = build_generative(
            settings, prompts, embedder, generator, extractive, dictionary
        )
        if settings.llm_rewrite:
            llm_rewriter = LLMRewriter(generator, prompts, fallback=HeuristicRewriter(known))
    answerer = AnswerPipeline(
        retriever,
        store,
        composers,
        rewriter=HeuristicRewriter(known),
        llm_rewriter=llm_rewriter,
        top_k=settings.top_k,
        abstain_threshold=settings.abstain_threshold,
        max_citations=settings.max_citations,
        citation_margin=settings.citation_margin,
        passage_weight=settings.passage_weight,
        evidence_window=settings.evidence_window,
        secondary_penalty=settings.secondary_penalty,
        max_question_chars=settings.max_question_chars,
        default_mode=settings.mode,
        senses=senses,
        terms=terms,
        reader_vectors=renderer if settings.reader_evidence else None,
        clause_cosines=(
            ClauseCosines(CachedTextEmbedder(StoredClauseEmbedder(embedder, store), CLAUSE_CACHE))
            if settings.clause_evidence
            else None
        ),
        reranker=load_reranker(settings.reranker) if settings.reranker else None,
        reranker_pool=settings.reranker_pool,
        reranker_weight=settings.reranker_weight,
    )
    library = Library(settings.corpus_dir, store, ingestor)
    return Components(settings, embedder, store, ingestor, answerer, library, generator, renderer)


def ensure_index(
    components: Components, progress: ProgressCallback | None = None
) -> IngestReport | None:
    """Bring the index in line with the corpus folder before answering.

    Embedded store: always synced (unchanged articles cost a hash comparison, nothing
    is embedded). Chroma server: only built when empty, since several app processes
    share it and `python app.py ingest` is the explicit way to change it.
    """
    if components.settings.uses_chroma_server and components.store.count() > 0:
        return None
    return components.ingestor.ingest_folder(components.settings.corpus_dir, progress)


def prerender(
    components: Components,
    languages: tuple[str, ...] = ("en",),
    progress: ProgressCallback | None = None,
    articles_per_batch: int = 50,
) -> dict[str, int]:
    """Render every stored sentence for readers of `languages` (cached ones cost nothing).

    An article whose sentences are all rendered is marked in its own record (the mark
    holds its content hash, the model and the prompt version), so a later start reads one
    small record per article instead of every sentence: at 101,344 chunks the full scan
    was 174,226 sentence texts in 32 s before any rendering was looked up.
    """
    if components.renderer is None or not components.settings.prerender:
        return {}
    from index.text.language import detect_language

    renderer, store = components.renderer, components.store
    hashes = store.document_hashes()
    totals = {"cached": 0, "checked": 0, "unchecked": 0, "articles_done": 0}
    for target in languages:
        name = f"rendered_{target}"
        marks = store.document_marks(name)
        wanted = {doc_id: renderer.article_mark(found, target) for doc_id, found in hashes.items()}
        todo = [doc_id for doc_id, mark in wanted.items() if marks.get(doc_id) != mark]
        totals["articles_done"] += len(wanted) - len(todo)
        for start in range(0, len(todo), articles_per_batch):
            batch = todo[start : start + articles_per_batch]
            by_source: dict[str, list[str]] = {}
            for text in store.sentence_texts(batch):
                source = detect_language(text)
                if source != target:
                    by_source.setdefault(source, []).append(text)
            for source, group in sorted(by_source.items()):
                counts = renderer.render_all(group, source, target, progress)
                for key, value in counts.items():
                    totals[key] = totals.get(key, 0) + value
            store.set_document_marks(name, {doc_id: wanted[doc_id] for doc_id in batch})
    return totals


def prune(components: Components, languages: tuple[str, ...] = ("en",)) -> dict[str, int]:
    """Delete the cached renderings, rendering vectors and clause vectors that no stored
    sentence uses under the current settings (model, prompt version, termbase, embedding
    model); how many of each. Without an LLM the renderings' keys are unknown, and
    renderings and their vectors are left alone. Run it when no ingest is running: a
    rendering made meanwhile for a sentence not yet read here would go too."""
    from index.text.clauses import clauses
    from index.text.language import detect_language

    texts = list(dict.fromkeys(components.store.sentence_texts()))
    clause_texts = {clause for text in texts for clause in clauses(text)}
    keys: set[str] | None = None
    renderer = components.renderer
    if renderer is not None:
        keys = set()
        for text in texts:
            source = detect_language(text)
            keys |= {renderer.key(text, source, target) for target in languages if target != source}
    return components.store.prune_caches(keys, clause_texts)


def _load_passage_model(embedder: Embedder) -> None:
    """Load the passage embedding model (the ONNX backend loads it on first use); a
    failure is logged (in a thread, nothing else would see it): answers report the
    fault themselves."""
    try:
        embedder.get_text_embedding_batch(["warm-up"])
    except NewsragError as error:
        log.warning("the passage embedding model did not load: %s", error)
    except Exception:
        log.exception("the passage embedding model did not load")


def warm_up(components: Components, progress: ProgressCallback | None = None) -> None:
    """Load the passage model and the LLM now, render every sentence for English readers,
    and have the LLM read the answer and rewrite prompts of both languages (page start-up,
    in the background): the first generative answer and every cited rendering are warm.
    """
    # The passage model (the renderings' checks, the verifier): the ONNX backend with
    # int8 questions loads it on first use, so do it here when something will use it. A
    # failure is said, and the LLM still warms up (answers report the fault themselves).
    # Both loads are native code that releases the GIL, so they run side by side on two
    # cores (measured in a serving process: 1.4 s and 1.6 s one after the other).
    passages = None
    if components.renderer is not None or components.generator is not None:
        passages = threading.Thread(
            target=_load_passage_model, args=(components.embedder,), name="newsrag-passages"
        )
        passages.start()
    loader = getattr(components.generator, "load", None)
    try:
        if callable(loader):
            loader()
    finally:
        if passages is not None:
            passages.join()
    # Several workers sharing a Chroma server would each render the same sentences on
    # the one LLM: there `python app.py ingest` renders, once, as it indexes.
    if not components.settings.uses_chroma_server:
        prerender(components, progress=progress)
    if components.generator is not None:
        components.answerer.prime(("en", "de"))
        saver = getattr(components.generator, "save_prompt_states", None)
        if callable(saver):
            saver()  # the next start reads them instead of the prompts (tens of seconds)
