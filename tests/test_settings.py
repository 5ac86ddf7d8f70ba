"""Every setting is checked at start-up; a bad value or an unknown name is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import SettingsError
from index.settings import load_settings, unknown_variables


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NEWSRAG_BM25_WEIGHT_SAME_LANGUAGE", "1.5", "must be between 0 and 1"),
        ("NEWSRAG_BM25_WEIGHT_CROSS_LANGUAGE", "-0.1", "must be between 0 and 1"),
        ("NEWSRAG_PASSAGE_WEIGHT", "5", "must be between 0 and 1"),
        ("NEWSRAG_CITATION_MARGIN", "2", "must be between 0 and 1"),
        ("NEWSRAG_ABSTAIN_THRESHOLD", "1.5", "cosine similarity"),
        ("NEWSRAG_VERIFY_MIN_SIMILARITY", "-2", "cosine similarity"),
        ("NEWSRAG_RENDER_MIN_SIMILARITY", "3", "cosine similarity"),
        ("NEWSRAG_RENDER_MIN_ROUND_TRIP", "-3", "cosine similarity"),
        ("NEWSRAG_TOP_K", "0", "greater than 0"),
        ("NEWSRAG_CANDIDATES", "-1", "greater than 0"),
        ("NEWSRAG_LLM_EVIDENCE_SENTENCES", "0", "greater than 0"),
        ("NEWSRAG_TORCH_THREADS", "-1", "0 or more"),
        ("NEWSRAG_LLM_CACHED_PROMPTS", "-2", "0 or more"),
        ("NEWSRAG_CHROMA_PORT", "70000", "1-65535"),
        ("NEWSRAG_COLLECTION", "a", "3-40"),
        ("NEWSRAG_CHUNK_TOKENS", "8", "16-2048 tokens"),
        ("NEWSRAG_MODE", "poetic", "extractive"),
    ],
)
def test_a_bad_value_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    text = str(caught.value)
    assert name in text and message in text and "\n" not in text


def test_candidates_must_cover_top_k() -> None:
    with pytest.raises(SettingsError, match="candidates"):
        load_settings(top_k=10, candidates=5)


def test_an_unknown_variable_is_refused_with_a_suggestion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSRAG_TOPK", "3")
    with pytest.raises(
        SettingsError, match="NEWSRAG_TOPK: not a setting; did you mean NEWSRAG_TOP_K"
    ):
        load_settings()


def test_unknown_names_in_the_env_file_count_too(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("# comment\nNEWSRAG_TOP_K=3\nexport NEWSRAG_MODDE=generative\nOTHER=1\n")
    assert unknown_variables({}, env) == [
        "NEWSRAG_MODDE: not a setting; did you mean NEWSRAG_MODE?"
    ]
    assert unknown_variables({"NEWSRAG_TOP_K": "5", "HOME": "/root"}, None) == []


def test_good_values_load() -> None:
    settings = load_settings(passage_weight=0.0, bm25_weight_same_language=1.0, top_k=3)
    assert settings.top_k == 3 and settings.passage_weight == 0.0
