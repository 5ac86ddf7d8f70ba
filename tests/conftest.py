"""Shared fixtures: settings on temporary paths, an ephemeral Chroma, fake or real models."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from index.settings import Settings, load_settings

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's NEWSRAG_* variables or .env file."""
    for name in list(os.environ):
        if name.upper().startswith("NEWSRAG_"):
            monkeypatch.delenv(name)
    monkeypatch.setitem(Settings.model_config, "env_file", None)


@pytest.fixture
def fixture_corpus(tmp_path: Path) -> Path:
    """A private copy of the tiny fixture corpus (tests may change it)."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", target)
    return target


@pytest.fixture
def settings(tmp_path: Path, fixture_corpus: Path) -> Settings:
    """Settings on temporary paths with a unique collection name."""
    return load_settings(
        corpus_dir=fixture_corpus,
        chroma_path=tmp_path / "chroma",
        collection=f"t{uuid.uuid4().hex[:12]}",
        feedback_path=tmp_path / "feedback.jsonl",
        abstain_threshold=0.2,
        bm25_weight_same_language=0.5,
        bm25_weight_cross_language=0.0,
    )


@pytest.fixture
def chroma_client():  # type: ignore[no-untyped-def]
    """An in-memory Chroma client."""
    from index.store import open_ephemeral_client

    return open_ephemeral_client()


@pytest.fixture
def fake_components(settings: Settings, chroma_client):  # type: ignore[no-untyped-def]
    """The real pipeline with the hash embedder and an in-memory Chroma, corpus ingested."""
    from index.wiring import build
    from tests.fakes import HashEmbedding

    components = build(settings, embedder=HashEmbedding(), client=chroma_client, with_llm=False)
    components.ingestor.ingest_folder(settings.corpus_dir)
    return components


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    """The real EmbeddingGemma, loaded once per test session (slow tests only)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from index.wiring import build_embedder

    return build_embedder(load_settings())


@pytest.fixture(scope="session")
def real_components(real_embedder, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The real pipeline on the real article in a throw-away Chroma folder."""
    from index.wiring import build

    folder = tmp_path_factory.mktemp("real")
    settings = load_settings(corpus_dir=ROOT / "corpus", chroma_path=folder / "chroma")
    components = build(settings, embedder=real_embedder, with_llm=False)
    components.ingestor.ingest_folder(settings.corpus_dir)
    return components


@pytest.fixture(scope="session")
def real_generative(real_embedder, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The real pipeline in generative mode: real article, EmbeddingGemma, the local LLM."""
    from index.wiring import build

    folder = tmp_path_factory.mktemp("real-generative")
    settings = load_settings(
        corpus_dir=ROOT / "corpus", chroma_path=folder / "chroma", mode="generative"
    )
    components = build(settings, embedder=real_embedder, with_llm=True)
    components.ingestor.ingest_folder(settings.corpus_dir)
    return components
