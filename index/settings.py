"""One typed settings object, read from NEWSRAG_* variables and an optional .env file.

Nothing is read at import time: call `load_settings()` at start-up; it raises
`SettingsError` with a message that names the bad value.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.errors import SettingsError
from index.prompts import default_prompts_dir

PREFIX = "NEWSRAG_"


def default_cache_dir() -> Path:
    """The user's cache folder for this project (XDG_CACHE_HOME respected)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsrag"


class Settings(BaseSettings):
    """Everything a user may configure. Environment prefix: NEWSRAG_."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSRAG_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    corpus_dir: Path = Path("corpus")
    cache_dir: Path = Field(default_factory=default_cache_dir)

    # Chroma: embedded (PersistentClient at chroma_path) unless chroma_host is set.
    chroma_path: Path = Path("var/chroma")
    chroma_host: str = ""
    chroma_port: int = 8000
    collection: str = "articles"

    # Embedding model: "" means the provisioned EmbeddingGemma in the cache; otherwise a
    # local sentence-transformers folder or (for users with a network) a hub id.
    embed_model: str = ""
    embed_query_prompt: str = "query"
    embed_document_prompt: str = "document"
    # A second question vector, under this prompt's text, orders the retrieved sentences
    # as answers (the search vector still finds the passages and sets refusal). The
    # default is EmbeddingGemma's question-answering prompt, which its config does not
    # name; "" turns it off (for a model without such a prompt).
    embed_evidence_prompt: str = "task: question answering | query: "
    embed_batch_size: int = 16
    # 1 thread: on 2 shared cores a query embedding took ~0.27 s with 1 thread and
    # 1-2 s with 2 under load (scripts/bench.py); 0 lets torch decide
    torch_threads: int = 1

    # Embedding backend: "torch" (sentence-transformers, fp32), "torch-int8" (dynamic int8
    # quantisation of the linear layers), "onnx" (the same fp32 model exported once to ONNX
    # and run by onnxruntime: the same vectors, faster on CPU; eval/bench_onnx.py), or
    # "openai" (an OpenAI-compatible /v1/embeddings server, e.g. Text Embeddings Inference
    # or Infinity on a GPU machine).
    embed_backend: Literal["torch", "torch-int8", "onnx", "openai"] = "onnx"
    # onnx backend: question vectors from an int8 copy of the export (its matrix products
    # quantised once by onnxruntime.quantization); passages stay fp32, so the index is
    # unchanged. Dev: same hit@5, MRR +0.002, extractive p50 130 -> 51 ms (BENCHMARKS.md).
    embed_query_int8: bool = True
    embed_server_url: str = "http://127.0.0.1:8081/v1"
    embed_server_model: str = "embeddinggemma-300m"
    embed_server_api_key_env: str = "EMBED_API_KEY"
    embed_server_timeout: float = 60.0
    # prefixes the server gets instead of prompt names (EmbeddingGemma's own prompts)
    embed_server_query_prefix: str = "task: search result | query: "
    embed_server_document_prefix: str = "title: none | text: "
    # torch threads for batches of passages (ingest); 0 keeps NEWSRAG_TORCH_THREADS. On 2
    # cores shared with other work, 2 threads embedded 2x slower than 1 (eval/bench_embed.py)
    ingest_torch_threads: int = 0

    chunk_tokens: int = 128

    # Retrieval
    top_k: int = 5
    candidates: int = 20
    bm25_weight_same_language: float = 0.2  # tuned on eval/questions/dev.jsonl
    bm25_weight_cross_language: float = 0.05
    # the persisted BM25 index (SQLite FTS5); "" means <collection>-lexical.sqlite beside
    # chroma_path. Workers sharing a Chroma server must share this file too (one machine).
    lexical_path: str = ""
    lexical_sync_seconds: float = 30.0  # how often a process catches up with other writers
    # distinct questions whose vectors (search and evidence) a process keeps; 0: none
    query_vector_cache: int = 1024
    # The best rerank_pool fused candidates are scored again:
    # (1 - sentence_rerank_weight) * fused + sentence_rerank_weight * best sentence cosine
    # (the stored sentence vectors); 0 turns it off. Chosen on eval/questions/dev.jsonl
    # (hit@1 0.816 -> 0.868, MRR 0.882 -> 0.911 at 0.3; 0.2-0.5 all gained).
    sentence_rerank_weight: float = 0.3
    rerank_pool: int = 10
    # added to the fused score of a passage holding a number (two digits or more) that
    # the question names, found through the BM25 index in any article language
    number_weight: float = 0.1

    # Answering
    mode: Literal["extractive", "generative"] = "extractive"
    abstain_threshold: float = 0.34  # tuned on eval/questions/dev.jsonl (scripts/tune_evidence.py)
    max_question_chars: int = 1000
    max_citations: int = 1
    # sentence score = (1 - passage_weight) * closeness + passage_weight * passage score,
    # closeness = (1 - evidence_window) * cosine(sentence) + evidence_window * cosine(sentence
    # with half of each neighbour); runners-up within citation_margin of the best are cited
    # too, up to max_citations (scripts/tune_evidence.py on eval/questions/dev.jsonl)
    passage_weight: float = 0.15
    evidence_window: float = 0.3
    citation_margin: float = 0.05
    # subtracted from the score of a teaser's or a caption's sentence, so the body's
    # sentence that reports the same goes first (dev: citation P/R 0.81/0.78 -> 0.84/0.80;
    # 0.06 gained half of it, 0.1-0.3 the same)
    secondary_penalty: float = 0.1
    # match a question against the checked renderings of sentences in its language too
    # (a sentence's cosine is the higher of the two); needs the renderer's stored vectors
    reader_evidence: bool = True
    # match a long sentence clause by clause too (a sentence's cosine is that of its
    # closest clause when higher; index.answer.clauses)
    clause_evidence: bool = True
    # A cross-encoder (a sentence-transformers CrossEncoder folder, or a hub id with a
    # network; "" off: none is available offline) scores the reranker_pool best
    # sentences with the question, blended in at reranker_weight (index.models.reranker)
    reranker: str = ""
    reranker_pool: int = 8
    reranker_weight: float = 0.5

    # LLM (generative mode)
    llm_backend: Literal["llamacpp", "openai"] = "llamacpp"
    llm_model_path: str = ""  # "" means the provisioned Qwen GGUF in the cache
    llm_threads: int = 2
    llm_context: int = 2048
    llm_max_tokens: int = 160
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_model: str = "local"
    openai_api_key_env: str = "OPENAI_API_KEY"
    llm_evidence_sentences: int = 3  # numbered sentences shown to the LLM
    llm_cached_prompts: int = 4  # llama.cpp states kept warm: one per language and task
    llm_rewrite: bool = True  # rewrite follow-up questions with the LLM when it is built
    verify_min_similarity: float = 0.5  # answer sentence vs cited sentence, cosine

    # Renderings: cited German sentences shown to a reader of another language as checked
    # machine translations by the LLM (index/translate), cached in the store.
    render_translations: bool = True
    render_on_demand: bool = True  # render a cited sentence at answer time if not cached
    prerender: bool = True  # render every sentence after indexing (ingest, page, eval)
    render_min_similarity: float = 0.75  # source vs rendering, cross-lingual cosine
    render_min_round_trip: float = 0.8  # source vs rendering translated back, cosine
    # The Ding German-English dictionary (Debian trans-de-en) for glossary hints; ""
    # means <cache_dir>/dictionaries/de-en, where scripts/setup.sh puts it.
    dictionary_path: str = ""
    # The newsroom's termbase (index/translate/termbase.py), read before the dictionary;
    # "" means prompts/termbase.de-en.tsv.
    termbase_path: str = ""

    feedback_path: Path = Path("var/feedback.jsonl")

    # Readers and editors (web/access.py): adding and removing articles on the page is
    # off unless enabled; a page bound beyond loopback offers it only behind a login.
    editing: bool = False
    auth: SecretStr = SecretStr("")  # "user:password" lines; prefer auth_file
    auth_file: Path | None = None  # a file of "user:password" lines, kept out of the repo
    # Concurrent answers on the page: quoting is cheap, the LLM is one shared model.
    extractive_concurrency: int = 4
    generative_concurrency: int = 1
    queue_size: int = 64  # requests waiting beyond this are refused (memory stays bounded)
    load_retry_seconds: float = 5.0  # the page retries loading (a Chroma server that is down)

    @field_validator("corpus_dir", "chroma_path", "feedback_path", "cache_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, value: str) -> str:
        if not 3 <= len(value) <= 40 or not value.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"collection must be 3-40 letters, digits, - or _; got {value!r}")
        return value

    @field_validator("chroma_port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError(f"chroma_port must be 1-65535; got {value}")
        return value

    @field_validator(
        "top_k",
        "candidates",
        "chunk_tokens",
        "embed_batch_size",
        "llm_threads",
        "llm_context",
        "llm_max_tokens",
        "max_question_chars",
        "max_citations",
        "llm_evidence_sentences",
        "extractive_concurrency",
        "generative_concurrency",
        "queue_size",
        "rerank_pool",
        "reranker_pool",
    )
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError(f"must be greater than 0; got {value}")
        return value

    @field_validator(
        "abstain_threshold",
        "verify_min_similarity",
        "render_min_similarity",
        "render_min_round_trip",
    )
    @classmethod
    def _unit(cls, value: float) -> float:
        if not -1.0 <= value <= 1.0:
            raise ValueError(f"must be a cosine similarity in [-1, 1]; got {value}")
        return value

    @field_validator(
        "passage_weight",
        "evidence_window",
        "citation_margin",
        "secondary_penalty",
        "number_weight",
        "bm25_weight_same_language",
        "bm25_weight_cross_language",
        "sentence_rerank_weight",
        "reranker_weight",
    )
    @classmethod
    def _fraction(cls, value: float) -> float:
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"must be between 0 and 1; got {value}")
        return value

    @field_validator("chunk_tokens")
    @classmethod
    def _chunk_tokens(cls, value: int) -> int:
        if not 16 <= value <= 2048:
            raise ValueError(f"must be 16-2048 tokens; got {value}")
        return value

    @field_validator("embed_server_timeout")
    @classmethod
    def _timeout(cls, value: float) -> float:
        if not 0.0 < value <= 3600.0:
            raise ValueError(f"must be in (0, 3600] seconds; got {value}")
        return value

    @field_validator("lexical_sync_seconds")
    @classmethod
    def _sync_interval(cls, value: float) -> float:
        if not 0.0 <= value <= 86400.0:
            raise ValueError(f"must be 0-86400 seconds; got {value}")
        return value

    @field_validator("embed_server_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must be an http(s) URL; got {value!r}")
        return value.rstrip("/")

    @field_validator(
        "torch_threads", "llm_cached_prompts", "ingest_torch_threads", "query_vector_cache"
    )
    @classmethod
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError(f"must be 0 or more; got {value}")
        return value

    @field_validator("load_retry_seconds")
    @classmethod
    def _retry(cls, value: float) -> float:
        if not 0.1 <= value <= 3600:
            raise ValueError(f"must be between 0.1 and 3600 seconds; got {value}")
        return value

    @field_validator("auth_file", mode="after")
    @classmethod
    def _expand_optional(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.candidates < self.top_k:
            raise ValueError(f"candidates ({self.candidates}) must be >= top_k ({self.top_k})")
        return self

    @property
    def termbase_file(self) -> Path:
        """The termbase file (configured, or the one in the prompts folder)."""
        if self.termbase_path:
            return Path(self.termbase_path).expanduser()
        return default_prompts_dir() / "termbase.de-en.tsv"

    @property
    def dictionary_file(self) -> Path:
        """The Ding dictionary file (configured, or the one set-up installs in the cache)."""
        if self.dictionary_path:
            return Path(self.dictionary_path).expanduser()
        return self.cache_dir / "dictionaries" / "de-en"

    @property
    def lexical_file(self) -> Path:
        """Where the persisted BM25 index lives."""
        if self.lexical_path:
            return Path(self.lexical_path).expanduser()
        return self.chroma_path.parent / f"{self.collection}-lexical.sqlite"

    @property
    def uses_chroma_server(self) -> bool:
        """True when a Chroma server is configured instead of the embedded store."""
        return bool(self.chroma_host)


def unknown_variables(
    environ: Mapping[str, str], env_file: Path | None = Path(".env")
) -> list[str]:
    """NEWSRAG_* names in the environment or the .env file that are no setting, with hints."""
    names = set(environ)
    if env_file is not None and env_file.is_file():
        for line in env_file.read_text(encoding="utf-8", errors="replace").splitlines():
            key = line.split("=", 1)[0].strip().removeprefix("export ").strip()
            if key and not key.startswith("#"):
                names.add(key)
    fields = {name.upper() for name in Settings.model_fields}
    problems = []
    for name in sorted(names):
        if not name.upper().startswith(PREFIX):
            continue
        field = name.upper()[len(PREFIX) :]
        if field in fields:
            continue
        close = difflib.get_close_matches(field, sorted(fields), n=1)
        hint = f"; did you mean {PREFIX}{close[0]}?" if close else ""
        problems.append(f"{name}: not a setting{hint}")
    return problems


def load_settings(**overrides: object) -> Settings:
    """Read and validate settings; raise SettingsError naming every bad value.

    An unknown NEWSRAG_ variable is an error too: a typo would otherwise be ignored.
    """
    env_file = Settings.model_config.get("env_file")
    unknown = unknown_variables(os.environ, Path(str(env_file)) if env_file else None)
    if unknown:
        raise SettingsError("invalid settings: " + "; ".join(unknown))
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            name = ".".join(str(part) for part in item["loc"]) or "settings"
            env = f"NEWSRAG_{name.upper()}" if item["loc"] else "settings"
            problems.append(f"{env}: {item['msg']} (got {item.get('input')!r})")
        raise SettingsError("invalid settings: " + "; ".join(problems)) from None
