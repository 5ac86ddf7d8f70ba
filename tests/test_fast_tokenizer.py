"""The onnx backend's tokenizer: tokenizer.json read without transformers, called alike."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.models.fast_tokenizer import load_fast_tokenizer


def _model_folder(tmp_path: Path, config: dict[str, object]) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    vocab = {"<pad>": 0, "<bos>": 1, "<unk>": 2, "a": 3, "b": 4, "c": 5}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<bos> $A", special_tokens=[("<bos>", 1)]
    )
    tokenizer.save(str(tmp_path / "tokenizer.json"))
    (tmp_path / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    return tmp_path


def test_a_batch_is_padded_on_the_configured_side(tmp_path: Path) -> None:
    folder = _model_folder(tmp_path, {"pad_token": "<pad>", "padding_side": "left"})
    tokenizer = load_fast_tokenizer(folder)
    assert tokenizer is not None
    batch = tokenizer(["a b c", "b"], padding=True, return_tensors="np")
    assert batch["input_ids"].tolist() == [[1, 3, 4, 5], [0, 0, 1, 4]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1, 1], [0, 0, 1, 1]]
    assert isinstance(batch["input_ids"], np.ndarray)


def test_truncation_keeps_the_special_tokens_and_settings_do_not_leak(tmp_path: Path) -> None:
    tokenizer = load_fast_tokenizer(_model_folder(tmp_path, {"pad_token": "<pad>"}))
    assert tokenizer is not None
    cut = tokenizer(["a b c a b"], padding=True, truncation=True, max_length=3)
    assert cut["input_ids"] == [[1, 3, 4]]
    # the next call neither truncates nor pads, as transformers' tokenizer would not
    assert tokenizer("a b c a b", add_special_tokens=False)["input_ids"] == [3, 4, 5, 3, 4]
    assert tokenizer(["a", "a b"])["input_ids"] == [[1, 3], [1, 3, 4]]


@pytest.mark.parametrize(
    "config", [{}, {"pad_token": "<nothing>"}, {"pad_token": None}], ids=["none", "unknown", "null"]
)
def test_no_usable_pad_token_means_transformers_loads_it(
    tmp_path: Path, config: dict[str, object]
) -> None:
    assert load_fast_tokenizer(_model_folder(tmp_path, config)) is None


def test_a_folder_without_tokenizer_json_is_left_to_transformers(tmp_path: Path) -> None:
    assert load_fast_tokenizer(tmp_path) is None


@pytest.mark.slow
def test_the_real_tokenizer_gives_transformers_ids() -> None:
    from transformers import AutoTokenizer

    from index.models.embedder import resolve_embed_model
    from index.settings import load_settings

    settings = load_settings()
    folder = Path(resolve_embed_model(settings.embed_model, settings.cache_dir))
    fast = load_fast_tokenizer(folder)
    assert fast is not None
    auto = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    texts = [
        "task: search result | query: Tritt Belarus in den Krieg ein?",
        "title: none | text: Die Kampftruppe könnten bis zu 9000 russische Soldaten bilden.",
        "x",
        "Ünïcödé — „Anführungszeichen“\nzwei  Leerzeichen",
    ]
    for arguments in ({"padding": True}, {"padding": True, "truncation": True, "max_length": 8}):
        mine = fast(texts, return_tensors="np", **arguments)
        theirs = auto(texts, return_tensors="np", **arguments)
        assert (mine["input_ids"] == theirs["input_ids"]).all()
        assert (mine["attention_mask"] == theirs["attention_mask"]).all()
    for text in texts:
        expected = auto(text, add_special_tokens=False)["input_ids"]
        assert fast(text, add_special_tokens=False)["input_ids"] == expected
